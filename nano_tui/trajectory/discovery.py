"""Listing saved runs: one line of facts per run folder, newest first."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import chain, islice
from pathlib import Path
from typing import Any, NamedTuple, Protocol

from nano_tui.contract import END_REASONS, MESSAGES
from nano_tui.trajectory.loader import load
from nano_tui.trajectory.model import LogError, RunInfo, Turn


@dataclass(frozen=True)
class RunSummary:
    #: The run's folder (or trajectory file) as the walk found it: text, as 10,000 ``Path`` objects
    #: are a noticeable part of listing them.
    path: str
    date: datetime | None
    model: str | None
    task_line: str
    turns: int
    tool_calls: int
    failed_calls: int
    #: Size of the final diff in bytes (0: no change, or the run did not end normally).
    diff_size: int
    ended_normally: bool | None
    #: Why the run could not be read, when it could not (the other fields are then mostly empty).
    error: str | None = None
    #: Where the run is, relative to the folder it was found under.
    location: str = ""
    #: How it ended: one of :data:`~nano_tui.contract.LISTED_ENDS`.
    end: str = "unknown"
    files_changed: int = 0
    #: Shared by the runs of one task (the same task text): a group of rollouts.
    group: str = ""

    def record(self) -> dict[str, Any]:
        """The run as ``runs --json`` gives it (and the dataset export's outcome fields)."""
        return {
            "path": self.path, "location": self.location,
            "started": self.date.astimezone().isoformat(timespec="seconds") if self.date else None,
            "model": self.model, "task": self.task_line, "turns": self.turns, "tool_calls": self.tool_calls,
            "failed_calls": self.failed_calls, "diff_bytes": self.diff_size,
            "files_changed": self.files_changed, "end": self.end, "group": self.group, "error": self.error,
        }


@dataclass(frozen=True)
class RunFilter:
    """Which runs a list shows: all of ``end``, ``model`` and ``task`` (case-insensitive parts of
    the model name and the task) and ``since`` (started then or later) that are given."""

    end: str | None = None
    model: str | None = None
    task: str | None = None
    since: datetime | None = None

    def matches(self, run: RunSummary) -> bool:
        if self.end is not None and run.end != self.end:
            return False
        if self.model and self.model.casefold() not in (run.model or "").casefold():
            return False
        if self.task and self.task.casefold() not in run.task_line.casefold():
            return False
        return self.since is None or (run.date is not None and run.date >= self.since)


def default_roots() -> list[Path]:
    """``~/.nano``, plus ``./.nano`` when the current directory has one."""
    roots = [Path("~/.nano").expanduser()]
    local = Path(".nano")
    if local.is_dir() and local.resolve() != roots[0].resolve():
        roots.append(local)
    return roots


#: Folders never searched for runs: version control, environments, caches, dependencies.
SKIPPED_FOLDERS = frozenset({".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", "venv", ".tox",
                             ".nox", ".mypy_cache", ".pytest_cache", ".ruff_cache", "site-packages",
                             ".cache", ".ipynb_checkpoints"})
#: How many folder levels below a given path runs are looked for (``runs/<model>/<task>/<run>`` is 3).
MAX_DEPTH = 8
TRAJ_SUFFIX = ".traj.json"


def walk_runs(paths: list[Path]) -> Iterator[tuple[str, os.stat_result | None]]:
    """The runs under ``paths`` as they are found, at any depth up to :data:`MAX_DEPTH`: a folder with
    ``messages.jsonl`` (not searched further; with that file's status), or a mini-swe-agent
    ``*.traj.json`` file (with None). A path may name a run itself. Each run once."""
    found: set[str] = set()
    seen: set[tuple[int, int]] = set()
    for path in paths:
        path = path.expanduser()
        if path.is_file():
            run = path.parent if path.name == MESSAGES else path if path.name.endswith(TRAJ_SUFFIX) else None
            if run is not None and os.fspath(run) not in found:
                found.add(os.fspath(run))
                yield os.fspath(run), _status(run / MESSAGES) if run != path else None
            continue
        # plain strings while walking: 10,000 run folders make pathlib's own cost felt
        stack = [(os.fspath(path), 0)]
        while stack:
            folder, depth = stack.pop()
            messages = folder + "/" + MESSAGES
            status = _status(messages)
            if status is not None or os.path.lexists(messages):  # a link to nowhere: the loader says so
                if folder not in found:
                    found.add(folder)
                    yield folder, status
                continue
            try:
                status = os.stat(folder)
                venv = os.path.exists(os.path.join(folder, "pyvenv.cfg"))
                if venv or (status.st_dev, status.st_ino) in seen:
                    continue
                seen.add((status.st_dev, status.st_ino))
                entries = sorted(os.scandir(folder), key=lambda entry: entry.name, reverse=True)
            except OSError:
                continue
            trajectories = []
            for entry in entries:
                try:
                    if entry.is_dir():
                        if depth < MAX_DEPTH and entry.name not in SKIPPED_FOLDERS:
                            stack.append((entry.path, depth + 1))
                    elif entry.name.endswith(TRAJ_SUFFIX) and entry.is_file():
                        trajectories.append(entry.path)
                except OSError:
                    continue
            for run in reversed(trajectories):
                if run not in found:
                    found.add(run)
                    yield run, None


def _status(path: str | Path) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError:
        return None


class Located(NamedTuple):
    """A run the walk found, and the folder it was found under."""

    run: str
    root: Path
    #: ``messages.jsonl``'s status when the walk looked (None for a trajectory file).
    messages: os.stat_result | None = None

    @property
    def location(self) -> str:
        """Where the run is, relative to the folder that was opened (``.`` for the folder itself)."""
        path, base = self.run, os.fspath(self.root).rstrip("/")
        if path == base:
            return "."
        return path[len(base) + 1:] if base and path.startswith(base + "/") else path


class Summaries(Protocol):
    """Where summaries come from when not straight from the folders (the run index)."""

    def summaries(self, located: list[Located],
                  summarize: Callable[[str, str], RunSummary]) -> list[RunSummary]: ...


def locate(paths: list[Path] | None = None) -> Iterator[Located]:
    """Every run under ``paths`` (default :func:`default_roots`) as the walk finds it, once, with the
    root it was found under; summarising them is :func:`summarize_located`."""
    found: set[str] = set()
    roots = [path.expanduser() for path in paths or default_roots()]
    for root in roots:
        for run, messages in walk_runs([root]):
            if len(roots) > 1:  # a run under two roots is listed under the first
                if run in found:
                    continue
                found.add(run)
            yield Located(run, root, messages)


#: Runs summarised in the first batch (a screenful, soon), and in each one after it.
FIRST_BATCH = 64
BATCH = 500


def summarize_located(located: Iterable[Located],
                      index: Summaries | None = None) -> Iterator[list[RunSummary]]:
    """Summaries of ``located`` a batch at a time (through ``index`` when given), each with its
    location: a screen can show the first ones while the rest are found and read."""
    located = iter(located)
    size = FIRST_BATCH
    while chunk := list(islice(located, size)):
        yield index.summaries(chunk, summarize) if index is not None else \
            [summarize(found.run, found.location) for found in chunk]
        size = BATCH


def newest_first(runs: list[RunSummary]) -> list[RunSummary]:
    return sorted(runs, key=lambda s: s.date.timestamp() if s.date else 0.0, reverse=True)


def discover(paths: list[Path] | None = None, index: Summaries | None = None) -> list[RunSummary]:
    """Summaries of every run under ``paths`` (default :func:`default_roots`), newest first, through
    ``index`` when given; each knows where it is relative to the path it was found under."""
    return newest_first([run for batch in summarize_located(locate(paths), index) for run in batch])


def locate_for_command(paths: list[Path]) -> Iterator[Located]:
    """:func:`locate`, for a command: a path that does not exist or cannot be read, or no run found,
    is a :class:`LogError` (one line, exit 1) rather than nothing. The walk goes on as the result
    is read."""
    for path in paths:
        if not os.path.exists(path.expanduser()):
            raise LogError(f"no such path: {path}")
        if path.expanduser().is_dir() and not os.access(path.expanduser(), os.R_OK | os.X_OK):
            raise LogError(f"cannot read {path}: permission denied")
    located = locate(paths or None)
    first = next(located, None)
    if first is None:
        searched = ", ".join(str(path) for path in paths or default_roots())
        raise LogError(f"no runs found in {searched} (a run is a folder with {MESSAGES}, "
                       f"or a mini-swe-agent *{TRAJ_SUFFIX} file)")
    return chain([first], located)


def summarize(folder: str | Path, location: str = "") -> RunSummary:
    """Read one run (a folder or a trajectory file) far enough to count its turns and calls."""
    try:
        return _summary(folder, location)
    except LogError as error:
        why = str(error)
    except Exception as error:  # one run that breaks a rule nano-tui did not foresee hides no other
        why = f"cannot be summarised: {type(error).__name__}: {error}"
    return RunSummary(os.fspath(folder), _mtime(Path(folder)), None, "", 0, 0, 0, 0, None, error=why,
                      location=location, end="crashed")


def _summary(folder: str | Path, location: str) -> RunSummary:
    trajectory = load(folder)
    turns = list(trajectory)
    info = trajectory.info
    calls = [call for turn in turns for call in turn.tool_calls]
    return RunSummary(
        path=os.fspath(folder),
        date=_date(info.started_at) or _mtime(Path(folder)),
        model=info.model,
        task_line=info.task_line,
        turns=len(turns) - 1,
        tool_calls=len(calls),
        failed_calls=sum(1 for call in calls if call.failed),
        diff_size=len(info.final_diff.encode("utf-8", "replace")),
        ended_normally=info.ended_normally,
        location=location,
        end=listed_end(info, turns[-1]),
        files_changed=sum(1 for line in info.final_diff.splitlines() if line.startswith("diff --git")),
        group=task_group(info.task),
    )


def listed_end(info: RunInfo, last: Turn) -> str:
    """How a run ended, for the list: the loop's own reason when it recorded one; else finished
    when it ended normally on an answer, crashed when it did not end normally, unknown otherwise
    (nano-agent's logs do not say which limit ended a run)."""
    if info.end_reason in END_REASONS:
        return info.end_reason
    if info.source == "mini-swe-agent":
        return "finished" if info.ended_normally else "unknown"
    if info.ended_normally is False or (info.source == "nano-tui" and info.end_reason is None):
        return "crashed"
    if info.ended_normally and last.index > 0 and not last.tool_calls and not last.error:
        return "finished"
    return "unknown"


def task_group(task: str) -> str:
    """The group of runs given ``task``: the same text (spacing aside), the same short id."""
    return hashlib.sha256(" ".join(task.split()).encode("utf-8", "replace")).hexdigest()[:12]


def _date(seconds: float | None) -> datetime | None:
    """The local time of a Unix time a log gives; None for one no calendar holds."""
    try:
        return datetime.fromtimestamp(seconds) if seconds is not None else None
    except (OverflowError, OSError, ValueError):
        return None


def _mtime(run: Path) -> datetime | None:
    try:
        return _date((run if run.is_file() else run / MESSAGES).stat().st_mtime)
    except OSError:
        return None
