"""Aligning runs by what the agent did: gaps for turns one run has and another has not."""

from __future__ import annotations

from nano_tui.trajectory.alignment import Row, align, align_pair, first_divergence

LS = (("shell", "ls"),)
CAT = (("shell", "cat app.py"),)
GREP = (("shell", "grep -n add app.py"),)
PATCH = (("apply_patch", "app.py", "a - b", "a + b"),)
TEST = (("shell", "pytest -q"),)
ANSWER = (("answer",),)


def test_identical_runs_pair_every_turn() -> None:
    steps = [LS, CAT, PATCH, ANSWER]
    assert align_pair(steps, steps) == [(0, 0), (1, 1), (2, 2), (3, 3)]
    rows = align([steps, steps], ["task", "task"])
    assert all(row.same for row in rows) and first_divergence(rows) is None


def test_an_extra_turn_is_a_gap_not_a_shift() -> None:
    assert align_pair([LS, CAT, PATCH, TEST], [LS, GREP, CAT, PATCH, TEST]) == [
        (0, 0), (None, 1), (1, 2), (2, 3), (3, 4)]
    rows = align([[LS, CAT, PATCH, TEST], [LS, GREP, CAT, PATCH, TEST]], ["t", "t"])
    assert [row.turns for row in rows] == [(0, 0), (1, 1), (None, 2), (2, 3), (3, 4), (4, 5)]
    assert [row.same for row in rows] == [True, True, False, True, True, True]
    assert first_divergence(rows) == 2


def test_a_missing_turn_is_a_gap_in_the_other_run() -> None:
    assert align_pair([LS, GREP, CAT, ANSWER], [LS, CAT, ANSWER]) == [(0, 0), (1, None), (2, 1), (3, 2)]


def test_other_arguments_of_the_same_tool_share_a_row() -> None:
    assert align_pair([LS, CAT, ANSWER], [LS, GREP, ANSWER]) == [(0, 0), (1, 1), (2, 2)]
    rows = align([[LS, CAT, ANSWER], [LS, GREP, ANSWER]], ["t", "t"])
    assert [row.same for row in rows] == [True, True, False, True]


def test_one_run_empty() -> None:
    assert align_pair([], [LS, ANSWER]) == [(None, 0), (None, 1)]
    assert align_pair([LS], []) == [(0, None)]
    rows = align([[], [LS]], ["t", "t"])
    assert rows == [Row((0, 0), True), Row((None, 1), False)]


def test_different_tasks_part_at_the_setup() -> None:
    assert first_divergence(align([[LS], [LS]], ["fix add", "fix sub"])) == 0


def test_three_runs_align_to_the_first_and_keep_each_runs_extras() -> None:
    rows = align([[LS, PATCH, ANSWER], [LS, GREP, PATCH, ANSWER], [LS, PATCH, TEST, ANSWER]], ["t"] * 3)
    assert [row.turns for row in rows] == [(0, 0, 0), (1, 1, 1), (None, 2, None), (2, 3, 2), (None, None, 3),
                                           (3, 4, 4)]
    assert first_divergence(rows) == 2
    assert [row.same for row in rows] == [True, True, False, True, False, True]
