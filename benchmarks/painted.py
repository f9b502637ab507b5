"""What a terminal would be sent: every screen update an app makes, timed, and which of them changed
a cell. The latency figures (a key to the screen showing its effect) are read from it."""

from __future__ import annotations

import functools
import time

from rich.cells import get_character_cell_size
from rich.segment import ControlType
from rich.style import Style

#: No screen update for this long means the press has been fully painted; the next press follows.
QUIET = 0.05


@functools.lru_cache(maxsize=4096)
def _drawn(style: Style | None) -> Style | None:
    """What a terminal draws of a style: mouse handlers and links are not drawn."""
    return style.clear_meta_and_links() if style else style


class Painted:
    """Every screen update the app sends, timed once it is encoded as a terminal would receive it.
    Textual may repaint unchanged widgets a frame or two later; :meth:`changed` tells those apart."""

    def __init__(self, app) -> None:
        self.app = app
        self.updates: list[tuple[float, object]] = []
        self._cells: dict[tuple[int, int], tuple] = {}
        self._display = app._display
        app._display = self._record

    def _record(self, screen, update) -> None:
        self._display(screen, update)
        if update is None:
            return
        update.render_segments(self.app.console)  # headless skips the encoding a terminal needs
        self.updates.append((time.perf_counter(), update))

    def changed(self) -> list[bool]:
        """Per update since the last call: did it change any cell a terminal shows?"""
        console = self.app.console
        result = []
        for _, update in self.updates:
            changed = not hasattr(update, "chops")  # a full layout update redraws everything
            x = y = 0
            for segment in update.__rich_console__(console, console.options) if not changed else ():
                if segment.control:
                    for code in segment.control:
                        if code[0] == ControlType.CURSOR_MOVE_TO:
                            x, y = code[1], code[2]
                    continue
                if segment.text == "\n":
                    continue
                style = _drawn(segment.style)
                for char in segment.text:
                    if self._cells.get((x, y)) != (char, style):
                        self._cells[(x, y)] = (char, style)
                        changed = True
                    x += get_character_cell_size(char)
            result.append(changed)
        return result
