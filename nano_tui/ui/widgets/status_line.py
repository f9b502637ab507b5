"""One line under a live run: what the loop is doing now and how much of each budget it has spent."""

from __future__ import annotations

import time

from rich.text import Text
from textual.widgets import Static

from nano_tui.ui.inert import first_line
from nano_tui.ui.live_feed import RunStatus

SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"


def clock(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


def spinner_frame(now: float) -> str:
    return SPINNER[int(now * 10) % len(SPINNER)]


def describe_state(status: RunStatus, now: float) -> str:
    """The state in words, e.g. "running tool shell · 3.2s" or "paused before the tool call"."""
    state = status.state
    waited = now - status.since
    if state == "paused":
        return f"paused before the {'model call' if status.detail == 'model' else 'tool call'}"
    if state == "running tool":
        return f"running tool {status.detail} · {waited:.1f}s"
    if state == "waiting for model":
        retry = status.retry
        if retry is not None:
            return f"waiting for model · retry {retry.attempt} after: {first_line(retry.error, 60)}"
        return f"waiting for model · {waited:.1f}s"
    if state == "finished" and status.end_reason not in (None, "finished"):
        return f"finished: {status.end_reason} reached"
    return state


class StatusLine(Static):
    DEFAULT_CSS = """
    StatusLine { height: 1; background: $panel; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    def __init__(self, status: RunStatus, **kwargs) -> None:
        super().__init__(**kwargs)
        self.status = status
        self.following = True
        self._shown: Text | None = None

    def tick(self, following: bool, now: float | None = None) -> None:
        """Redraw if anything visible changed (called ~25 times a second while the run is live)."""
        self.following = following
        text = self.line(time.time() if now is None else now)
        if text != self._shown:
            self._shown = text
            self.update(text, layout=False)  # one line, always: a repaint, not a screen layout

    def line(self, now: float) -> Text:
        status, theme = self.status, self.app.current_theme
        colours = {"paused": theme.warning, "running tool": theme.accent, "streaming": theme.primary,
                   "finished": theme.success, "stopped": theme.warning, "failed": theme.error,
                   "stopping": theme.warning}
        text = Text(no_wrap=True, overflow="ellipsis")
        busy = status.state in ("waiting for model", "streaming", "running tool", "starting", "stopping")
        marker = spinner_frame(now) if busy else {"paused": "⏸", "finished": "✓", "stopped": "■",
                                                  "failed": "✗"}.get(status.state, "•")
        colour = colours.get(status.state) or theme.foreground
        text.append(f"{marker} {describe_state(status, now)}", style=f"bold {colour}")
        if status.step and status.live:
            text.append(" · ", style="dim")
            text.append("step mode", style=f"bold {theme.warning}")
        parts = [first_line(status.model, 40), f"turn {status.turn}",
                 f"tools {status.tool_calls}/{status.tool_limit if status.tool_limit is not None else '?'}",
                 f"tokens {status.tokens if status.tokens is not None else 0:,}"
                 + (f"/{status.token_limit:,}" if status.token_limit else ""),
                 clock(status.elapsed(now)) + (f"/{clock(status.time_limit)}" if status.time_limit else "")]
        for part in parts:
            text.append(" · ", style="dim")
            text.append(part)
        if not self.following:
            text.append(" · ", style="dim")
            if status.live:
                text.append("L: back to live", style=f"bold reverse {theme.accent}")
            else:
                text.append("L: last turn", style="bold")
        return text
