"""``nano-tui runs [PATH...]``: the saved runs as a table, newest first."""

from __future__ import annotations

import argparse

from nano_tui.commands.table import one_line, path_cell, print_table
from nano_tui.trajectory import RunSummary
from nano_tui.trajectory.discovery import find_runs

_HEADERS = ("date", "model", "turns", "calls", "failed", "diff", "end", "task", "path")


def _row(run: RunSummary) -> tuple[str, ...]:
    ended = {True: "ok", False: "no diff", None: "?"}[run.ended_normally]
    return (
        run.date.strftime("%Y-%m-%d %H:%M") if run.date else "?",
        one_line(run.model or "?", 40),
        str(run.turns),
        str(run.tool_calls),
        str(run.failed_calls),
        f"{run.diff_size} B",
        "unreadable" if run.error else ended,
        one_line(run.error or run.task_line, 50),
        path_cell(str(run.path)),
    )


def main(args: argparse.Namespace) -> int:
    print_table([_HEADERS, *(_row(run) for run in find_runs(args.paths))])
    return 0
