"""Which panels a turn has, what is in them, and at which autoplay stage each appears.

A presenter fills its panels from a turn (a logged one, or the live draft) and the run's info, and
hands an ordered list of the ones to show to a :class:`~nano_tui.ui.widgets.panel_stack.PanelStack`,
which only draws. The live view's presenter adds its own panels (``LivePresenter``); a view that
shows two runs side by side can hold two presenters.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import NamedTuple

from rich.console import Console
from rich.style import Style
from rich.text import Text

from nano_tui.trajectory.model import RunInfo, Turn
from nano_tui.ui.panels.answer import AnswerPanel
from nano_tui.ui.panels.base import OUTPUT, THINKING, Panel
from nano_tui.ui.panels.body import Prepared
from nano_tui.ui.panels.diff import DiffPanel
from nano_tui.ui.panels.note import NotePanel
from nano_tui.ui.panels.summary import SummaryPanel
from nano_tui.ui.panels.thinking import ThinkingPanel
from nano_tui.ui.panels.tool_call import ToolCallPanel
from nano_tui.ui.panels.tool_output import ToolOutputPanel
from nano_tui.ui.themes import CodeStyle


class DiffView(NamedTuple):
    """The diff to show beside a turn and what to call it."""

    text: str
    title: str
    #: Cumulative views show "no changes" rather than hiding when empty.
    cumulative: bool = False
    #: Rebuilt from search/replace: the changes are exact, their line numbers unknown.
    approximate: bool = False


class Options(NamedTuple):
    """How the turn is shown: the view's toggles and the theme's colours for code and warnings."""

    code: CodeStyle
    warning: str
    expanded: bool = False
    printed: bool = False
    show_thinking: bool = True


class Scene(NamedTuple):
    """What one turn is shown with: the turn, its run, its diff and, on the last turn of a run that
    ended, the end summary."""

    turn: Turn
    info: RunInfo
    diff: DiffView
    summary: Text | None = None
    #: What the turn's request sent, in a line (shown with the loop strip, from the turn's start).
    request: str | None = None
    #: The user's note on the turn.
    note: str | None = None


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


class TurnPresenter:
    def __init__(self) -> None:
        self.error = NotePanel("error", stage=THINKING, tone="error")
        self.request_note = NotePanel("request", stage=0, body_tone="quiet")
        self.user_note = NotePanel("note", stage=0, tone="nudge")
        self.summary = SummaryPanel()
        self.thinking = ThinkingPanel()
        self.answer = AnswerPanel()
        self.nudges = NotePanel("nudge", stage=OUTPUT, tone="nudge")
        self.diff_panel = DiffPanel()
        self.task_note = NotePanel("task", stage=THINKING)
        self.system_note = NotePanel("system prompt", stage=THINKING, body_tone="quiet")
        self.tools_note = NotePanel("tools", stage=THINKING, body_tone="quiet")
        self._head: list[Panel] = [self.user_note, self.error, self.request_note, self.summary,
                                   *self.extra_panels(), self.task_note, self.system_note, self.tools_note,
                                   self.thinking, self.answer]
        self.calls: list[tuple[ToolCallPanel, ToolOutputPanel]] = []
        self._tail: list[Panel] = [self.nudges, self.diff_panel]
        self._mark = ("", "")

    def extra_panels(self) -> list[Panel]:
        """Panels a subclass adds under the error and the summary, on top so no long turn hides them."""
        return []

    def all_panels(self) -> list[Panel]:
        """Every panel in reading order, shown or not."""
        return [*self._head, *(panel for pair in self.calls for panel in pair), *self._tail]

    def present(self, scene: Scene, options: Options) -> None:
        """Fill the panels from ``scene``; each one knows whether this turn has anything for it."""
        turn, info, expanded, code = scene.turn, scene.info, options.expanded, options.code
        self._note(self.error, turn.error, "error", expanded)
        self._note(self.request_note, scene.request, "sent to the model", expanded)
        self._note(self.user_note, scene.note, "note · A edits", expanded)
        self.summary.has_content = scene.summary is not None
        if scene.summary is not None:
            self.summary.set_summary(info, scene.summary)
        setup = turn.index == 0
        self._note(self.task_note, info.task if setup else None, "task", expanded)
        self._note(self.system_note, info.system_prompt if setup else None, "system prompt", expanded)
        self._note(self.tools_note, tool_list(info.tools) if setup else None, "tools offered", expanded)
        # a panel is filled only when the turn has something for it (an empty Markdown body still
        # costs Markdown's import)
        self.thinking.has_content = bool(turn.thinking)
        if self.thinking.has_content:
            self.thinking.set_blocks(turn.thinking, expanded)
        self.answer.has_content = bool(turn.text.strip())
        if self.answer.has_content:
            self.answer.set_text(turn.text, code, expanded, streaming=bool(turn.extra.get("streaming")))
        self._present_calls(turn, options)
        nudges = "\n\n".join(turn.nudges) if turn.nudges else None
        self._note(self.nudges, nudges, "nudge from the loop", expanded)
        diff = scene.diff
        self.diff_panel.has_content = not setup and (bool(diff.text.strip()) or diff.cumulative)
        if self.diff_panel.has_content:
            self.diff_panel.set_diff(diff.text, diff.title, code, expanded, diff.approximate)

    def shown(self, stage: int, show_thinking: bool) -> list[Panel]:
        """The panels to draw at autoplay ``stage``, in reading order (marking each as shown or not)."""
        for panel in self.all_panels():
            wanted = show_thinking or panel is not self.thinking
            panel.shown = wanted and panel.has_content and panel.stage <= stage
        return [panel for panel in self.all_panels() if panel.shown]

    def stages(self, show_thinking: bool) -> list[int]:
        """The autoplay stages this turn has something to reveal at, in order."""
        return sorted({panel.stage for panel in self.all_panels()
                       if panel.has_content and (show_thinking or panel is not self.thinking)})

    def set_mark(self, mark: tuple[str, str]) -> None:
        """Highlight a search, ``(query, Rich style)``, in every panel."""
        self._mark = mark
        for panel in self.all_panels():
            panel.mark = mark
            panel.invalidate()

    def invalidate(self) -> None:
        for panel in self.all_panels():
            panel.invalidate()

    def warm(self, scene: Scene, options: Options, console: Console, width: int,
             body_style: Callable[[Panel], Style]) -> None:
        """Prepare ``scene``'s panels at ``width`` without showing them, so that moving to it next
        costs lookups instead of highlighting and wrapping its text."""
        turn, diff, code = scene.turn, scene.diff, options.code
        ahead: list[tuple[Panel, Prepared]] = []
        if turn.thinking:
            ahead.append((self.thinking, self.thinking.prepare(turn.thinking)))
        if turn.text.strip():
            ahead.append((self.answer, self.answer.prepare(turn.text, code)))
        if self.calls:
            call_panel, output_panel = self.calls[0]
            for call in turn.tool_calls:
                ahead += [(call_panel, call_panel.prepare(call, code)),
                          (output_panel, output_panel.prepare(call, options.warning, False, options.printed))]
        if turn.index:
            prepared_diff = self.diff_panel.prepare(diff.text, code, approximate=diff.approximate)
            ahead.append((self.diff_panel, prepared_diff))
        for panel, prepare in ahead:
            panel.warm(prepare, console, width, body_style(panel))

    @staticmethod
    def _note(panel: NotePanel, text: str | None, title: str, expanded: bool) -> None:
        panel.has_content = bool(text)
        if text:
            panel.set_note(title, text, expanded)

    def _present_calls(self, turn: Turn, options: Options) -> None:
        while len(self.calls) < len(turn.tool_calls):
            pair = ToolCallPanel(len(self.calls)), ToolOutputPanel(len(self.calls))
            for panel in pair:
                panel.mark = self._mark
            self.calls.append(pair)
        for number, (call_panel, output_panel) in enumerate(self.calls):
            present = number < len(turn.tool_calls)
            call_panel.has_content = output_panel.has_content = present
            if present:
                call = turn.tool_calls[number]
                call_panel.set_call(call, options.code, options.expanded)
                output_panel.set_call(call, options.warning, options.expanded, options.printed)
