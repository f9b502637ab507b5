"""The list of turns: one virtual, line-rendered widget, so 2,000 turns cost what 40 visible rows do.

Rows are built on demand from ``Trajectory.turn(i)`` (which the loader parses lazily) and cached.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from nano_tui.trajectory.model import Turn
from nano_tui.ui.inert import NAME_WIDTH, call_summary
from nano_tui.ui.textual_seam import set_virtual_size
from nano_tui.ui.themes import ThemeColours, colours_on, on_cursor
from nano_tui.ui.widgets.scroll_mark import thumb_rows, with_thumb

#: Below this width a row leaves out the turn's duration, so the command keeps some room.
COMPACT_WIDTH = 36
#: The colour of each part of a row, and of the scroll mark, in the theme's variables (see
#: ``theme_colour``), and whether it is bold. Worked out once per theme, not as component classes.
PARTS: dict[str, tuple[str, bool]] = {
    "number": ("$text-muted", False), "hit": ("$warning", True), "failed": ("$error", True),
    "note": ("$warning", False), "tool": ("$primary", False), "patch": ("$accent", False),
    "answer": ("$secondary", False), "duration": ("$text-muted", False), "thumb": ("$foreground 35%", False),
}
#: The cursor row's background, and with the focus on the list.
CURSOR, FOCUSED_CURSOR = "$primary 40%", "$primary 70%"
#: Turns whose drawn rows are kept (a few variants each: selected, focused, width).
CACHE_SIZE = 1_000


class Timeline(ThemeColours[dict[str, Style]], ScrollView, can_focus=True):
    """Turn rows with the current one highlighted; clicking a row asks to open that turn."""

    DEFAULT_CSS = """
    Timeline {
        width: 44;
        height: 1fr;
        border-right: vkey $foreground 20%;
        background: $surface;
        overflow-x: hidden;
        scrollbar-size-vertical: 0;
    }
    Timeline.-narrow { width: 30; }
    Timeline.-hidden { display: none; }
    """

    #: Moving through rows is the screen's business (filters, follow mode): these call its actions.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "screen.prev_turn", "Previous turn", show=False),
        Binding("down,j", "screen.next_turn", "Next turn", show=False),
        Binding("home", "screen.first_turn", "First turn", show=False),
        Binding("end", "screen.last_turn", "Last turn", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
    ]

    class Picked(Message):
        """The user picked a row with the mouse or by paging."""

        def __init__(self, turn: int) -> None:
            super().__init__()
            self.turn = turn

    def __init__(self, turn_at: Callable[[int], Turn], **kwargs) -> None:
        super().__init__(**kwargs)
        self._turn_at = turn_at
        self.rows: list[int] = []
        self._row_of: dict[int, int] = {}
        self.current: int | None = None
        self.hits: set[int] = set()
        self.noted: set[int] = set()
        #: turn → (width, selected, focused, theme) → its drawn row
        self._cache: dict[int, dict[tuple, Strip]] = {}
        self.number_width = 3

    # -- content -------------------------------------------------------------------------------

    def set_rows(self, rows: list[int]) -> None:
        self.rows = rows
        self._row_of = {turn: row for row, turn in enumerate(rows)}
        self._fit_numbers()
        self._resize()
        self.refresh()

    def _fit_numbers(self) -> None:
        """Turn numbers are right-aligned in a column as wide as the largest (at least 3 digits)."""
        digits = max(3, len(str(self.rows[-1]))) if self.rows else 3
        if digits != self.number_width:
            self.number_width = digits
            self._cache.clear()
            self.refresh()

    def append_rows(self, rows: list[int]) -> None:
        """New turns of a growing run: extend, and repaint only the new rows and the scroll mark."""
        first, thumb = len(self.rows), self._thumb_rows()
        for turn in rows:
            self._row_of[turn] = len(self.rows)
            self.rows.append(turn)
        self._fit_numbers()
        top = self.scroll_offset.y
        set_virtual_size(self, Size(self.scrollable_content_region.width, len(self.rows)), repaint=False)
        if self.scroll_offset.y != top:
            self.refresh()
            return
        marks = [(top + start, top + end) for start, end in (thumb, self._thumb_rows())]
        for start, end in [(first, len(self.rows)), *marks]:
            if end > start:
                self.refresh_lines(start, end - start)

    def invalidate(self, turn: int) -> None:
        """A turn changed (a live turn grew): redraw its row."""
        self._cache.pop(turn, None)
        row = self._row_of.get(turn)
        if row is not None:
            self.refresh_line(row)

    def set_hits(self, hits: set[int]) -> None:
        self.hits = hits
        self._cache.clear()
        self.refresh()

    def set_notes(self, noted: set[int]) -> None:
        """Mark the turns that have a note (✎)."""
        if noted != self.noted:
            self.noted = noted
            self._cache.clear()
            self.refresh()

    def select(self, turn: int | None) -> None:
        """Highlight ``turn`` and scroll it into view; without a scroll only the two rows are redrawn."""
        previous = self._row_of.get(self.current) if self.current is not None else None
        self.current = turn
        row = self._row_of.get(turn) if turn is not None else None
        top = self.scroll_offset.y
        if row is not None and not self.scroll_offset.y <= row < self.scroll_offset.y + self.size.height:
            # centred rather than at the edge: stepping on then redraws two rows, not the whole list
            self.scroll_to_region(Region(0, row, 1, 1), animate=False, immediate=True, center=True)
        if self.scroll_offset.y != top or previous is None or row is None:
            self.refresh()
            return
        for changed in (previous, row):
            self.refresh_line(changed)

    def clear_cache(self) -> None:
        self._cache.clear()
        self.refresh()

    def _resize(self) -> None:
        set_virtual_size(self, Size(self.scrollable_content_region.width, len(self.rows)))

    def on_resize(self) -> None:
        self._cache.clear()
        self._resize()

    # -- rendering -----------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        row = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        styles = self.colours()
        if row >= len(self.rows) or width <= 1:
            return Strip.blank(width, styles["base"])
        turn_index = self.rows[row]
        selected = turn_index == self.current
        # only the cursor row looks different with focus: the rest survive focus changes
        key = (width, selected, selected and self.has_focus, self.app.theme)
        drawn = self._cache.get(turn_index)
        if drawn is None:
            if len(self._cache) > CACHE_SIZE:
                self._cache.clear()
            drawn = self._cache[turn_index] = {}
        strip = drawn.get(key)
        if strip is None:
            # the last column is the scroll mark's
            segments = self._render_row(turn_index, width - 1, selected)
            strip = drawn[key] = Strip([*segments, Segment(" ", styles["base"])], width)
        start, end = self._thumb_rows()
        if start <= y < end:
            return with_thumb(strip, Strip([Segment("▐", styles["thumb"])], 1))
        return strip

    def _thumb_rows(self) -> tuple[int, int]:
        """The scroll mark's rows on screen."""
        return thumb_rows(self.size.height, len(self.rows), self.scroll_offset.y)

    def work_out_colours(self) -> dict[str, Style]:
        """The Rich styles of a row's parts over the view's, and the cursor's (a screenful of rows asks
        for about 200)."""
        base, colour = self.visual_style.rich_style, colours_on(self)
        return {
            "base": base,
            **{name: base + Style(color=colour(spec), bold=bold or None)
               for name, (spec, bold) in PARTS.items()},
            "cursor": Style(bgcolor=colour(CURSOR), bold=True),
            "focused cursor": Style(bgcolor=colour(FOCUSED_CURSOR), bold=True),
        }

    def _render_row(self, turn_index: int, width: int, selected: bool) -> list[Segment]:
        """The turn's number, marks, tool name and summary, the duration at the right edge: segments
        exactly ``width`` cells long, made into one strip with the scroll mark's column (no Rich
        ``Text`` nor intermediate strips: a screenful of rows is drawn before the first frame)."""
        turn = self._turn_at(turn_index)
        name, summary = call_summary(turn)
        failed = bool(turn.failed_calls or turn.error)
        compact = width < COMPACT_WIDTH
        duration = f" {turn.duration:.1f}s" if turn.duration is not None and not compact else ""
        marks = [("✗" if failed else " ", "failed"), ("✎", "note")] if turn_index in self.noted \
            else [("✗ " if failed else "  ", "failed")]
        name_style = ("failed" if failed and not turn.tool_calls else "answer" if name == "answer"
                      else "patch" if turn.has_patch else "tool")
        number = f"{turn_index:>{self.number_width + (0 if compact else 1)}} "
        parts = [(number, "hit" if turn_index in self.hits else "number"), *marks,
                 (f"{name:<{NAME_WIDTH}} ", name_style)]
        room = width - sum(cell_len(text) for text, _ in parts) - len(duration)
        if room > 1:
            fits = cell_len(summary) <= room
            parts.append((summary if fits else set_cell_size(summary, room - 1) + "…", "base"))
            room -= min(room, cell_len(parts[-1][0]))
        styles = self.colours()
        segments = [Segment(text, styles[style]) for text, style in parts]
        if room > 0:
            segments.append(Segment(" " * room, styles["base"]))
        elif room < 0:  # a list too narrow for even the tool's name
            segments = list(Strip(segments).crop(0, width - len(duration)))
        if duration:
            segments.append(Segment(duration, styles["duration"]))
        if not selected:
            return segments
        cursor = styles["focused cursor" if self.has_focus else "cursor"]
        return list(on_cursor(Strip(segments, width), cursor))

    # -- mouse ---------------------------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        row = self.scroll_offset.y + event.y
        if 0 <= row < len(self.rows):
            self.post_message(self.Picked(self.rows[row]))

    def action_page(self, direction: int) -> None:
        row = self._row_of.get(self.current) if self.current is not None else None
        if row is None or not self.rows:
            return
        target = max(0, min(len(self.rows) - 1, row + direction * max(1, self.size.height - 1)))
        self.post_message(self.Picked(self.rows[target]))
