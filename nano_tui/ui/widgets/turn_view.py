"""One turn as panels: error, thinking, answer, each tool call with its output, nudges, diff.

``show`` may be called again and again for the same turn while it grows (a live run streams ~20
updates a second): panels are updated in place, and widgets are only mounted when a turn has more
tool calls than any turn shown before.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.reactive import var

from nano_tui.trajectory.model import RunInfo, Turn
from nano_tui.ui.themes import CodeStyle, syntax_style
from nano_tui.ui.widgets.answer_panel import AnswerPanel
from nano_tui.ui.widgets.diff_panel import DiffPanel
from nano_tui.ui.widgets.note_panel import NotePanel
from nano_tui.ui.widgets.panel import Panel
from nano_tui.ui.widgets.thinking_panel import ThinkingPanel
from nano_tui.ui.widgets.tool_call_panel import ToolCallPanel
from nano_tui.ui.widgets.tool_output_panel import ToolOutputPanel

#: Reveal stages for autoplay: each turn shows thinking, then the call, then its output, then the diff.
THINKING, CALL, OUTPUT, DIFF = 1, 2, 3, 4
FULL = DIFF


@dataclass(frozen=True)
class DiffView:
    """The diff to show beside a turn and what to call it."""

    text: str
    title: str
    #: Cumulative views show "no changes" rather than hiding when empty.
    cumulative: bool = False


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


class TurnView(VerticalScroll):
    DEFAULT_CSS = """
    TurnView { height: 1fr; padding: 0 1; }
    TurnView #calls { height: auto; }
    """

    show_thinking = var(True)
    raw_answer = var(False)
    expanded = var(False)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.turn: Turn | None = None
        self.stage = FULL
        self._info: RunInfo | None = None
        self._diff = DiffView("", "diff")
        self._mark = ("", "")

    def compose(self) -> ComposeResult:
        yield NotePanel("error", stage=THINKING, id="error", classes="-error")
        yield NotePanel("task", stage=THINKING, id="task")
        yield NotePanel("system prompt", stage=THINKING, id="system", classes="-quiet")
        yield NotePanel("tools", stage=THINKING, id="tools", classes="-quiet")
        yield ThinkingPanel(id="thinking")
        yield AnswerPanel(id="answer")
        yield Vertical(id="calls")
        yield NotePanel("nudge", stage=OUTPUT, id="nudges", classes="-nudge")
        yield DiffPanel(id="diff")

    # -- public --------------------------------------------------------------------------------

    def show(self, turn: Turn, info: RunInfo, diff: DiffView, stage: int = FULL) -> None:
        """Render ``turn`` (again). Cheap when nothing changed; scrolls to the top on a new turn."""
        new_turn = self.turn is None or self.turn.index != turn.index
        if new_turn:
            self.expanded = False
        self.turn, self._info, self._diff, self.stage = turn, info, diff, stage
        self._render_turn()
        if new_turn:
            self.scroll_home(animate=False, immediate=True)

    def warm(self, turn: Turn, diff: DiffView) -> None:
        """Prepare ``turn``'s panels at their current widths without showing them, so that moving to
        it next costs lookups instead of highlighting and wrapping its text."""
        style = syntax_style(self.app.current_theme)
        if turn.thinking:
            self.query_one(ThinkingPanel).warm_blocks(turn.thinking)
        if turn.text.strip():
            self.query_one(AnswerPanel).warm_text(turn.text, style)
        box = self.query_one("#calls", Vertical)
        call_panel = next(iter(box.query_children(ToolCallPanel)), None)
        output_panel = next(iter(box.query_children(ToolOutputPanel)), None)
        for call in turn.tool_calls if call_panel and output_panel else ():
            call_panel.warm_call(call, style)
            output_panel.warm_call(call)
        if turn.index:
            self.query_one(DiffPanel).warm_diff(diff.text, style)

    def set_stage(self, stage: int) -> None:
        self.stage = stage
        self._apply_stage()

    def rerender(self) -> None:
        """Redraw every panel, e.g. when the theme (and so the code colours) changed."""
        for panel in self.query("Panel"):
            panel.invalidate()
        if self.turn is not None:
            self._render_turn()

    def set_search(self, query: str) -> None:
        """Highlight ``query`` wherever it occurs in the panels."""
        theme = self.app.current_theme
        style = f"bold {theme.background or 'black'} on {theme.warning or 'yellow'}"
        mark = self._mark = (query, style) if query else ("", "")
        for panel in self.query(Panel):
            panel.mark = mark
        self.rerender()

    def panels(self) -> list:
        """The visible panels in reading order (for copying)."""
        return [widget for widget in self.query(Panel) if widget.display]

    def watch_show_thinking(self) -> None:
        self._apply_stage()

    def watch_raw_answer(self, raw: bool) -> None:
        self.query_one(AnswerPanel).raw = raw

    def watch_expanded(self) -> None:
        if self.turn is not None:
            self._render_turn()

    # -- rendering -----------------------------------------------------------------------------

    def _render_turn(self) -> None:
        turn, info, expanded = self.turn, self._info, self.expanded
        assert turn is not None and info is not None
        style = syntax_style(self.app.current_theme)
        self._note("#error", turn.error, "error")
        setup = turn.index == 0
        self._note("#task", info.task if setup else None, "task")
        self._note("#system", info.system_prompt if setup else None, "system prompt")
        self._note("#tools", tool_list(info.tools) if setup else None, "tools offered")
        thinking = self.query_one(ThinkingPanel)
        thinking.set_blocks(turn.thinking, expanded)
        thinking.has_content = bool(turn.thinking)
        answer = self.query_one(AnswerPanel)
        answer.set_text(turn.text, style, expanded, streaming=bool(turn.extra.get("streaming")))
        answer.has_content = bool(turn.text.strip())
        self._render_calls(turn, style, expanded)
        self._note("#nudges", "\n\n".join(turn.nudges) if turn.nudges else None, "nudge from the loop")
        diff = self.query_one(DiffPanel)
        diff.set_diff(self._diff.text, self._diff.title, style, expanded)
        diff.has_content = not setup and (bool(self._diff.text.strip()) or self._diff.cumulative)
        self._apply_stage()

    def _note(self, selector: str, text: str | None, title: str) -> None:
        panel = self.query_one(selector, NotePanel)
        panel.has_content = bool(text)
        if text:
            panel.set_note(title, text, self.expanded)

    def _render_calls(self, turn: Turn, style: CodeStyle, expanded: bool) -> None:
        box = self.query_one("#calls", Vertical)
        calls = list(box.query_children(ToolCallPanel))
        outputs = list(box.query_children(ToolOutputPanel))
        missing = len(turn.tool_calls) - len(calls)
        if missing > 0:
            new = []
            for _ in range(missing):
                call_panel, output_panel = ToolCallPanel(), ToolOutputPanel()
                call_panel.mark = output_panel.mark = self._mark
                new += [call_panel, output_panel]
                calls.append(call_panel)
                outputs.append(output_panel)
            box.mount_all(new)
        for number, (call_panel, output_panel) in enumerate(zip(calls, outputs, strict=True)):
            present = number < len(turn.tool_calls)
            call_panel.has_content = output_panel.has_content = present
            if present:
                call = turn.tool_calls[number]
                call_panel.set_call(call, style, expanded)
                output_panel.set_call(call, expanded)

    def _apply_stage(self) -> None:
        for panel in self.query(Panel):
            wanted = self.show_thinking or not isinstance(panel, ThinkingPanel)
            panel.display = wanted and panel.has_content and panel.stage <= self.stage
