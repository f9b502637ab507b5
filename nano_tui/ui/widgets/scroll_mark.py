"""A scroll position mark drawn into a line widget's own last column.

Textual's scrollbar is a widget of its own, and on every turn change it is drawn again row by row
beside the list and the panels: on a 36-row screen that is as much work as the panels themselves.
The timeline and the turn view draw this one-cell mark instead (the mouse wheel still scrolls).
"""

from __future__ import annotations

from textual.geometry import Size
from textual.scroll_view import ScrollView
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


def set_virtual_size(view: ScrollView, size: Size, repaint: bool = True) -> None:
    """Change how far ``view`` scrolls without a layout of the whole screen.

    Setting ``virtual_size`` asks Textual for a screen layout, which on a new turn costs more than
    drawing it. A view with a fixed size, no scrollbar widget and a mark drawn by itself only needs
    the new value (scrolling is clamped with it) and a repaint, which ``repaint=False`` leaves to a
    caller that knows which lines changed."""
    if size != view.virtual_size:
        view.set_reactive(ScrollView.virtual_size, size)
        # clamped before scrolling may be refused: content that now fits must not stay scrolled past its end
        view.scroll_to(y=min(view.scroll_y, view.max_scroll_y), animate=False, immediate=True, force=True)
        # what a layout would have decided: scrolling is allowed once the content is taller than the view
        view.set_reactive(ScrollView.show_vertical_scrollbar, size.height > view.container_size.height)
        if repaint:
            view.refresh()
