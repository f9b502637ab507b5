"""Listing saved runs: one line of facts per run folder, newest first."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from nano_tui.trajectory.loader import MESSAGES, load
from nano_tui.trajectory.model import LogError


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


def default_roots() -> list[Path]:
    """``~/.nano``, plus ``./.nano`` when the current directory has one."""
    roots = [Path("~/.nano").expanduser()]
    local = Path(".nano")
    if local.is_dir() and local.resolve() != roots[0].resolve():
        roots.append(local)
    return roots


def run_folders(paths: list[Path]) -> list[Path]:
    """Run folders named by ``paths``: a run folder itself, or the run folders directly inside."""
    found: dict[Path, None] = {}
    for path in paths:
        path = path.expanduser()
        if path.is_file() and path.name == MESSAGES:
            found[path.parent] = None
        elif (path / MESSAGES).is_file():
            found[path] = None
        elif path.is_dir():
            try:
                children = sorted(os.scandir(path), key=lambda e: e.name)
            except OSError:
                continue
            for entry in children:
                if entry.is_dir() and os.path.isfile(os.path.join(entry.path, MESSAGES)):
                    found[Path(entry.path)] = None
    return list(found)


def discover(paths: list[Path] | None = None) -> list[RunSummary]:
    """Summaries of every run under ``paths`` (default :func:`default_roots`), newest first."""
    summaries = [summarize(folder) for folder in run_folders(paths or default_roots())]
    return sorted(summaries, key=lambda s: s.date.timestamp() if s.date else 0.0, reverse=True)


def summarize(folder: Path) -> RunSummary:
    """Read one run far enough to count its turns and calls."""
    try:
        trajectory = load(folder)
        turns = list(trajectory)
    except LogError as error:
        return RunSummary(folder, _mtime(folder), None, "", 0, 0, 0, 0, None, error=str(error))
    info = trajectory.info
    calls = [call for turn in turns for call in turn.tool_calls]
    started = info.started_at
    return RunSummary(
        path=folder,
        date=datetime.fromtimestamp(started) if started is not None else _mtime(folder),
        model=info.model,
        task_line=next((line.strip() for line in info.task.splitlines() if line.strip()), ""),
        turns=len(turns) - 1,
        tool_calls=len(calls),
        failed_calls=sum(1 for call in calls if call.failed),
        diff_size=len(info.final_diff.encode("utf-8", "replace")),
        ended_normally=info.ended_normally,
    )


def _mtime(folder: Path) -> datetime | None:
    try:
        return datetime.fromtimestamp((folder / MESSAGES).stat().st_mtime)
    except OSError:
        return None
