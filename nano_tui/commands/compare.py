"""``nano-tui compare RUN RUN [RUN ...] --format text|json``: runs turn against turn, aligned by what the
agent did (see :mod:`nano_tui.trajectory.alignment`), with the first row where they part marked.

``json`` is ``{"runs": [paths], "rows": [{"turns": [k₁, k₂, …], "same": bool}], "first_divergence": n}``
where ``kᵢ`` is run i's turn number on the row (null: a gap) and ``first_divergence`` is a row index or
null; ``text`` is the same as a table with each run's outcome above it. On a terminal, without
``--format``, the runs open side by side on screen.
"""

from __future__ import annotations

import argparse
import shutil
import sys

from nano_tui.bounded_json import dump
from nano_tui.commands.table import one_line, path_cell, print_table
from nano_tui.errors import UserError
from nano_tui.trajectory import load
from nano_tui.trajectory.alignment import LETTERS, Comparison
from nano_tui.ui.inert import turn_line


def main(args: argparse.Namespace) -> int:
    if len(args.runs) < 2:
        raise UserError("compare needs two runs or more")
    if len(args.runs) > len(LETTERS):
        raise UserError(f"compare takes at most {len(LETTERS)} runs, not {len(args.runs)}")
    comparison = Comparison([load(path) for path in args.runs])
    if args.format is None and sys.stdout.isatty() and sys.stdin.isatty():
        from nano_tui.ui.app import NanoApp

        NanoApp(comparison=comparison).run()
    elif args.format == "json":
        print(dump({"runs": [str(path) for path in args.runs],
                    "rows": [{"turns": list(row.turns), "same": row.same} for row in comparison.rows],
                    "first_divergence": comparison.first_divergence}))
    else:
        _print_text(comparison)
    return 0


def _print_text(comparison: Comparison) -> None:
    letters = LETTERS[:len(comparison.trajectories)]
    heads = []
    for number, (letter, trajectory) in enumerate(zip(letters, comparison.trajectories, strict=True)):
        outcome = comparison.outcome(number)
        heads.append((letter, one_line(outcome.end, 12), str(outcome.turns), str(outcome.calls),
                      str(outcome.failed), f"{outcome.tokens:,}" if outcome.tokens else "—",
                      f"{outcome.diff_bytes:,} B", path_cell(str(trajectory.info.path))))
    print_table([("", "end", "turns", "calls", "failed", "tokens", "diff", "run"), *heads])
    print()
    width = max(12, (shutil.get_terminal_size((100, 24)).columns - 6) // len(letters) - 2)
    divergence = comparison.first_divergence
    table = [("", "row", *letters)]
    for number, row in enumerate(comparison.rows):
        mark = "▶" if number == divergence else " " if row.same else "≠"
        cells = [one_line(turn_line(run[turn]), width) if turn is not None else "·"
                 for run, turn in zip(comparison.turns, row.turns, strict=True)]
        table.append((mark, str(number), *cells))
    print_table(table)
    print()
    print("the runs never part: every row is the same" if divergence is None else
          f"first divergence: row {divergence} (▶; ≠ marks every row where the runs differ, · a gap)")
