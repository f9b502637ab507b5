"""``nano-tui runs [PATH...]``: the saved runs as a table, newest first, or one JSON object a run."""

from __future__ import annotations

import argparse
from datetime import datetime

from nano_tui.bounded_json import dump
from nano_tui.commands.table import one_line, path_cell, print_table
from nano_tui.errors import UserError
from nano_tui.safe_text import say
from nano_tui.trajectory import RunSummary
from nano_tui.trajectory.discovery import RunFilter
from nano_tui.trajectory.run_index import find_indexed_runs

_HEADERS = ("date", "model", "turns", "calls", "failed", "diff", "end", "task", "path")


def _row(run: RunSummary) -> tuple[str, ...]:
    return (
        run.date.strftime("%Y-%m-%d %H:%M") if run.date else "?",
        one_line(run.model or "?", 40),
        str(run.turns),
        str(run.tool_calls),
        str(run.failed_calls),
        f"{run.diff_size} B",
        "unreadable" if run.error else run.end,
        one_line(run.error or run.task_line, 50),
        path_cell(str(run.path)),
    )


def run_filter(args: argparse.Namespace) -> RunFilter:
    """The filters ``runs`` (and the browser) take, checked."""
    since = None
    if args.since:
        try:
            since = datetime.fromisoformat(args.since)
        except ValueError:
            raise UserError(f"--since takes a date like 2025-01-31 or 2025-01-31T14:00, not {args.since!r}") \
                from None
    return RunFilter(end=args.end, model=args.model, task=args.task, since=since)


def main(args: argparse.Namespace) -> int:
    chosen = run_filter(args)
    found, notice = find_indexed_runs(args.paths, args.index)
    if notice:
        say(notice)
    runs = [run for run in found if chosen.matches(run)]
    if args.json:
        for run in runs:
            print(dump(run.record()))
    elif runs:
        print_table([_HEADERS, *(_row(run) for run in runs)])
    return 0
