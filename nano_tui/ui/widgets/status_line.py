"""One line under a live run: what the loop is doing now and how much of each budget it has spent."""

from __future__ import annotations

import time
from typing import ClassVar, NamedTuple

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.widgets import Static

from nano_tui.live.feed import LiveStatus, agent_time, paused_time
from nano_tui.trajectory.model import RunInfo
from nano_tui.ui.inert import first_line
from nano_tui.ui.panels.summary import clock

SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"


def spinner_frame(now: float) -> str:
    return SPINNER[int(now * 10) % len(SPINNER)]


def describe_state(info: RunInfo, status: LiveStatus, now: float, short: bool = False) -> str:
    """The state in words, e.g. "running tool shell · 3.2s" or "paused before the model call for turn 5"
    (the turn the loop is on, which the screen shows only once the model answers); ``short`` for a
    narrow terminal."""
    state = status.state
    waited = now - status.since
    if state == "paused":
        if status.detail == "model":
            return f"paused before model call, turn {status.turn}" if short else \
                f"paused before the model call for turn {status.turn}"
        return "paused before tool call" if short else "paused before the tool call"
    if state == "running tool":
        return f"running {status.detail}" if short else f"running tool {status.detail} · {waited:.1f}s"
    if state == "waiting for model":
        retry = status.retry
        if retry is not None:
            head = f"waiting for model (turn {status.turn}) · retry {retry.attempt}"
            return head if short else f"{head} after: {first_line(retry.error, 60)}"
        return f"waiting for model (turn {status.turn})" + ("" if short else f" · {waited:.1f}s")
    if state == "finished" and info.end_reason not in (None, "finished"):
        return f"finished: {info.end_reason} reached"
    return state


#: The state's colour, by the component class that gives it (``status-line--<tone>``).
STATE_TONES = {"paused": "warning", "running tool": "running", "streaming": "streaming",
               "finished": "success", "stopped": "warning", "failed": "error", "stopping": "warning"}


class Part(NamedTuple):
    text: str
    style: str | Style
    #: When the line is too long for the terminal, parts take their short form, then go, lowest first.
    priority: int
    short: str = ""


class StatusLine(Static):
    DEFAULT_CSS = """
    StatusLine { height: 1; background: $panel; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis; }
    StatusLine > .status-line--state { color: $foreground; text-style: bold; }
    StatusLine > .status-line--warning { color: $warning; text-style: bold; }
    StatusLine > .status-line--running { color: $accent; text-style: bold; }
    StatusLine > .status-line--streaming { color: $primary; text-style: bold; }
    StatusLine > .status-line--success { color: $success; text-style: bold; }
    StatusLine > .status-line--error { color: $error; text-style: bold; }
    StatusLine > .status-line--live { color: $accent; text-style: bold reverse; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {f"status-line--{tone}" for tone in (
        "state", "warning", "running", "streaming", "success", "error", "live")}

    def __init__(self, info: RunInfo, status: LiveStatus, **kwargs) -> None:
        super().__init__(**kwargs)
        self.info = info
        self.status = status
        self.following = True
        self._shown: Text | None = None

    def tick(self, following: bool, now: float | None = None) -> None:
        """Redraw if anything visible changed (called on the live view's frames, up to ten a second)."""
        self.following = following
        text = self.line(time.time() if now is None else now, self.content_region.width or 1_000)
        if text != self._shown:
            self._shown = text
            self.update(text, layout=False)  # one line, always: a repaint, not a screen layout

    def on_resize(self) -> None:
        self._shown = None
        self.tick(self.following)

    def _style(self, tone: str) -> Style:
        return self.get_component_rich_style(f"status-line--{tone}", partial=True)

    def parts(self, now: float) -> list[Part]:
        """Everything the line can say, in the order it says it."""
        info, status = self.info, self.status
        busy = status.state in ("waiting for model", "streaming", "running tool", "starting", "stopping")
        marker = spinner_frame(now) if busy else {"paused": "‖", "finished": "✓", "stopped": "■",
                                                  "failed": "✗"}.get(status.state, "•")
        tone = self._style(STATE_TONES.get(status.state, "state"))
        parts = [Part(f"{marker} {describe_state(info, status, now)}", tone, 100,
                      f"{marker} {describe_state(info, status, now, short=True)}")]
        if status.step and status.live:
            parts.append(Part("step mode", self._style("warning"), 5, "step"))
        parts.append(Part(first_line(info.model or "?", 40), "", 1))
        limits = info.limits
        parts.append(Part(f"tools {status.tool_calls}/{limits.get('tool_limit', '?')}", "", 8))
        token_limit = limits.get("token_limit")
        tokens = f"{info.context_tokens or 0:,}"
        if isinstance(token_limit, int):
            tokens += f"/{token_limit:,}"
        parts.append(Part(f"tokens {tokens}", "", 6))
        time_limit = limits.get("time_limit")
        limited = isinstance(time_limit, int | float) and time_limit < 1e8  # no limit is stored as 1e9
        times = clock(agent_time(info, status, now)) + (f"/{clock(time_limit)}" if limited else "")
        parts.append(Part(f"time {times}", "", 9, times))
        paused = paused_time(info, status, now)
        if paused >= 1:
            parts.append(Part(f"paused {clock(paused)} (not counted)", "dim", 7, f"paused {clock(paused)}"))
        if not self.following:
            if status.live:
                parts.append(Part("L: back to live", self._style("live"), 99))
            else:
                parts.append(Part("L: last turn", "bold", 99))
        return parts

    def line(self, now: float, width: int = 1_000) -> Text:
        """The parts that fit in ``width`` cells: from the least needed up, each takes its short form or
        goes, until the line fits."""
        parts = self.parts(now)

        def fits() -> bool:
            return sum(cell_len(part.text) for part in parts) + 3 * (len(parts) - 1) <= width

        for part in sorted(parts, key=lambda part: part.priority):
            if fits():
                break
            if part.short:
                parts[parts.index(part)] = part._replace(text=part.short)
            elif part.priority < 100:
                parts.remove(part)
        while len(parts) > 1 and not fits():
            parts.remove(min(parts, key=lambda part: part.priority))
        text = Text(no_wrap=True, overflow="ellipsis")
        for position, part in enumerate(parts):
            if position:
                text.append(" · ", style="dim")
            text.append(part.text, style=part.style)
        return text
