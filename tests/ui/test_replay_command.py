"""`nano-tui replay` as a user runs it: bad input before the screen opens, no litellm, a real terminal."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.processes import NANO_TUI, Terminal, clean_env, needs_tmux


def replay(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([NANO_TUI, "replay", *args], capture_output=True, text=True, timeout=60,
                          stdin=subprocess.DEVNULL, env=clean_env())


@pytest.mark.parametrize(("args", "message"), [
    (["/no/such/run"], "nano-tui: no such path: /no/such/run"),
    (["--turn", "99"], "nano-tui: --turn 99 is out of range: this run has turns 0 to 5"),
    (["--theme", "nope"], "nano-tui: unknown theme 'nope'; choose one of: "),
    (["--speed", "0"], "nano-tui: --speed must be above 0, not 0"),
])
def test_bad_input_is_one_line_and_exit_1(story, args, message):
    if args[0].startswith("--"):
        args = [str(story), *args]
    result = replay(*args)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith(message)
    assert result.stderr.count("\n") == 1, result.stderr


def test_a_folder_that_is_not_a_run(tmp_path):
    (tmp_path / "empty").mkdir()
    result = replay(str(tmp_path / "empty"))
    assert result.returncode == 1
    assert result.stderr.startswith("nano-tui: no runs found in")


def test_empty_log_is_a_clear_error(tmp_path):
    run = tmp_path / "run"
    run.mkdir()
    (run / "messages.jsonl").write_text("")
    result = replay(str(run / "messages.jsonl"))
    assert result.returncode == 1 and result.stderr.startswith("nano-tui: ")
    assert "Traceback" not in result.stderr


def test_replay_never_imports_litellm():
    code = ("import sys; import nano_tui.commands.replay, nano_tui.ui.app; "
            "print('litellm' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                            env=clean_env())
    assert result.stdout.strip() == "False", result.stderr


@pytest.mark.parametrize("stale_size", [False, True], ids=["clean", "stale LINES/COLUMNS"])
@needs_tmux
def test_real_process_in_tmux(story, terminal: Terminal, stale_size: bool):
    """The real process in a 120×36 terminal; ``LINES``/``COLUMNS`` left over from another shell
    (140×45) must not make it draw past the terminal's edges."""
    env = {"LINES": "45", "COLUMNS": "140"} if stale_size else {}
    terminal.start(f"{NANO_TUI} replay '{story}'", **env)
    # what is asserted is waited for: tmux may be read while a frame is still arriving (the key bar,
    # on the last row, comes last)
    screen = terminal.shows("turn 0 of 5", "Fix the failing test in app.py", "Quit")
    rows = screen.rstrip("\n").split("\n")
    assert len(rows) == 36 and "Quit" in rows[-1], "the key bar is not on the terminal's last row"
    terminal.keys("Right")
    terminal.shows("turn 1 of 5", "ls && cat app.py")
    terminal.keys("End")
    terminal.shows("turn 5 of 5")
    terminal.keys("?")
    terminal.shows("autoplay: play / pause")
    terminal.keys("Escape")
    terminal.gone("autoplay: play / pause")
    terminal.keys("q")
    terminal.shows("EXIT=0")
