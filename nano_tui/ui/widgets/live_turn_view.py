"""The turn view of a live run: the replay panels plus what only a running loop has.

Added: retries of the model call, a note on what the loop waits for (the model, or the user in step
mode), and a spinner with the elapsed time on a running tool's output.
"""

from __future__ import annotations

import time

from nano_tui.live.feed import LiveStatus
from nano_tui.ui.panels.base import Panel
from nano_tui.ui.panels.note import NotePanel
from nano_tui.ui.widgets.status_line import spinner_frame
from nano_tui.ui.widgets.turn_view import THINKING, TurnView


def retry_lines(retries: list[dict]) -> str:
    return "\n".join(f"attempt {record.get('attempt')} failed, retrying in {record.get('wait', 0):g}s: "
                     f"{record.get('error', '')}" for record in retries)


class LiveTurnView(TurnView):
    def __init__(self, status: LiveStatus, **kwargs) -> None:
        self.status = status
        self.waiting_note = NotePanel("waiting", stage=THINKING, tone="nudge")
        self.retries = NotePanel("retries", stage=THINKING, tone="nudge")
        super().__init__(**kwargs)
        #: (turn, title, text) of the note on what the loop waits for, shown on that turn only.
        self.waiting: tuple[int, str, str] | None = None

    def extra_panels(self) -> list[Panel]:
        return [self.waiting_note, self.retries]

    def set_waiting(self, waiting: tuple[int, str, str] | None) -> None:
        if waiting != self.waiting:
            self.waiting = waiting
            if self.turn is not None:
                self._render_turn()

    def _render_turn(self) -> None:
        turn = self.turn
        assert turn is not None
        retries = turn.extra.get("retries") or []
        self._note(self.retries, retry_lines(retries) if retries else None, "retrying the model call")
        waiting = self.waiting if self.waiting is not None and self.waiting[0] == turn.index else None
        self._note(self.waiting_note, waiting[2] if waiting else None, waiting[1] if waiting else "waiting")
        super()._render_turn()

    def _apply_stage(self) -> None:
        if self.status.live and self.turn is not None:
            # calls the loop has not run yet: not "no result", just not yet
            for call, (_, output) in zip(self.turn.tool_calls, self._calls, strict=False):
                if call.result is None and call.status != "running":
                    output.has_content = False
        self._mark_running()
        super()._apply_stage()

    def tick(self) -> None:
        """Spinner and elapsed time on the output of each tool call running now."""
        for output in self._mark_running():
            self._refresh_panel(output)

    def _mark_running(self) -> list[Panel]:
        """Put the spinner on running calls' outputs; which outputs changed."""
        if self.turn is None or not self.status.running:
            return []
        now, changed = time.time(), []
        for call, (_, output) in zip(self.turn.tool_calls, self._calls, strict=False):
            started = self.status.running.get(call.call_id or "")
            if started is not None and call.result is None:
                subtitle = f"{spinner_frame(now)} running · {now - started:.1f}s"
                if subtitle != output.subtitle:
                    output.subtitle = subtitle
                    changed.append(output)
        return changed
