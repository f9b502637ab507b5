"""`nano-tui replay` as a user runs it: bad input before the screen opens, no litellm, a real terminal."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

NANO_TUI = str(Path(sys.executable).with_name("nano-tui"))


def replay(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([NANO_TUI, "replay", *args], capture_output=True, text=True, timeout=60,
                          stdin=subprocess.DEVNULL)


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
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "False", result.stderr


@pytest.mark.tmux
@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_real_process_in_tmux(story, tmp_path):
    session = f"nano-tui-test-{os.getpid()}"
    socket = str(tmp_path / "tmux.sock")

    def tmux(*args: str) -> str:
        return subprocess.run(["tmux", "-S", socket, *args], capture_output=True, text=True,
                              timeout=30).stdout

    def screen_shows(text: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        while True:
            screen = tmux("capture-pane", "-p", "-t", session)
            if text in screen:
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} never appeared; screen was:\n{screen}")
            time.sleep(0.1)

    env = f"TERM=xterm-256color HOME={tmp_path}"
    tmux("new-session", "-d", "-x", "120", "-y", "36", "-s", session,
         f"env {env} {NANO_TUI} replay '{story}'; sleep 30")
    try:
        screen = screen_shows("turn 0 of 5")
        assert "Fix the failing test in app.py" in screen
        tmux("send-keys", "-t", session, "Right")
        screen = screen_shows("turn 1 of 5")
        assert "ls && cat app.py" in screen
        tmux("send-keys", "-t", session, "End")
        screen_shows("turn 5 of 5")
        tmux("send-keys", "-t", session, "?")
        screen_shows("autoplay: play / pause")
        tmux("send-keys", "-t", session, "Escape")
        tmux("send-keys", "-t", session, "q")
        deadline = time.monotonic() + 10
        while "turn 5 of 5" in tmux("capture-pane", "-p", "-t", session):
            assert time.monotonic() < deadline, "q did not quit"
            time.sleep(0.1)
    finally:
        tmux("kill-server")
