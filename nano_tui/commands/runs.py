"""``nano-tui runs [PATH...]``: the saved runs as a table, newest first."""

from __future__ import annotations

import argparse

from rich.cells import cell_len, set_cell_size

from nano_tui.safe_text import cell_stable, printable
from nano_tui.trajectory import RunSummary
from nano_tui.trajectory.discovery import find_runs

_HEADERS = ("date", "model", "turns", "calls", "failed", "diff", "end", "task", "path")


def _row(run: RunSummary) -> tuple[str, ...]:
    ended = {True: "ok", False: "no diff", None: "?"}[run.ended_normally]
    return (
        run.date.strftime("%Y-%m-%d %H:%M") if run.date else "?",
        _one_line(run.model or "?", 40),
        str(run.turns),
        str(run.tool_calls),
        str(run.failed_calls),
        f"{run.diff_size} B",
        "unreadable" if run.error else ended,
        _one_line(run.error or run.task_line, 50),
        _path(str(run.path)),
    )


def _one_line(text: str, width: int) -> str:
    """A table cell: one line, printable, at most ``width`` terminal cells."""
    text = cell_stable(printable(" ".join(text.split())))
    return text if cell_len(text) <= width else set_cell_size(text, width - 1) + "…"


def _path(path: str) -> str:
    """A path as it is (spaces and all, so it can be copied), newlines and tabs shown."""
    return printable(path).replace("\n", "␊").replace("\t", "␉")


def main(args: argparse.Namespace) -> int:
    runs = find_runs(args.paths)
    rows = [_HEADERS, *(_row(run) for run in runs)]
    widths = [max(cell_len(row[i]) for row in rows) for i in range(len(_HEADERS) - 1)]
    for row in rows:
        cells = [cell + " " * (width - cell_len(cell)) for cell, width in zip(row, widths, strict=False)]
        print("  ".join([*cells, row[-1]]))
    return 0
