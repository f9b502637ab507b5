"""``nano-tui runs [PATH...]``: the saved runs as a table, newest first."""

from __future__ import annotations

import argparse

from nano_tui.trajectory import RunSummary
from nano_tui.trajectory.discovery import find_runs

_HEADERS = ("date", "model", "turns", "calls", "failed", "diff", "end", "task", "path")


def _row(run: RunSummary) -> tuple[str, ...]:
    ended = {True: "ok", False: "no diff", None: "?"}[run.ended_normally]
    return (
        run.date.strftime("%Y-%m-%d %H:%M") if run.date else "?",
        run.model or "?",
        str(run.turns),
        str(run.tool_calls),
        str(run.failed_calls),
        f"{run.diff_size} B",
        "unreadable" if run.error else ended,
        _one_line(run.error or run.task_line, 50),
        str(run.path),
    )


def _one_line(text: str, width: int) -> str:
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    return text if len(text) <= width else text[: width - 1] + "…"


def main(args: argparse.Namespace) -> int:
    runs = find_runs(args.paths)
    rows = [_HEADERS, *(_row(run) for run in runs)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(_HEADERS) - 1)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        print("  ".join([*cells, row[-1]]))
    return 0
