"""A scroll position mark drawn into a line widget's own last column.

Textual's scrollbar is a widget of its own, and on every turn change it is drawn again row by row
beside the list and the panels: on a 36-row screen that is as much work as the panels themselves.
The timeline and the panel stack draw this one-cell mark instead (the mouse wheel still scrolls).
"""

from __future__ import annotations

from textual.strip import Strip


def thumb_rows(window: int, total: int, offset: int) -> tuple[int, int]:
    """The rows ``[start, end)`` of the mark for a ``window`` of rows at ``offset`` into ``total``."""
    if total <= window or window <= 0:
        return 0, 0
    size = max(1, round(window * window / total))
    start = round(offset * (window - size) / (total - window))
    return start, start + size


def with_thumb(strip: Strip, thumb: Strip) -> Strip:
    """``strip`` with its last cell replaced by ``thumb``."""
    return Strip.join([strip.crop(0, strip.cell_length - thumb.cell_length), thumb])
