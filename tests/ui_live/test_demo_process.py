"""The real ``nano-tui demo`` process in a real terminal (tmux), from the first turn to the summary."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from nano_tui.trajectory import load

NANO_TUI = str(Path(sys.executable).with_name("nano-tui"))

pytestmark = [pytest.mark.tmux,
              pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")]


class Terminal:
    def __init__(self, tmp_path: Path) -> None:
        self.socket = str(tmp_path / "tmux.sock")
        self.session = f"nano-tui-live-{os.getpid()}"

    def tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", "-S", self.socket, *args], capture_output=True, text=True,
                              timeout=30).stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", self.session)

    def shows(self, *texts: str, timeout: float = 60.0) -> str:
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if all(text in screen for text in texts):
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"{texts!r} never all appeared; the screen was:\n{screen}")
            time.sleep(0.1)

    def start(self, command: str, tmp_path: Path) -> None:
        env = f"TERM=xterm-256color HOME={tmp_path}"
        self.tmux("new-session", "-d", "-x", "120", "-y", "36", "-s", self.session,
                  f"env {env} {command}; echo EXIT=$?; sleep 30")


@pytest.fixture
def terminal(tmp_path: Path):
    terminal = Terminal(tmp_path)
    yield terminal
    terminal.tmux("kill-server")


def test_demo_runs_to_the_summary_and_quits_cleanly(terminal: Terminal, tmp_path: Path):
    logs = tmp_path / "logs"
    terminal.start(f"{NANO_TUI} demo --speed 8 --log-dir {logs}", tmp_path)
    screen = terminal.shows("The test suite fails", "streaming", timeout=90)
    screen = terminal.shows("✓ finished", "The run finished", "nano-tui replay")
    assert "apply_patch" in screen and "tools 5/50" in screen
    terminal.tmux("send-keys", "-t", terminal.session, "q")
    screen = terminal.shows("EXIT=0", timeout=30)
    assert "replay: nano-tui replay" in screen
    (run_dir,) = logs.iterdir()
    trajectory = load(run_dir)
    assert trajectory.info.end_reason == "finished" and "middle - 1" in trajectory.info.final_diff


def test_demo_in_step_mode_waits_for_enter_and_q_asks_first(terminal: Terminal, tmp_path: Path):
    logs = tmp_path / "logs"
    terminal.start(f"{NANO_TUI} demo --step --speed 8 --log-dir {logs}", tmp_path)
    terminal.shows("paused before the model call", "Enter: call the model", timeout=90)
    terminal.tmux("send-keys", "-t", terminal.session, "Enter")
    terminal.shows("paused before the tool call", "x: skip it")
    terminal.tmux("send-keys", "-t", terminal.session, "q")
    terminal.shows("Stop it and quit?")
    terminal.tmux("send-keys", "-t", terminal.session, "y")
    screen = terminal.shows("EXIT=", timeout=30)
    assert "EXIT=130" in screen and "run stopped" in screen
    (run_dir,) = logs.iterdir()
    assert load(run_dir).info.end_reason == "stopped"
