"""Runs side by side, turn against turn, lined up by what the agent did rather than by turn number.

Each turn is reduced to its *step*: the calls it made (tool and command, or tool, file and patch), or
that it answered. Two runs are aligned by edit distance over their steps, so a turn one run has and
the other has not (an extra look around) is a gap on its row, not a shift of every row after it.
Three or more runs are each aligned to the first; what the others have that the first has not gets
rows of its own. Turn 0, the setup, is always the first row: the same when the tasks are.
"""

from __future__ import annotations

import string
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from nano_tui.trajectory.discovery import listed_end
from nano_tui.trajectory.model import ToolCall, Turn
from nano_tui.trajectory.trajectory import Trajectory

#: The names of compared runs, in order (so at most 26 runs compare).
LETTERS = string.ascii_uppercase
#: A turn's step: one tuple per call, or ``("answer",)``; equal steps did the same thing.
Step = tuple[tuple[Any, ...], ...]
#: Edit costs: a gap; two steps with the same tools but other arguments; two with other tools.
GAP, SIMILAR, OTHER = 1, 1, 2


def step(turn: Turn) -> Step:
    """What the agent did in ``turn``, with the spacing of commands ignored."""
    if not turn.tool_calls:
        return (("answer",),)
    return tuple(_call_step(call) for call in turn.tool_calls)


def _call_step(call: ToolCall) -> tuple[Any, ...]:
    if call.command is not None:
        return (call.name, " ".join(call.command.split()))
    if call.patch is not None:
        return (call.name, *call.patch)
    return (call.name, call.arguments_raw)


def _tools(of: Step) -> tuple[Any, ...]:
    return tuple(call[0] for call in of)


def align_pair(first: Sequence[Step], second: Sequence[Step]) -> list[tuple[int | None, int | None]]:
    """The cheapest alignment of two step lists, as (index in first, index in second) pairs in order,
    None for a gap. Ties go to pairing two turns on one row rather than two gaps."""
    rows, columns = len(first), len(second)
    cost = [[0] * (columns + 1) for _ in range(rows + 1)]
    for i in range(1, rows + 1):
        cost[i][0] = i * GAP
    for j in range(1, columns + 1):
        cost[0][j] = j * GAP
    for i in range(1, rows + 1):
        above, here, a = cost[i - 1], cost[i], first[i - 1]
        tools = _tools(a)
        for j in range(1, columns + 1):
            b = second[j - 1]
            pair = 0 if a == b else SIMILAR if tools == _tools(b) else OTHER
            here[j] = min(above[j - 1] + pair, above[j] + GAP, here[j - 1] + GAP)
    pairs: list[tuple[int | None, int | None]] = []
    i, j = rows, columns
    while i or j:
        if i and j:
            a, b = first[i - 1], second[j - 1]
            pair = 0 if a == b else SIMILAR if _tools(a) == _tools(b) else OTHER
            if cost[i][j] == cost[i - 1][j - 1] + pair:
                pairs.append((i - 1, j - 1))
                i, j = i - 1, j - 1
                continue
        if i and cost[i][j] == cost[i - 1][j] + GAP:
            pairs.append((i - 1, None))
            i -= 1
        else:
            pairs.append((None, j - 1))
            j -= 1
    return pairs[::-1]


@dataclass(frozen=True)
class Row:
    """One row of a comparison: each run's turn number on it (None: a gap), and whether every run
    has a turn there that did the same thing."""

    turns: tuple[int | None, ...]
    same: bool


def align(steps: Sequence[Sequence[Step]], tasks: Sequence[str]) -> list[Row]:
    """Rows for runs whose turns 1… have ``steps`` and whose setups hold ``tasks``."""
    count = len(steps)
    rows = [Row((0,) * count, len(set(tasks)) <= 1)]
    if not count:
        return rows
    reference = steps[0]
    matched: list[list[int | None]] = [[index for index in range(len(reference))]]
    inserted: list[list[list[int]]] = [[[] for _ in range(len(reference) + 1)]]
    for other in steps[1:]:
        match: list[int | None] = [None] * len(reference)
        before: list[list[int]] = [[] for _ in range(len(reference) + 1)]
        position = 0
        for ours, theirs in align_pair(reference, other):
            if ours is None:
                before[position].append(theirs)  # type: ignore[arg-type]
            else:
                match[ours] = theirs
                position = ours + 1
        matched.append(match)
        inserted.append(before)
    for position in range(len(reference) + 1):
        extra = max(len(run[position]) for run in inserted)
        for k in range(extra):
            turns = tuple(run[position][k] if k < len(run[position]) else None for run in inserted)
            rows.append(_row(turns, steps))
        if position < len(reference):
            rows.append(_row(tuple(run[position] for run in matched), steps))
    return rows


def _row(indices: tuple[int | None, ...], steps: Sequence[Sequence[Step]]) -> Row:
    """A row from indices into each run's steps (turn number minus one)."""
    turns = tuple(None if index is None else index + 1 for index in indices)
    present = [steps[run][index] for run, index in enumerate(indices) if index is not None]
    return Row(turns, len(present) == len(indices) and len(set(present)) == 1)


def first_divergence(rows: Sequence[Row]) -> int | None:
    """The first row where the runs did not do the same thing, or None when they never parted."""
    return next((number for number, row in enumerate(rows) if not row.same), None)


@dataclass(frozen=True)
class Outcome:
    """What a compared run came to, for the head of its column."""

    end: str
    turns: int
    calls: int
    failed: int
    tokens: int
    diff_bytes: int


class Comparison:
    """Runs read whole and lined up: their turns, the rows and the first divergence."""

    def __init__(self, trajectories: Sequence[Trajectory]) -> None:
        self.trajectories = list(trajectories)
        self.turns = [list(trajectory) for trajectory in self.trajectories]
        self.rows = align([[step(turn) for turn in run[1:]] for run in self.turns],
                          [trajectory.info.task for trajectory in self.trajectories])
        self.first_divergence = first_divergence(self.rows)

    def outcome(self, run: int) -> Outcome:
        info, turns = self.trajectories[run].info, self.turns[run]
        calls = [call for turn in turns for call in turn.tool_calls]
        tokens = sum(turn.usage.get("total_tokens", 0) for turn in turns)
        diff = len(info.final_diff.encode("utf-8", "replace"))
        return Outcome(listed_end(info, turns[-1]), len(turns) - 1, len(calls),
                       sum(call.failed for call in calls), tokens, diff)
