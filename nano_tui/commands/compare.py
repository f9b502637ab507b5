"""``nano-tui compare RUN RUN [RUN ...] --format text|json``: runs turn against turn, aligned by what the
agent did (see :mod:`nano_tui.trajectory.alignment`), with the first row where they part marked.

``json`` is ``{"runs": [paths], "rows": [{"turns": [k₁, k₂, …], "same": bool}], "first_divergence": n}``
where ``kᵢ`` is run i's turn number on the row (null: a gap) and ``first_divergence`` is a row index or
null; ``text`` is the same as a table with each run's outcome above it.
"""

from __future__ import annotations

import argparse
import shutil
import string

from nano_tui.bounded_json import dump
from nano_tui.commands.table import one_line, path_cell, print_table
from nano_tui.errors import UserError
from nano_tui.trajectory import load
from nano_tui.trajectory.alignment import Row, align, first_divergence, step
from nano_tui.trajectory.model import Turn
from nano_tui.trajectory.trajectory import Trajectory
from nano_tui.ui.inert import call_summary

#: The letters that name the runs in the text table's columns.
LETTERS = string.ascii_uppercase


def main(args: argparse.Namespace) -> int:
    if len(args.runs) < 2:
        raise UserError("compare needs two runs or more")
    if len(args.runs) > len(LETTERS):
        raise UserError(f"compare takes at most {len(LETTERS)} runs, not {len(args.runs)}")
    trajectories = [load(path) for path in args.runs]
    turns = [list(trajectory) for trajectory in trajectories]
    rows = align([[step(turn) for turn in run[1:]] for run in turns],
                 [trajectory.info.task for trajectory in trajectories])
    if args.format == "json":
        print(dump({"runs": [str(path) for path in args.runs],
                    "rows": [{"turns": list(row.turns), "same": row.same} for row in rows],
                    "first_divergence": first_divergence(rows)}))
    else:
        _print_text(trajectories, turns, rows)
    return 0


def _outcome(trajectory: Trajectory, turns: list[Turn]) -> tuple[str, ...]:
    info = trajectory.info
    calls = [call for turn in turns for call in turn.tool_calls]
    tokens = sum(turn.usage.get("total_tokens", 0) for turn in turns)
    end = info.end_reason or {True: "ended", False: "no diff", None: "?"}[info.ended_normally]
    return (one_line(end, 12), str(len(turns) - 1), str(len(calls)), str(sum(call.failed for call in calls)),
            f"{tokens:,}" if tokens else "—", f"{len(info.final_diff.encode('utf-8', 'replace')):,} B")


def _print_text(trajectories: list[Trajectory], turns: list[list[Turn]], rows: list[Row]) -> None:
    letters = LETTERS[:len(trajectories)]
    print_table([("", "end", "turns", "calls", "failed", "tokens", "diff", "run"),
                 *((letter, *_outcome(trajectory, run), path_cell(str(trajectory.info.path)))
                   for letter, trajectory, run in zip(letters, trajectories, turns, strict=True))])
    print()
    width = max(12, (shutil.get_terminal_size((100, 24)).columns - 6) // len(trajectories) - 2)
    divergence = first_divergence(rows)
    table = [("", "row", *letters)]
    for number, row in enumerate(rows):
        mark = "▶" if number == divergence else " " if row.same else "≠"
        cells = [_cell(run[turn], width) if turn is not None else "·"
                 for run, turn in zip(turns, row.turns, strict=True)]
        table.append((mark, str(number), *cells))
    print_table(table)
    print()
    print("the runs never part: every row is the same" if divergence is None else
          f"first divergence: row {divergence} (▶; ≠ marks every row where the runs differ, · a gap)")


def _cell(turn: Turn, width: int) -> str:
    name, summary = call_summary(turn)
    failed = "✗ " if turn.failed_calls or turn.error else ""
    return one_line(f"{turn.index} {failed}{name} {summary}", width)
