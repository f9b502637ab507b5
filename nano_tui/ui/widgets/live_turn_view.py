"""The turn view of a live run: the replay panels plus what only a running loop has.

Added: retries of the model call, a note on what the loop waits for (the model, or the user in step
mode), and a spinner with the elapsed time on a running tool's output.
"""

from __future__ import annotations

import time

from nano_tui.live.feed import LiveStatus
from nano_tui.ui.panels.base import THINKING, Panel
from nano_tui.ui.panels.note import NotePanel
from nano_tui.ui.presenter import Options, Scene, TurnPresenter
from nano_tui.ui.widgets.status_line import spinner_frame
from nano_tui.ui.widgets.turn_view import TurnView


def retry_lines(retries: list[dict]) -> str:
    return "\n".join(f"attempt {record.get('attempt')} failed, retrying in {record.get('wait', 0):g}s: "
                     f"{record.get('error', '')}" for record in retries)


class LivePresenter(TurnPresenter):
    def __init__(self, status: LiveStatus) -> None:
        self.status = status
        self.waiting_note = NotePanel("waiting", stage=THINKING, tone="nudge")
        self.retries = NotePanel("retries", stage=THINKING, tone="nudge")
        super().__init__()
        #: (turn, title, text) of the note on what the loop waits for, shown on that turn only.
        self.waiting: tuple[int, str, str] | None = None
        self._turn = None

    def extra_panels(self) -> list[Panel]:
        return [self.waiting_note, self.retries]

    def present(self, scene: Scene, options: Options) -> None:
        turn = self._turn = scene.turn
        retries = turn.extra.get("retries") or []
        self._note(self.retries, retry_lines(retries) if retries else None, "retrying the model call",
                   options.expanded)
        waiting = self.waiting if self.waiting is not None and self.waiting[0] == turn.index else None
        self._note(self.waiting_note, waiting[2] if waiting else None, waiting[1] if waiting else "waiting",
                   options.expanded)
        super().present(scene, options)
        if self.status.live:
            # calls the loop has not run yet: not "no result", just not yet
            for call, (_, output) in zip(turn.tool_calls, self.calls, strict=False):
                if call.result is None and call.status != "running":
                    output.has_content = False
        self.mark_running()

    def mark_running(self) -> list[Panel]:
        """Put the spinner on running calls' outputs; which outputs changed."""
        if self._turn is None or not self.status.running:
            return []
        now, changed = time.time(), []
        for call, (_, output) in zip(self._turn.tool_calls, self.calls, strict=False):
            started = self.status.running.get(call.call_id or "")
            if started is not None and call.result is None:
                subtitle = f"{spinner_frame(now)} running · {now - started:.1f}s"
                if subtitle != output.subtitle:
                    output.subtitle = subtitle
                    changed.append(output)
        return changed


class LiveTurnView(TurnView):
    def __init__(self, status: LiveStatus, **kwargs) -> None:
        self.live_presenter = LivePresenter(status)
        super().__init__(self.live_presenter, **kwargs)

    def set_waiting(self, waiting: tuple[int, str, str] | None) -> None:
        if waiting != self.live_presenter.waiting:
            self.live_presenter.waiting = waiting
            self.render_scene()

    def tick(self) -> None:
        """Spinner and elapsed time on the output of each tool call running now."""
        for output in self.live_presenter.mark_running():
            self.refresh_panel(output)
