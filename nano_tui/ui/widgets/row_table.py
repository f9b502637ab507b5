"""A table of rows under a header that stays put: virtual and line-rendered, so 10,000 rows cost what
the visible ones do.

Textual's ``DataTable`` builds and measures every row it holds: refilling 200 rows as a filter is typed
took 150–240 ms a key (``benchmarks/run_listing.py``). Here the owner gives the rows as keys and a
function that makes one row's cells; only the rows on screen are made, and kept until the columns change.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar, NamedTuple

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from nano_tui.ui.textual_seam import set_virtual_size
from nano_tui.ui.themes import on_cursor
from nano_tui.ui.widgets.scroll_mark import thumb_rows, with_thumb

#: Cells on each side of a column's content.
PADDING = 1
#: Rows whose drawn lines are kept.
CACHE_SIZE = 2_000


class TableColumn(NamedTuple):
    title: str
    width: int
    #: Numbers line up on the right.
    right: bool = False


class RowTable(ScrollView, can_focus=True):
    """Rows (keys the owner knows) drawn by ``cells(key)``; a cursor row; a click on a header or a row
    is a message to the owner."""

    DEFAULT_CSS = """
    RowTable {
        height: 1fr;
        overflow-x: hidden;
        scrollbar-size-vertical: 0;
    }
    RowTable > .row-table--header { text-style: bold; background: $panel; }
    RowTable > .row-table--stripe { background: $surface; }
    RowTable > .row-table--cursor { background: $primary 40%; }
    RowTable:focus > .row-table--cursor { background: $primary 70%; }
    RowTable > .row-table--thumb { color: $foreground 35%; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"row-table--header", "row-table--stripe", "row-table--cursor",
                                              "row-table--thumb"}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "move(-1)", "Up", show=False),
        Binding("down,j", "move(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "move_to(0)", "First row", show=False),
        Binding("end", "move_to(-1)", "Last row", show=False),
    ]

    class HeaderClicked(Message):
        def __init__(self, title: str) -> None:
            super().__init__()
            self.title = title

    class RowClicked(Message):
        def __init__(self, key: int) -> None:
            super().__init__()
            self.key = key

    def __init__(self, cells: Callable[[int], list[Text]], **kwargs) -> None:
        super().__init__(**kwargs)
        self._cells = cells
        self.columns: list[TableColumn] = []
        self.keys: list[int] = []
        self.cursor = 0
        #: key → (width, stripe, cursor, focused, theme) → its drawn line
        self._cache: dict[int, dict[tuple, Strip]] = {}

    # -- content -------------------------------------------------------------------------------

    def set_columns(self, columns: list[TableColumn]) -> None:
        """New columns, for new rows: every row is made again, and the cursor goes back to the top."""
        self.columns = columns
        self.keys = []
        self.cursor = 0
        self._cache.clear()
        self.refresh()

    def set_rows(self, keys: list[int]) -> None:
        """The rows, in order; the cursor stays on its row when the row is still there."""
        current = self.cursor_key
        self.keys = keys
        self.cursor = keys.index(current) if current is not None and current in keys else 0
        set_virtual_size(self, Size(self.scrollable_content_region.width, len(keys) + 1), repaint=False)
        self._show_cursor()
        self.refresh()

    @property
    def row_count(self) -> int:
        return len(self.keys)

    @property
    def cursor_key(self) -> int | None:
        return self.keys[self.cursor] if 0 <= self.cursor < len(self.keys) else None

    # -- the cursor ----------------------------------------------------------------------------

    def action_move(self, delta: int) -> None:
        self.move_to(self.cursor + delta)

    def action_move_to(self, row: int) -> None:
        self.move_to(row if row >= 0 else len(self.keys) - 1)

    def action_page(self, direction: int) -> None:
        self.move_to(self.cursor + direction * max(1, self.size.height - 2))

    def move_to(self, row: int) -> None:
        if not self.keys:
            return
        previous, self.cursor = self.cursor, max(0, min(len(self.keys) - 1, row))
        if not self._show_cursor():
            for changed in (previous, self.cursor):
                self.refresh_line(changed + 1)  # a line of the content, under the header

    def _show_cursor(self) -> bool:
        """Scroll so the cursor row is on screen; whether that scrolled (and repainted everything)."""
        rows = max(1, self.size.height - 1)
        top = self.scroll_offset.y
        wanted = min(top, self.cursor) if self.cursor < top + rows else self.cursor - rows + 1
        if wanted == top:
            return False
        self.scroll_to(y=wanted, animate=False, immediate=True, force=True)
        self.refresh()
        return True

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def on_resize(self) -> None:
        set_virtual_size(self, Size(self.scrollable_content_region.width, len(self.keys) + 1))
        self._show_cursor()

    # -- rendering -----------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.visual_style.rich_style
        if width <= 1:
            return Strip.blank(width, base)
        if y == 0:
            header = self._line([Text(column.title) for column in self.columns], width - 1,
                                base + self._style("header"))
            return Strip.join([header, Strip.blank(1, base + self._style("header"))])
        row = self.scroll_offset.y + y - 1
        if row >= len(self.keys):
            return Strip.blank(width, base)
        strip = self._row(row, width, base)
        start, end = thumb_rows(self.size.height - 1, len(self.keys), self.scroll_offset.y)
        if start <= y - 1 < end:
            return with_thumb(strip, Strip([Segment("▐", base + self._style("thumb"))], 1))
        return strip

    def _row(self, row: int, width: int, base: Style) -> Strip:
        key = self.keys[row]
        cursor = row == self.cursor
        variant = (width, row % 2 == 1, cursor, cursor and self.has_focus, self.app.theme)
        drawn = self._cache.get(key)
        if drawn is None:
            if len(self._cache) > CACHE_SIZE:
                self._cache.clear()
            drawn = self._cache[key] = {}
        strip = drawn.get(variant)
        if strip is None:
            line = self._line(self._cells(key), width - 1, base + self._style("stripe") if row % 2 else base)
            if cursor:
                line = on_cursor(line, base + self._style("cursor"))
            strip = drawn[variant] = Strip.join([line, Strip.blank(1, base)])
        return strip

    def _line(self, cells: list[Text], width: int, style: Style) -> Strip:
        """``cells`` in their columns, each cut to its width, over ``style``."""
        line = Text(no_wrap=True, end="")
        for cell, column in zip(cells, self.columns, strict=False):
            cell = cell.copy()
            cell.truncate(column.width, overflow="ellipsis")
            gap = " " * (column.width - cell.cell_len)
            line.append(" " * PADDING)
            if column.right:
                line.append(gap)
            line.append_text(cell)
            if not column.right:
                line.append(gap)
            line.append(" " * PADDING)
        line.truncate(width, overflow="ellipsis", pad=True)
        strip = Strip(line.render(self.app.console), line.cell_len)
        return strip.adjust_cell_length(width).apply_style(style)

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"row-table--{name}")

    # -- mouse ---------------------------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        if event.y == 0:
            x = 0
            for column in self.columns:
                x += column.width + 2 * PADDING
                if event.x < x:
                    self.post_message(self.HeaderClicked(column.title))
                    return
            return
        row = self.scroll_offset.y + event.y - 1
        if 0 <= row < len(self.keys):
            self.move_to(row)
            self.post_message(self.RowClicked(self.keys[row]))
