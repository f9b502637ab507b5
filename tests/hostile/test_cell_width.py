"""Lines with emoji sequences, combining marks and other width traps keep their right border in a real
terminal: the app lays text out in the cells the terminal gives it (measured here with the C
library's ``wcwidth``, as tmux and most terminals do)."""

from __future__ import annotations

import ctypes
import ctypes.util
from pathlib import Path

import pytest

from tests.processes import NANO_TUI, Terminal, needs_tmux
from tests.ui.runlogs import assistant, tool, write_run

TRAPS = [
    "family 👨\u200d👩\u200d👧 end", "accent e\u0301 end", "zalgo a\u0300\u0301\u0302\u0303 end",
    "heart ❤\ufe0f end", "thumb 👍🏽 end", "keycap 1\ufe0f\u20e3 end", "flag 🇫🇷 end", "hindi नमस्ते end",
    "thai สวัสดี end", "wide 中文字 end", "check ✔\ufe0f done ⚠\ufe0f warn",
]


def _terminal_width() -> ctypes._NamedFuncPointer:
    libc = ctypes.CDLL(ctypes.util.find_library("c"))
    libc.setlocale(0, b"C.UTF-8")  # LC_CTYPE
    return libc.wcwidth


@needs_tmux
def test_every_line_keeps_its_right_border(tmp_path: Path) -> None:
    wcwidth = _terminal_width()
    if wcwidth(ord("中")) != 2:
        pytest.skip("the C library has no UTF-8 locale to measure with")
    text = "\n".join(TRAPS)
    run = write_run(tmp_path / "run", [
        {"content": "task " + text, "role": "user"},
        assistant(text, [("c1", "shell", {"cmd": "printf '" + TRAPS[0] + "'"})]),
        tool("c1", text),
    ])
    terminal = Terminal(tmp_path, 100, 40)
    try:
        terminal.start(f"{NANO_TUI} replay {run} --turn 1")
        screen = terminal.shows("thumb", "heart", "family")
    finally:
        terminal.close()
    columns = set()
    for line in screen.splitlines():
        if line.count("│") >= 2 and "end" in line:
            right = line.rindex("│")
            columns.add(sum(max(wcwidth(ord(ch)), 0) for ch in line[:right]))
    assert len(columns) == 1, f"right borders at columns {sorted(columns)}:\n{screen}"
