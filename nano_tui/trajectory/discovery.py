"""Listing saved runs: one line of facts per run folder, newest first."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Protocol

from nano_tui.contract import END_REASONS, MESSAGES
from nano_tui.trajectory.loader import load
from nano_tui.trajectory.model import LogError, RunInfo, Turn


@dataclass(frozen=True)
class RunSummary:
    path: Path
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


def run_paths(paths: list[Path]) -> list[Path]:
    """The runs under ``paths``, at any depth up to :data:`MAX_DEPTH`: a folder with ``messages.jsonl``
    (not searched further), or a mini-swe-agent ``*.traj.json`` file. A path may name a run itself."""
    found: dict[Path, None] = {}
    seen: set[tuple[int, int]] = set()
    for path in paths:
        path = path.expanduser()
        if path.is_file():
            if path.name == MESSAGES:
                found[path.parent] = None
            elif path.name.endswith(TRAJ_SUFFIX):
                found[path] = None
            continue
        # plain strings while walking: 10,000 run folders make pathlib's own cost felt
        stack = [(os.fspath(path), 0)]
        while stack:
            folder, depth = stack.pop()
            try:
                if os.path.lexists(os.path.join(folder, MESSAGES)):
                    found[Path(folder)] = None
                    continue
                status = os.stat(folder)
                venv = os.path.exists(os.path.join(folder, "pyvenv.cfg"))
                if venv or (status.st_dev, status.st_ino) in seen:
                    continue
                seen.add((status.st_dev, status.st_ino))
                entries = sorted(os.scandir(folder), key=lambda entry: entry.name, reverse=True)
            except OSError:
                continue
            for entry in entries:
                try:
                    if entry.is_dir():
                        if depth < MAX_DEPTH and entry.name not in SKIPPED_FOLDERS:
                            stack.append((entry.path, depth + 1))
                    elif entry.name.endswith(TRAJ_SUFFIX) and entry.is_file():
                        found[Path(entry.path)] = None
                except OSError:
                    continue
    return list(found)


class Summaries(Protocol):
    """Where summaries come from when not straight from the folders (the run index)."""

    def summaries(self, runs: list[Path], summarize: Callable[[Path], RunSummary]) -> list[RunSummary]: ...


#: A run found, and the folder it was found under (its location is relative to that).
Located = tuple[Path, Path]


def locate(paths: list[Path] | None = None) -> list[Located]:
    """Every run under ``paths`` (default :func:`default_roots`), once, with the root it was found
    under: the walk alone, which is quick; summarising them is :func:`summarize_located`."""
    found: dict[Path, Path] = {}
    for root in [path.expanduser() for path in paths or default_roots()]:
        for run in run_paths([root]):
            found.setdefault(run, root)
    return list(found.items())


def summarize_located(located: list[Located], index: Summaries | None = None,
                      batch: int = 256) -> Iterator[list[RunSummary]]:
    """Summaries of ``located``, ``batch`` at a time (through ``index`` when given), each with its
    location: a screen can show the first ones while the rest are read."""
    for start in range(0, len(located), batch):
        chunk = located[start:start + batch]
        runs = [run for run, _ in chunk]
        found = index.summaries(runs, summarize) if index is not None else [summarize(run) for run in runs]
        yield [replace(summary, location=_location(run, root))
               for (run, root), summary in zip(chunk, found, strict=True)]


def newest_first(runs: list[RunSummary]) -> list[RunSummary]:
    return sorted(runs, key=lambda s: s.date.timestamp() if s.date else 0.0, reverse=True)


def discover(paths: list[Path] | None = None, index: Summaries | None = None) -> list[RunSummary]:
    """Summaries of every run under ``paths`` (default :func:`default_roots`), newest first, through
    ``index`` when given; each knows where it is relative to the path it was found under."""
    return newest_first([run for batch in summarize_located(locate(paths), index) for run in batch])


def locate_for_command(paths: list[Path]) -> list[Located]:
    """:func:`locate`, for a command: a path that does not exist or cannot be read, or no run found,
    is a :class:`LogError` (one line, exit 1) rather than an empty list."""
    for path in paths:
        if not os.path.exists(path.expanduser()):
            raise LogError(f"no such path: {path}")
        if path.expanduser().is_dir() and not os.access(path.expanduser(), os.R_OK | os.X_OK):
            raise LogError(f"cannot read {path}: permission denied")
    located = locate(paths or None)
    if not located:
        searched = ", ".join(str(path) for path in paths or default_roots())
        raise LogError(f"no runs found in {searched} (a run is a folder with {MESSAGES}, "
                       f"or a mini-swe-agent *{TRAJ_SUFFIX} file)")
    return located


def _location(run: Path, root: Path) -> str:
    """Where ``run`` is, relative to the folder that was opened (``.`` for the folder itself)."""
    path, base = os.fspath(run), os.fspath(root).rstrip("/")
    if path == base:
        return "."
    return path[len(base) + 1:] if base and path.startswith(base + "/") else path


def summarize(folder: Path) -> RunSummary:
    """Read one run (a folder or a trajectory file) far enough to count its turns and calls."""
    try:
        return _summary(folder)
    except LogError as error:
        why = str(error)
    except Exception as error:  # one run that breaks a rule nano-tui did not foresee hides no other
        why = f"cannot be summarised: {type(error).__name__}: {error}"
    return RunSummary(folder, _mtime(folder), None, "", 0, 0, 0, 0, None, error=why, end="crashed")


def _summary(folder: Path) -> RunSummary:
    trajectory = load(folder)
    turns = list(trajectory)
    info = trajectory.info
    calls = [call for turn in turns for call in turn.tool_calls]
    return RunSummary(
        path=folder,
        date=_date(info.started_at) or _mtime(folder),
        model=info.model,
        task_line=info.task_line,
        turns=len(turns) - 1,
        tool_calls=len(calls),
        failed_calls=sum(1 for call in calls if call.failed),
        diff_size=len(info.final_diff.encode("utf-8", "replace")),
        ended_normally=info.ended_normally,
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
