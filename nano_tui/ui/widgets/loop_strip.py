"""The agent loop in one line, the step it is at lit: what a room follows while a run plays.

Five steps, the same for every turn: the harness sends the conversation to the model; the model
replies; its reply asks for a tool; the harness runs the tool; the result is appended to the
conversation, and the loop goes round again, until a reply asks for no tool (the final answer).
Replay reads the step from autoplay's stage in the turn shown; a live run from what the loop is doing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.widgets import Static

from nano_tui.trajectory.model import Turn
from nano_tui.ui.panels.base import CALL, OUTPUT, RUN, THINKING

if TYPE_CHECKING:  # a replay's start-up does without the live code (its events module alone is 20 ms)
    from nano_tui.live.feed import LiveStatus

#: (words, the few that fit a narrow screen) for each step, in loop order.
STEPS = (("send the context", "context"), ("the model replies", "model"), ("it asks for a tool", "tool"),
         ("the harness runs it", "runs"), ("the result goes back", "result"))
CONTEXT, MODEL, TOOL, RUNS, RESULT = range(5)


def replay_step(turn: Turn, stage: int) -> tuple[int, bool]:
    """The step a replayed turn is at when autoplay has revealed it up to ``stage`` (the setup turn:
    the context, which the first request sends), and whether the reply is the final answer."""
    if turn.index == 0 or stage < THINKING:
        return CONTEXT, False
    if not turn.tool_calls:
        return MODEL, stage >= CALL  # a reply that asks for no tool: the loop ends with it
    if stage < CALL:
        return MODEL, False
    if stage < RUN:
        return TOOL, False
    return (RUNS if stage < OUTPUT else RESULT), False


def live_step(status: LiveStatus, turn: Turn | None) -> int | None:
    """The step a live loop is at now, from what it is doing (None once it has ended)."""
    state = status.state
    if state in ("starting", "waiting for model"):
        return CONTEXT
    if state == "streaming":
        return TOOL if turn is not None and turn.tool_calls else MODEL
    if state == "running tool":
        return RUNS
    if state == "paused":
        return CONTEXT if status.detail == "model" else TOOL
    if not status.live:
        return None
    return RESULT if turn is not None and turn.tool_calls else MODEL


class LoopStrip(Static):
    """One line: the five steps, the current one lit, the ones of this turn already done dimmed less."""

    DEFAULT_CSS = """
    LoopStrip { height: 1; padding: 0 1; background: $panel; text-wrap: nowrap; text-overflow: ellipsis; }
    LoopStrip > .loop-strip--current { color: $text; background: $accent; text-style: bold; }
    LoopStrip > .loop-strip--done { color: $text; }
    LoopStrip > .loop-strip--ahead { color: $text-muted; }
    LoopStrip > .loop-strip--end { color: $success; text-style: bold; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"loop-strip--current", "loop-strip--done", "loop-strip--ahead",
                                             "loop-strip--end"}

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.step: int | None = None
        self.final = False

    def show_step(self, step: int | None, final: bool = False) -> None:
        """Light ``step`` (None: none; ``final``: the reply was the final answer)."""
        if (step, final) != (self.step, self.final):
            self.step, self.final = step, final
            if self.is_mounted:  # else drawn when first sized
                self.update(self._text(), layout=False)

    def on_resize(self) -> None:
        self.update(self._text(), layout=False)

    def _text(self) -> Text:
        long = self._line(short=False)
        return long if long.cell_len <= self.size.width - 2 or not self.size.width else self._line(short=True)

    def _line(self, short: bool) -> Text:
        def style(kind: str):
            return self.get_component_rich_style(f"loop-strip--{kind}", partial=True)

        text = Text()
        for number, labels in enumerate(STEPS):
            if number:
                text.append("→", style("ahead"))
            kind = "ahead" if self.step is None or number > self.step else \
                "current" if number == self.step else "done"
            text.append(f" {number + 1} {labels[short]} ", style(kind))  # room for the lit step's colour
        if self.final:
            text.append("  ■ final answer" if short else "  ■ the final answer: the loop ends", style("end"))
        elif self.step == RESULT:
            text.append(" ↻", style("ahead"))
        return text
