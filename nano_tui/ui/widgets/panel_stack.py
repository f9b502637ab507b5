"""Any list of panels, one under the other, drawn line by line as one scrolling widget.

Showing another list costs the ~30 lines on screen, not the layout and painting of a dozen widgets,
and :meth:`PanelStack.set_panels` may be called again and again with the same list (a live run redraws
up to ten times a second): nothing is redrawn unless a panel, its body, title or state changed. What
the panels of a turn are is the presenter's business (``ui/presenter.py``); the replay and live views,
and any other view of panels, draw them here. Click a panel (or Tab to it) to select it for ``y``;
Enter or a click opens a panel that opens (thinking).
"""

from __future__ import annotations

import bisect
from typing import ClassVar, NamedTuple

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from nano_tui.ui.panels.base import Panel
from nano_tui.ui.textual_seam import set_virtual_size
from nano_tui.ui.themes import CodeStyle, ThemeColours, colours_on, syntax_style
from nano_tui.ui.widgets.scroll_mark import thumb_rows, with_thumb

#: Colours of a panel's border, title and subtitle, by tone (a panel's ``tone`` or ``state``), in
#: the theme's variables. Worked out from them once per theme rather than as component classes: Textual
#: styles every component class of a widget again on each focus or class change, and these 39 were
#: most of the run screen's (6 ms of its start, paired A/B).
TONES: dict[str, tuple[str, str, str]] = {
    "plain": ("$foreground 30%", "$foreground 80%", "$foreground 60%"),
    "thinking": ("$foreground 15%", "$text-muted", "$foreground 60%"),
    "answer": ("$secondary 70%", "$secondary", "$foreground 60%"),
    "call": ("$primary 50%", "$primary", "$foreground 60%"),
    "output": ("$foreground 30%", "$foreground 80%", "$success"),
    "diff": ("$accent 60%", "$accent", "$foreground 60%"),
    "error": ("$error", "$error", "$error"),
    "failed": ("$error 80%", "$foreground 80%", "$error"),
    "warning": ("$warning 70%", "$foreground 80%", "$warning"),
    "nudge": ("$warning 60%", "$warning", "$foreground 60%"),
    "success": ("$success 70%", "$success", "$foreground 60%"),
    "stopped": ("$warning", "$warning", "$warning"),
    "selected": ("$primary", "$primary", "$primary"),
}
#: The colours of a body's text by its tone (and whether it is italic), of the scroll mark, of nano's
#: notes in an output, and of a search hit's text and background, worked out with the tones.
BODIES: dict[str, tuple[str, bool]] = {"quiet": ("$text-muted", False), "thinking": ("$text-muted", True)}
THUMB, WARNING, HIT = "$foreground 35%", "$warning", ("$background", "$warning")
#: Blank cells around a panel's body: margin, border, padding on each side.
SIDE = 3
LINE_CACHE = 2_000


class Palette(NamedTuple):
    """Rich styles for drawing: the view's, the body tones', and (border, title, subtitle) per tone."""

    base: Style
    #: The right margin's cell where the scroll position is marked.
    thumb: Strip
    bodies: dict[str, Style]
    tones: dict[str, tuple[Style, ...]]
    #: nano's notes in an output (a hex colour), a search hit, and how code is coloured.
    warning: str
    hit: Style
    code: CodeStyle


def _edge(width: int, start: str, end: str, label: str, label_style: Style, border: Style,
          base: Style, right: bool) -> Strip:
    """A top or bottom border with its title (left) or subtitle (right)."""
    room = width - 8
    segments = [Segment(" ", base), Segment(start + "─", border)]
    if label and room > 1:
        text = Text(label, no_wrap=True, overflow="ellipsis", end="")
        text.truncate(room, overflow="ellipsis")
        label_width = cell_len(text.plain) + 2
        if right:
            segments.append(Segment("─" * (width - 6 - label_width), border))
        segments.append(Segment(f" {text.plain} ", label_style))
        if not right:
            segments.append(Segment("─" * (width - 6 - label_width), border))
    else:
        segments.append(Segment("─" * (width - 6), border))
    segments += [Segment("─" + end, border), Segment(" ", base)]
    return Strip(segments, width)


