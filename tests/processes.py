"""Starting the real ``nano-tui`` process: in a clean environment, and in a real terminal (tmux).

A test run from an interactive shell inherits ``LINES``/``COLUMNS`` (Python's readline exports them),
API keys and whatever else the developer has set; a process the tests start must see none of it, or
it draws at the wrong size and behaves unlike it does in CI.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

NANO_TUI = str(Path(sys.executable).with_name("nano-tui"))

#: The only variables passed on from the test process (HOME is each test's own, see conftest).
PASSED_ON = ("PATH", "HOME", "TMPDIR", "LITELLM_LOCAL_MODEL_COST_MAP")



def needs_tmux(test: Callable) -> Callable:
    """Mark a test that drives the real process in tmux; it skips, saying why, without tmux."""
    skip = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
    return pytest.mark.tmux(skip(test))


def clean_env(**extra: str) -> dict[str, str]:
    """A minimal environment for a child process: no terminal size, no keys, a UTF-8 locale."""
    env = {name: os.environ[name] for name in PASSED_ON if name in os.environ}
    env.update(LANG="C.UTF-8", LC_ALL="C.UTF-8", PYTHONDONTWRITEBYTECODE="1")
    env.update(extra)
    return env


class Terminal:
    """A tmux session of a given size running one command, read back with ``capture-pane``."""

    def __init__(self, tmp_path: Path, width: int = 120, height: int = 36) -> None:
        self.socket = str(tmp_path / "tmux.sock")
        self.session = f"nano-tui-{os.getpid()}"
        self.width, self.height = width, height

    def tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", "-S", self.socket, *args], capture_output=True, text=True,
                              timeout=30, env=clean_env(TERM="xterm-256color")).stdout

    def start(self, command: str, record: Path | None = None, **env: str) -> None:
        """Run ``command`` in a new session, under ``env -i`` with :func:`clean_env` plus ``env``;
        ``EXIT=<code>`` is printed when it ends. With ``record``, every byte the command writes to the
        terminal is appended to that file (``pipe-pane``, attached before the command starts)."""
        variables = " ".join(shlex.quote(f"{name}={value}")
                             for name, value in clean_env(TERM="xterm-256color", **env).items())
        wait = "read _; " if record else ""
        self.tmux("new-session", "-d", "-x", str(self.width), "-y", str(self.height), "-s", self.session,
                  f"{wait}env -i {variables} {command}; echo EXIT=$?; sleep 60")
        if record:
            self.tmux("pipe-pane", "-o", "-t", self.session, f"cat >> {shlex.quote(str(record))}")
            self.keys("Enter")

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", self.session, *keys)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-J", "-t", self.session)  # wrapped lines joined

    def shows(self, *texts: str, timeout: float = 60.0) -> str:
        """The screen once it shows every one of ``texts``; fails after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if all(text in screen for text in texts):
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"{texts!r} never all appeared; the screen was:\n{screen}")
            time.sleep(0.1)

    def gone(self, text: str, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while text in self.screen():
            assert time.monotonic() < deadline, f"{text!r} stayed on screen"
            time.sleep(0.1)

    def close(self) -> None:
        self.tmux("kill-server")
