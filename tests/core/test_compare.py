"""``nano-tui compare`` as a script uses it: real run folders, a real process."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.processes import NANO_TUI, Terminal, clean_env, needs_tmux
from tests.ui.runlogs import write_before_and_after


def nano_tui(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([NANO_TUI, *args], capture_output=True, text=True, timeout=60,
                          env=clean_env(COLUMNS="120"))


def test_json_rows_show_the_extra_turn_as_a_gap(tmp_path: Path) -> None:
    before, after = write_before_and_after(tmp_path)
    result = nano_tui("compare", str(before), str(after), "--format", "json")
    assert result.returncode == 0, result.stderr
    compared = json.loads(result.stdout)
    assert compared["runs"] == [str(before), str(after)]
    assert [row["turns"] for row in compared["rows"]] == [[0, 0], [1, 1], [None, 2], [2, 3], [3, 4], [4, 5],
                                                          [5, 6]]
    assert compared["first_divergence"] == 2
    assert [row["same"] for row in compared["rows"]].count(False) == 1


def test_a_run_compared_with_itself_never_parts(tmp_path: Path) -> None:
    before, _ = write_before_and_after(tmp_path)
    compared = json.loads(nano_tui("compare", str(before), str(before), "--format", "json").stdout)
    assert compared["first_divergence"] is None and all(row["same"] for row in compared["rows"])


def test_text_marks_the_first_divergence_and_each_runs_outcome(tmp_path: Path) -> None:
    before, after = write_before_and_after(tmp_path)
    result = nano_tui("compare", str(before), str(after))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[1].startswith("A  ") and str(before) in lines[1] and " 5 " in lines[1]
    assert lines[2].startswith("B  ") and str(after) in lines[2] and " 6 " in lines[2]
    (marked,) = [line for line in lines if line.startswith("▶")]
    assert "·" in marked and "2 shell grep -n add app.py" in marked
    assert lines[-1].startswith("first divergence: row 2")


def test_bad_input_is_one_line(tmp_path: Path) -> None:
    before, _ = write_before_and_after(tmp_path)
    for args, message in ((["compare", str(before)], "nano-tui: compare needs two runs or more\n"),
                          (["compare", str(before), str(tmp_path / "nope")],
                           f"nano-tui: no such path: {tmp_path / 'nope'}\n")):
        result = nano_tui(*args)
        assert (result.returncode, result.stdout, result.stderr) == (1, "", message)


@needs_tmux
def test_on_a_terminal_compare_opens_the_screen_at_the_divergence(tmp_path: Path) -> None:
    before, after = write_before_and_after(tmp_path)
    terminal = Terminal(tmp_path, 100, 30)
    try:
        terminal.start(f"{NANO_TUI} compare '{before}' '{after}'")
        terminal.shows("first divergence: row 2", "B turn 2  shell: grep -n add app.py", "A no such turn")
        terminal.keys("Right", "Enter")
        terminal.shows("turn 2 of 6")
        terminal.keys("Escape")
        terminal.shows("first divergence: row 2")
        terminal.keys("q")
        terminal.shows("EXIT=0")
    finally:
        terminal.close()