class PanelStack(ThemeColours[Palette], ScrollView, can_focus=True, inherit_bindings=False):
    DEFAULT_CSS = """
    PanelStack { height: 1fr; overflow-x: hidden; scrollbar-size-vertical: 0; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "scroll_up", "Scroll up", show=False),
        Binding("down", "scroll_down", "Scroll down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("tab", "select_panel(1)", "Next panel", show=False),
        Binding("shift+tab", "select_panel(-1)", "Previous panel", show=False),
        Binding("enter", "toggle_panel", "Open / close thinking", show=False),
    ]

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.selected: Panel | None = None
        #: The panels to draw, and the line each starts at.
        self._placed: list[Panel] = []
        self._starts: list[int] = []
        #: What the last layout drew, to skip redrawing the same again.
        self._drawn: tuple = ()
        #: Drawn lines by line number, until the next layout.
        self._lines: dict[int, Strip] = {}
        #: Whether the panels changed since :meth:`keep_newest_in_view` last looked.
        self.grew = False

    def set_panels(self, panels: list[Panel]) -> None:
        """Draw ``panels`` (those with a body), in this order."""
        self._layout([panel for panel in panels if panel.body is not None])

    def panels(self) -> list[Panel]:
        """The panels on screen now, in reading order."""
        return list(self._placed)

    def panel_offset(self, panel: Panel) -> tuple[int, int] | None:
        """Where ``panel``'s first body line is, relative to the widget (for clicking it)."""
        if panel not in self._placed:
            return None
        return SIDE, self._starts[self._placed.index(panel)] + 1 - self.scroll_offset.y

    def body_lines(self, panel: Panel) -> list[Strip]:
        """``panel``'s body as drawn at the current width."""
        return self._body_lines(panel, self.body_width()) if panel.body is not None else []

    def body_width(self) -> int:
        return self.scrollable_content_region.width - 2 * SIDE

    def body_style(self, panel: Panel) -> Style:
        palette = self.colours()
        return palette.bodies[panel.body_tone] if panel.body_tone else palette.base

    def refresh_panel(self, panel: Panel) -> None:
        """Redraw ``panel``'s lines (its title, subtitle or colours changed, not its height)."""
        if panel in self._placed:
            index = self._placed.index(panel)
            start = self._starts[index]
            end = start + self._height(panel)
            for line in range(start, end):
                self._lines.pop(line, None)
            self.refresh_lines(start, end - start)

    def keep_newest_in_view(self, streaming: bool) -> None:
        """Following a live run: after the panels changed, bring the newest (the last one) into view —
        its end while it streams, else all of it, or its top when it is taller than the view."""
        if not self.grew or not self._placed:
            return
        self.grew = False
        if streaming:
            self.scroll_to(y=self.max_scroll_y, animate=False, immediate=True)
            return
        start, height = self._starts[-1], self._height(self._placed[-1]) - 1
        self.scroll_to_region(Region(0, start, 1, height), animate=False, immediate=True,
                              top=height > self.size.height)

    # -- drawing -------------------------------------------------------------------------------

    def work_out_colours(self) -> Palette:
        """The Rich styles of every tone (a frame draws ~30 lines)."""
        base, colour = self.visual_style.rich_style, colours_on(self)
        return Palette(
            base=base,
            thumb=Strip([Segment("▐", base + Style(color=colour(THUMB)))], 1),
            bodies={tone: base + Style(color=colour(spec), italic=italic or None)
                    for tone, (spec, italic) in BODIES.items()},
            tones={tone: tuple(base + Style(color=colour(spec)) for spec in specs)
                   for tone, specs in TONES.items()},
            warning=colour(WARNING).get_truecolor().hex,
            hit=Style(color=colour(HIT[0]), bgcolor=colour(HIT[1]), bold=True),
            code=syntax_style(self.app.current_theme, self.app.theme_variables),
        )

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._lines.clear()
        self._drawn = ()

    def _body_lines(self, panel: Panel, width: int) -> list[Strip]:
        assert panel.body is not None
        return panel.body.strips(self.app.console, width, self.body_style(panel))

    def _height(self, panel: Panel) -> int:
        """Lines the panel takes: its body, two borders and a blank line under it."""
        width = self.body_width()
        return (len(self.body_lines(panel)) if width > 0 else 0) + 3

    def _layout(self, placed: list[Panel] | None = None) -> None:
        """Place the panels one under the other and redraw what is on screen, if it changed."""
        placed = self._placed if placed is None else placed
        drawn = (self.body_width(), *((panel, panel.body, panel.title, panel.subtitle, panel.state)
                                      for panel in placed))
        if drawn == self._drawn:
            return
        self._drawn = drawn
        starts, y = [], 0
        for panel in placed:
            starts.append(y)
            y += self._height(panel)
        self._placed, self._starts = placed, starts
        self.grew = True
        self._lines.clear()
        set_virtual_size(self, Size(self.scrollable_content_region.width, y))
        self.refresh()

    def on_resize(self) -> None:
        # also sent for a new height of the content: only a new width changes what is drawn
        self._drawn = ()
        self._layout()

    def render_line(self, y: int) -> Strip:
        line = self.scroll_offset.y + y
        strip = self._lines.get(line)
        if strip is None:
            if len(self._lines) > LINE_CACHE:
                self._lines.clear()
            strip = self._lines[line] = self._draw_line(line)
        start, end = thumb_rows(self.size.height, self.virtual_size.height, self.scroll_offset.y)
        return with_thumb(strip, self.colours().thumb) if start <= y < end else strip

    def _draw_line(self, line: int) -> Strip:
        width = self.scrollable_content_region.width
        palette = self.colours()
        index = bisect.bisect_right(self._starts, line) - 1
        if index < 0 or width <= 2 * SIDE:
            return Strip.blank(width, palette.base)
        panel = self._placed[index]
        row = line - self._starts[index]
        body = self._body_lines(panel, width - 2 * SIDE)
        if row > len(body) + 1:
            return Strip.blank(width, palette.base)
        selected = panel is self.selected and self.has_focus
        border, title, subtitle = palette.tones["selected" if selected else panel.state or panel.tone]
        if row == 0:
            return _edge(width, "╭", "╮", panel.title, title, border, palette.base, right=False)
        if row == len(body) + 1:
            return _edge(width, "╰", "╯", panel.subtitle, subtitle, border, palette.base, right=True)
        side = [Segment(" ", palette.base), Segment("│", border), Segment(" ", palette.base)]
        return Strip([*side, *body[row - 1], *side], width)

    # -- selecting panels ----------------------------------------------------------------------

    def select(self, panel: Panel | None) -> None:
        """Make ``panel`` the one ``y`` copies, and bring it into view."""
        previous, self.selected = self.selected, panel
        for changed in (previous, panel):
            if changed is not None:
                self.refresh_panel(changed)
        if panel in self._placed:
            index = self._placed.index(panel)
            height = self._height(panel) - 1
            self.scroll_to_region(Region(0, self._starts[index], 1, height), animate=False, immediate=True,
                                  top=height > self.size.height)

    def action_select_panel(self, step: int) -> None:
        """Tab through the panels; past the last (or before the first) focus leaves the view."""
        placed = self._placed
        position = placed.index(self.selected) + step if self.selected in placed else 0
        if not 0 <= position < len(placed):
            self.select(None)
            if step > 0:
                self.screen.focus_next()
            else:
                self.screen.focus_previous()
            return
        self.select(placed[position])

    def action_toggle_panel(self) -> None:
        if self.selected is not None and self.selected.toggle():
            self._drawn = ()
            self._layout()

    def on_focus(self) -> None:
        if self.selected not in self._placed and self._placed:
            self.select(self._placed[0])
        elif self.selected is not None:
            self.refresh_panel(self.selected)

    def on_blur(self) -> None:
        if self.selected is not None:
            self.refresh_panel(self.selected)

    def on_click(self, event: events.Click) -> None:
        line = self.scroll_offset.y + event.y
        index = bisect.bisect_right(self._starts, line) - 1
        if index < 0:
            return
        self.select(self._placed[index])
        self.action_toggle_panel()
