"""A run played as autoplay plays it, into an asciicast v2 file (what ``asciinema play`` and the
asciinema web player read), with no terminal: the app draws into a driver that writes the bytes a
terminal would have received, stamped on the player's clock rather than the machine's.

Each autoplay step is one interval of that clock (``STEP_SECONDS / speed``), so a recording takes as
long to make as the app takes to draw its frames, not as long as it plays; a marker follows each
turn's first frame, so a player that pauses there shows the turn beginning; the last frame is held
for :data:`HOLD` seconds.
"""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import TextIO

from textual.drivers.headless_driver import HeadlessDriver
from textual.pilot import Pilot
from textual.theme import Theme

from nano_tui.trajectory.trajectory import Trajectory
from nano_tui.ui.autoplay import STEP_SECONDS
from nano_tui.ui.screens.run import RunScreen

#: Seconds the last frame stays on screen.
HOLD = 4.0
#: Hide the cursor and clear the screen first (a terminal driver would have, entering the app).
START = "\x1b[?25l\x1b[H\x1b[2J"


class Cast:
    """An asciicast v2 stream being written: a header line, then ``[time, code, data]`` events."""

    def __init__(self, out: TextIO, width: int, height: int, title: str) -> None:
        self.out = out
        self.now = 0.0
        self.markers = 0
        header = {"version": 2, "width": width, "height": height, "timestamp": int(time.time()),
                  "title": title, "env": {"TERM": "xterm-256color"}}
        out.write(json.dumps(header, ensure_ascii=False) + "\n")
        self.output(START)

    def _event(self, code: str, data: str) -> None:
        self.out.write(json.dumps([round(self.now, 6), code, data], ensure_ascii=False) + "\n")

    def output(self, data: str) -> None:
        if data:
            self._event("o", data)

    def marker(self, label: str) -> None:
        self.markers += 1
        self._event("m", label)

    def wait(self, seconds: float) -> None:
        self.now += seconds


def _driver_for(cast: Cast) -> type[HeadlessDriver]:
    class RecordingDriver(HeadlessDriver):
        """Headless for input and size; a terminal for output, which goes to the cast."""

        @property
        def is_headless(self) -> bool:
            return False  # the app then renders its frames and writes them here

        def write(self, data: str) -> None:
            cast.output(data)

    return RecordingDriver


def record(trajectory: Trajectory, out: TextIO, *, speed: float, size: tuple[int, int],
           present: bool, theme: str | None = None, themes: list[Theme] | None = None) -> int:
    """Play ``trajectory`` into ``out`` as an asciicast; returns the number of turn markers."""
    from nano_tui.ui.app import NanoApp

    name = trajectory.info.path.name if trajectory.info.path else "run"
    cast = Cast(out, *size, title=f"nano-tui · {trajectory.info.task_line or name}")
    app = NanoApp(trajectory, present=present, theme=theme, themes=themes)
    app.driver_class = _driver_for(cast)
    interval = STEP_SECONDS / speed

    async def play(pilot: Pilot) -> None:
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, RunScreen)
        cast.marker(f"turn {screen.current}")
        while True:
            cast.wait(interval)
            step = screen.autoplay_step()
            await pilot.pause()
            if step.kind == "turn":  # after the turn's first frame: a player stopped here shows it
                cast.marker(f"turn {step.value}")
            if step.kind == "end":
                break
        pilot.app.clear_notifications()  # "End of the run." would cover the end it holds
        await pilot.pause()
        cast.wait(HOLD)
        cast.output("\x1b[?25h")  # the cursor back, the last frame held until this moment
        pilot.app.exit()

    asyncio.run(app.run_async(headless=False, size=size, auto_pilot=play))
    return cast.markers


def parse_size(text: str) -> tuple[int, int]:
    """``100x30`` as (100, 30). Raises ValueError for anything else or a size no screen is."""
    width, sep, height = text.lower().partition("x")
    if not sep or not width.isdigit() or not height.isdigit():
        raise ValueError(f"--size wants WIDTHxHEIGHT, such as 100x30, not {text!r}")
    size = int(width), int(height)
    if not (20 <= size[0] <= 500 and 5 <= size[1] <= 200):
        raise ValueError(f"--size {text} is not a terminal size (20x5 to 500x200)")
    return size


def save_recording(trajectory: Trajectory, path: Path, **options) -> int:
    """:func:`record` into ``path``, written beside it and put in place when whole. Raises OSError."""
    from nano_tui.trajectory.export import replacing

    with replacing(path) as out:
        return record(trajectory, out, **options)
