"""One turn as panels: error, thinking, answer, each tool call with its output, nudges, diff.

All panels are drawn by this one scrolling widget, line by line like the timeline: showing another
turn costs the ~30 lines on screen, not the layout and painting of a dozen widgets. ``show`` may be
called again and again for the same turn while it grows (a live run redraws up to ten times a second).
Click a panel (or Tab to it) to select it for ``y``; click or Enter opens the thinking panel.
"""

from __future__ import annotations

import bisect
import json
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.reactive import var
from textual.scroll_view import ScrollView
from textual.strip import Strip

from nano_tui.trajectory.model import RunInfo, Turn
from nano_tui.ui.panels.answer import AnswerPanel
from nano_tui.ui.panels.base import Panel
from nano_tui.ui.panels.body import Prepared
from nano_tui.ui.panels.diff import DiffPanel
from nano_tui.ui.panels.note import NotePanel
from nano_tui.ui.panels.summary import SummaryPanel
from nano_tui.ui.panels.thinking import ThinkingPanel
from nano_tui.ui.panels.tool_call import ToolCallPanel
from nano_tui.ui.panels.tool_output import ToolOutputPanel
from nano_tui.ui.themes import CodeStyle, syntax_style
from nano_tui.ui.widgets.scroll_mark import set_virtual_size, thumb_rows, with_thumb

#: Reveal stages for autoplay: each turn shows thinking, then the call, then its output, then the diff.
THINKING, CALL, OUTPUT, DIFF = 1, 2, 3, 4
FULL = DIFF

#: Colours of a panel's border, title and subtitle, by tone (a panel's ``tone`` or ``state``).
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
#: Blank cells around a panel's body: margin, border, padding on each side.
SIDE = 3
LINE_CACHE = 2_000


def _tone_css() -> str:
    rules = []
    for tone, (border, title, subtitle) in TONES.items():
        rules += [f"TurnView > .tone--{tone} {{ color: {border}; }}",
                  f"TurnView > .tone--{tone}-title {{ color: {title}; }}",
                  f"TurnView > .tone--{tone}-subtitle {{ color: {subtitle}; }}"]
    return "\n".join(rules)


@dataclass(frozen=True)
class Palette:
    """Rich styles for drawing: the view's, the body tones', and (border, title, subtitle) per tone."""

    base: Style
    #: The right margin's cell where the scroll position is marked.
    thumb: Strip
    bodies: dict[str, Style]
    tones: dict[str, tuple[Style, ...]]


@dataclass(frozen=True)
class DiffView:
    """The diff to show beside a turn and what to call it."""

    text: str
    title: str
    #: Cumulative views show "no changes" rather than hiding when empty.
    cumulative: bool = False
    #: Rebuilt from search/replace: the changes are exact, their line numbers unknown.
    approximate: bool = False


def tool_list(tools: list[dict]) -> str:
    """One line per offered tool: ``name(param, …) — description``."""
    lines = []
    for tool in tools:
        function = tool.get("function") if isinstance(tool, dict) else None
        if not isinstance(function, dict):
            lines.append(json.dumps(tool, ensure_ascii=False))
            continue
        parameters = function.get("parameters")
        properties = parameters.get("properties") if isinstance(parameters, dict) else None
        names = ", ".join(properties) if isinstance(properties, dict) else ""
        lines.append(f"{function.get('name', '?')}({names}) — {function.get('description', '')}".rstrip(" —"))
    return "\n".join(lines)


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


