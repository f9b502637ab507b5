"""Every command nano-tui prints or names works as printed, from the user's shell."""

from __future__ import annotations

import os
import pty
import re
import shlex
import subprocess
from pathlib import Path

import pytest

import nano_tui
from nano_tui.cli import build_parser
from tests.processes import NANO_TUI, clean_env

SUBCOMMANDS = set(build_parser()._subparsers._group_actions[0].choices)  # type: ignore[union-attr]


def named_commands() -> set[str]:
    """Every ``nano-tui WORD`` in the package's text (help, messages, docstrings) and every
    ``command("WORD", …)`` it builds."""
    words = set()
    for path in Path(nano_tui.__file__).parent.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        words |= set(re.findall(r"`nano-tui ([a-z]+)", text))
        words |= set(re.findall(r"\bcommand\(\"([a-z]+)\"", text))
    return words


def test_every_named_command_exists() -> None:
    named = named_commands()
    assert {"replay", "demo", "themes"} <= named
    assert named <= SUBCOMMANDS, f"named but missing: {named - SUBCOMMANDS}"


@pytest.mark.parametrize("on_path", [False, True], ids=["venv not activated", "venv on PATH"])
def test_demo_prints_a_replay_command_that_runs(on_path: bool, tmp_path: Path) -> None:
    """After ``pip install -e .`` without activating the venv, ``nano-tui`` is not on PATH: the
    printed command names the script's path instead."""
    bin_dir = str(Path(NANO_TUI).parent)
    path = os.pathsep.join(p for p in os.environ["PATH"].split(os.pathsep) if p != bin_dir)
    env = clean_env(PATH=f"{bin_dir}{os.pathsep}{path}" if on_path else path)
    demo = [NANO_TUI, "demo", "--headless", "--speed", "0", "--log-dir", str(tmp_path / "logs")]
    result = subprocess.run(demo, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert result.returncode == 0, result.stderr
    line = result.stdout.strip().splitlines()[-1]
    assert line.startswith("replay: ")
    words = shlex.split(line.removeprefix("replay: "))
    assert words[0] == ("nano-tui" if on_path else NANO_TUI)
    assert words[1] == "replay" and Path(words[2]).parent == tmp_path / "logs"
    listed = subprocess.run([words[0], "runs", str(tmp_path / "logs")], capture_output=True, text=True,
                            env=env, cwd=tmp_path, timeout=60)
    assert listed.returncode == 0 and Path(words[2]).name in listed.stdout, listed.stderr


def test_themes_lists_every_theme_with_a_preview() -> None:
    result = subprocess.run([NANO_TUI, "themes"], capture_output=True, text=True, env=clean_env(), timeout=60)
    assert result.returncode == 0, result.stderr
    rows = {line.split()[0]: line for line in result.stdout.splitlines() if "tool call" in line}
    assert {"nano-dark", "nano-light", "nano-high-contrast", "textual-dark", "nord"} <= set(rows)
    assert "default" in rows["nano-dark"] and "light" in rows["nano-light"]
    assert "\x1b" not in result.stdout, "no colour codes when stdout is not a terminal"


def test_themes_preview_is_drawn_in_the_theme_colours() -> None:
    """In a terminal, each preview line uses its theme's colours (nano-dark's primary is #5fafff)."""
    leader, follower = pty.openpty()
    try:
        process = subprocess.run([NANO_TUI, "themes"], stdout=follower, stderr=subprocess.PIPE, timeout=60,
                                 env=clean_env(TERM="xterm-256color", COLORTERM="truecolor"))
        os.close(follower)
        output = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            output += chunk
    finally:
        os.close(leader)
    assert process.returncode == 0, process.stderr
    dark = next(line for line in output.decode().splitlines() if line.startswith("nano-dark"))
    assert "38;2;95;175;255" in dark