class TurnView(ScrollView, can_focus=True, inherit_bindings=False):
    DEFAULT_CSS = f"""
    TurnView {{ height: 1fr; overflow-x: hidden; scrollbar-size-vertical: 0; }}
    TurnView > .turn-view--thumb {{ color: $foreground 35%; }}
    TurnView > .body--quiet {{ color: $text-muted; }}
    TurnView > .body--thinking {{ color: $text-muted; text-style: italic; }}
    {_tone_css()}
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"body--quiet", "body--thinking", "turn-view--thumb"} | {
        f"tone--{tone}{part}" for tone in TONES for part in ("", "-title", "-subtitle")}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "scroll_up", "Scroll up", show=False),
        Binding("down", "scroll_down", "Scroll down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("tab", "select_panel(1)", "Next panel", show=False),
        Binding("shift+tab", "select_panel(-1)", "Previous panel", show=False),
        Binding("enter", "toggle_panel", "Open / close thinking", show=False),
    ]

    show_thinking = var(True)
    raw_answer = var(False)
    expanded = var(False)
    #: Outputs show what the command printed (kept by the sidecar) instead of what the model saw.
    printed = var(False)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.turn: Turn | None = None
        self.stage = FULL
        self._info: RunInfo | None = None
        self._diff = DiffView("", "diff")
        #: The run's end summary, shown atop its last turn once it has ended.
        self._summary: Text | None = None
        self._mark = ("", "")
        self.error = NotePanel("error", stage=THINKING, tone="error")
        self.summary = SummaryPanel()
        self.thinking = ThinkingPanel()
        self.answer = AnswerPanel()
        self.nudges = NotePanel("nudge", stage=OUTPUT, tone="nudge")
        self.diff_panel = DiffPanel()
        self.task_note = NotePanel("task", stage=THINKING)
        self.system_note = NotePanel("system prompt", stage=THINKING, body_tone="quiet")
        self.tools_note = NotePanel("tools", stage=THINKING, body_tone="quiet")
        self._head: list[Panel] = [self.error, self.summary, *self.extra_panels(), self.task_note,
                                   self.system_note, self.tools_note, self.thinking, self.answer]
        self._calls: list[tuple[ToolCallPanel, ToolOutputPanel]] = []
        self._tail: list[Panel] = [self.nudges, self.diff_panel]
        self.selected: Panel | None = None
        #: The drawn panels and the line each starts at.
        self._placed: list[Panel] = []
        self._starts: list[int] = []
        #: What the last layout drew, to skip redrawing the same again.
        self._drawn: tuple = ()
        self._colours: Palette | None = None
        #: Drawn lines by line number, until the next layout.
        self._lines: dict[int, Strip] = {}
        #: Whether the panels changed since :meth:`keep_newest_in_view` last looked.
        self.grew = False
        #: Where each turn visited was left: (scroll offset, unfolded).
        self._left: dict[int, tuple[int, bool]] = {}

    def extra_panels(self) -> list[Panel]:
        """Panels a subclass adds under the error panel, on top so no long turn hides them."""
        return []

    # -- public --------------------------------------------------------------------------------

    def show(self, turn: Turn, info: RunInfo, diff: DiffView, stage: int = FULL,
             summary: Text | None = None) -> None:
        """Render ``turn`` (again). Cheap when nothing changed. Another turn opens where it was left
        (unfolded or not, scrolled as far), else at its top."""
        new_turn = self.turn is None or self.turn.index != turn.index
        if new_turn:
            if self.turn is not None:
                self._left[self.turn.index] = (self.scroll_offset.y, self.expanded)
            scroll, expanded = self._left.get(turn.index, (0, False))
            self.set_reactive(TurnView.expanded, expanded)
        self.turn, self._info, self._diff, self.stage = turn, info, diff, stage
        self._summary = summary
        self._render_turn()
        if new_turn:
            self.scroll_to(y=min(scroll, self.max_scroll_y), animate=False, immediate=True, force=True)

    def warm(self, turn: Turn, diff: DiffView) -> None:
        """Prepare ``turn``'s panels at the current width without showing them, so that moving to
        it next costs lookups instead of highlighting and wrapping its text."""
        style = syntax_style(self.app.current_theme)
        ahead: list[tuple[Panel, Prepared]] = []
        if turn.thinking:
            ahead.append((self.thinking, self.thinking.prepare(turn.thinking)))
        if turn.text.strip():
            ahead.append((self.answer, self.answer.prepare(turn.text, style)))
        if self._calls:
            call_panel, output_panel = self._calls[0]
            for call in turn.tool_calls:
                ahead += [(call_panel, call_panel.prepare(call, style)),
                          (output_panel, output_panel.prepare(call, self._warning(), False, self.printed))]
        if turn.index:
            prepared_diff = self.diff_panel.prepare(diff.text, style, approximate=diff.approximate)
            ahead.append((self.diff_panel, prepared_diff))
        for panel, prepare in ahead:
            panel.warm(prepare, self.app.console, self._body_width(), self._body_style(panel))

    def set_stage(self, stage: int) -> None:
        self.stage = stage
        self._apply_stage()

    def rerender(self) -> None:
        """Redraw every panel, e.g. when the theme (and so the code colours) changed."""
        for panel in self.all_panels():
            panel.invalidate()
        if self.turn is not None:
            self._render_turn()

    def set_search(self, query: str) -> None:
        """Highlight ``query`` wherever it occurs in the panels."""
        theme = self.app.current_theme
        style = f"bold {theme.background or 'black'} on {theme.warning or 'yellow'}"
        self._mark = (query, style) if query else ("", "")
        for panel in self.all_panels():
            panel.mark = self._mark
        self.rerender()

    def all_panels(self) -> list[Panel]:
        """Every panel in reading order, shown or not."""
        return [*self._head, *(panel for pair in self._calls for panel in pair), *self._tail]

    def panels(self) -> list[Panel]:
        """The panels on screen now, in reading order."""
        return list(self._placed)

    def panel_offset(self, panel: Panel) -> tuple[int, int] | None:
        """Where ``panel``'s first body line is, relative to the widget (for clicking it)."""
        if panel not in self._placed:
            return None
        return SIDE, self._starts[self._placed.index(panel)] + 1 - self.scroll_offset.y

    def watch_show_thinking(self) -> None:
        self._apply_stage()

    def watch_raw_answer(self, raw: bool) -> None:
        self.answer.set_raw(raw)
        self._layout()

    def watch_expanded(self) -> None:
        if self.turn is not None:
            self._render_turn()

    def watch_printed(self) -> None:
        if self.turn is not None:
            self._render_turn()

    # -- filling the panels --------------------------------------------------------------------

    def _render_turn(self) -> None:
        turn, info, expanded = self.turn, self._info, self.expanded
        assert turn is not None and info is not None
        style = syntax_style(self.app.current_theme)
        self._note(self.error, turn.error, "error")
        self.summary.has_content = self._summary is not None
        if self._summary is not None:
            self.summary.set_summary(info, self._summary)
        setup = turn.index == 0
        self._note(self.task_note, info.task if setup else None, "task")
        self._note(self.system_note, info.system_prompt if setup else None, "system prompt")
        self._note(self.tools_note, tool_list(info.tools) if setup else None, "tools offered")
        self.thinking.set_blocks(turn.thinking, expanded)
        self.thinking.has_content = bool(turn.thinking)
        self.answer.set_text(turn.text, style, expanded, streaming=bool(turn.extra.get("streaming")))
        self.answer.has_content = bool(turn.text.strip())
        self._render_calls(turn, style, expanded)
        self._note(self.nudges, "\n\n".join(turn.nudges) if turn.nudges else None, "nudge from the loop")
        diff = self.diff_panel
        diff.set_diff(self._diff.text, self._diff.title, style, expanded, self._diff.approximate)
        diff.has_content = not setup and (bool(self._diff.text.strip()) or self._diff.cumulative)
        self._apply_stage()

    def _note(self, panel: NotePanel, text: str | None, title: str) -> None:
        panel.has_content = bool(text)
        if text:
            panel.set_note(title, text, self.expanded)

    def _render_calls(self, turn: Turn, style: CodeStyle, expanded: bool) -> None:
        while len(self._calls) < len(turn.tool_calls):
            pair = ToolCallPanel(len(self._calls)), ToolOutputPanel(len(self._calls))
            for panel in pair:
                panel.mark = self._mark
            self._calls.append(pair)
        warning = self._warning()
        for number, (call_panel, output_panel) in enumerate(self._calls):
            present = number < len(turn.tool_calls)
            call_panel.has_content = output_panel.has_content = present
            if present:
                call = turn.tool_calls[number]
                call_panel.set_call(call, style, expanded)
                output_panel.set_call(call, warning, expanded, self.printed)

    def _warning(self) -> str:
        return self.app.current_theme.warning or "yellow"

    def _apply_stage(self) -> None:
        for panel in self.all_panels():
            wanted = self.show_thinking or panel is not self.thinking
            panel.shown = wanted and panel.has_content and panel.stage <= self.stage
        self._layout()

    # -- drawing -------------------------------------------------------------------------------

    def _body_width(self) -> int:
        return self.scrollable_content_region.width - 2 * SIDE

    def _palette(self) -> Palette:
        """The Rich styles of every tone, resolved once per theme (a frame draws ~30 lines)."""
        if self._colours is None:
            base = self.visual_style.rich_style
            style = self.get_component_rich_style
            self._colours = Palette(
                base=base,
                thumb=Strip([Segment("▐", base + style("turn-view--thumb"))], 1),
                bodies={tone: base + style(f"body--{tone}") for tone in ("quiet", "thinking")},
                tones={tone: tuple(base + style(f"tone--{tone}{part}")
                                   for part in ("", "-title", "-subtitle")) for tone in TONES},
            )
        return self._colours

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._colours = None
        self._lines.clear()
        self._drawn = ()

    def _body_style(self, panel: Panel) -> Style:
        palette = self._palette()
        return palette.bodies[panel.body_tone] if panel.body_tone else palette.base

    def _body_lines(self, panel: Panel, width: int) -> list[Strip]:
        assert panel.body is not None
        return panel.body.strips(self.app.console, width, self._body_style(panel))

    def body_lines(self, panel: Panel) -> list[Strip]:
        """``panel``'s body as drawn at the current width."""
        return self._body_lines(panel, self._body_width()) if panel.body is not None else []

    def _height(self, panel: Panel) -> int:
        """Lines the panel takes: its body, two borders and a blank line under it."""
        width = self._body_width()
        return (len(self.body_lines(panel)) if width > 0 else 0) + 3

    def _layout(self) -> None:
        """Place the shown panels one under the other and redraw what is on screen, if it changed:
        a live run calls this up to ten times a second, mostly with nothing new."""
        placed = [panel for panel in self.all_panels() if panel.shown and panel.body is not None]
        drawn = (self._body_width(), *((panel, panel.body, panel.title, panel.subtitle, panel.state)
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
        self._layout()

    def render_line(self, y: int) -> Strip:
        line = self.scroll_offset.y + y
        strip = self._lines.get(line)
        if strip is None:
            if len(self._lines) > LINE_CACHE:
                self._lines.clear()
            strip = self._lines[line] = self._draw_line(line)
        start, end = thumb_rows(self.size.height, self.virtual_size.height, self.scroll_offset.y)
        return with_thumb(strip, self._palette().thumb) if start <= y < end else strip

    def _draw_line(self, line: int) -> Strip:
        width = self.scrollable_content_region.width
        palette = self._palette()
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
        side = Strip([Segment(" ", palette.base), Segment("│", border), Segment(" ", palette.base)], SIDE)
        return Strip.join([side, body[row - 1], side])

    def _refresh_panel(self, panel: Panel) -> None:
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

    # -- selecting panels ----------------------------------------------------------------------

    def select(self, panel: Panel | None) -> None:
        """Make ``panel`` the one ``y`` copies, and bring it into view."""
        previous, self.selected = self.selected, panel
        for changed in (previous, panel):
            if changed is not None:
                self._refresh_panel(changed)
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
        if self.selected is self.thinking:
            self.thinking.toggle()
            self._layout()

    def on_focus(self) -> None:
        if self.selected not in self._placed and self._placed:
            self.select(self._placed[0])
        elif self.selected is not None:
            self._refresh_panel(self.selected)

    def on_blur(self) -> None:
        if self.selected is not None:
            self._refresh_panel(self.selected)

    def on_click(self, event: events.Click) -> None:
        line = self.scroll_offset.y + event.y
        index = bisect.bisect_right(self._starts, line) - 1
        if index < 0:
            return
        panel = self._placed[index]
        self.select(panel)
        if panel is self.thinking:
            self.action_toggle_panel()
