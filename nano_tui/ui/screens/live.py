"""The run screen of a live run: replay's timeline and panels, plus a status line and the loop's keys.

The screen never waits for the loop: it tells :class:`~nano_tui.core.control.RunControl` what the user
wants and redraws when the app hands it a batch of changes (:meth:`LiveRunScreen.live_update`).
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen

from nano_tui.core.control import RunControl
from nano_tui.live.feed import Changes, LiveStatus
from nano_tui.live.trajectory import LiveTrajectory
from nano_tui.ui.screens.confirm import ConfirmScreen
from nano_tui.ui.screens.run import RunScreen
from nano_tui.ui.widgets.key_bar import KeyBar
from nano_tui.ui.widgets.live_turn_view import LiveTurnView
from nano_tui.ui.widgets.loop_strip import live_step
from nano_tui.ui.widgets.run_header import RunHeader
from nano_tui.ui.widgets.status_line import StatusLine

PAUSE_KEYS = {
    "model": "Enter: call the model  ·  a: run freely (leave step mode)  ·  s: stop the run",
    "tool": ("Enter: run it  ·  x: skip it (the model is told you skipped it)  ·  a: run freely  ·  "
             "s: stop the run"),
}


LIVE_KEYS = [
    Binding("enter", "continue", "Continue", priority=True, tooltip="step mode: take the next step"),
    Binding("x", "skip", "Skip call", tooltip="step mode: skip this tool call"),
    Binding("a", "run_freely", "Run freely", tooltip="leave step mode and carry on"),
    Binding("p", "step_mode", "Step mode", tooltip="pause before each model call and tool call"),
    Binding("s", "stop", "Stop", tooltip="stop the run at the next safe point"),
    Binding("L", "follow", "Live", tooltip="jump to the newest turn and follow it"),
]
#: Replay keys that stay bound during a run but would push the live keys (and Help and Quit) off the
#: key bar of a 120-column terminal; the help screen lists them all.
UNLISTED = {"goto", "toggle_play", "raw_json", "copy", "back", "cycle_filter", "toggle_thinking",
            "toggle_diff"}


class LiveRunScreen(RunScreen, inherit_bindings=False):
    # the live keys first, so the key bar shows them first
    BINDINGS: ClassVar[list[BindingType]] = [
        *Screen.BINDINGS, *LIVE_KEYS,
        *(replace(binding, show=False) if isinstance(binding, Binding) and binding.action in UNLISTED
          else binding for binding in RunScreen.BINDINGS),
    ]

    def __init__(self, trajectory: LiveTrajectory, status: LiveStatus, control: RunControl,
                 **options) -> None:
        options["follow"] = True
        super().__init__(trajectory, **options)
        self.status = status
        self.control = control
        #: Between mount and unmount: the widgets exist, news can be shown.
        self.ready = False
        self._keys: tuple = ()
        # kept, not queried: the app's frame timer may tick while the screen is being taken down
        self.live_view = LiveTurnView(status, id="turn")
        self.status_line = StatusLine(trajectory.info, status, id="status")

    def compose(self) -> ComposeResult:
        yield RunHeader(self.trajectory.info, id="header")
        yield from self.bands_above()
        with Horizontal(id="body"):
            yield self.timeline_widget()
            yield self.live_view
        yield from self.bands_below()
        yield self.status_line
        yield KeyBar()

    def on_mount(self) -> None:
        super().on_mount()
        self.ready = True

    def on_unmount(self) -> None:
        self.ready = False

    # -- the loop's news -------------------------------------------------------------------------

    def live_update(self, changes: Changes) -> None:
        """Redraw what one batch of loop events changed."""
        if changes.info:
            self.info_changed()
        if changes.count:
            self._count_changed()
        count = len(self.trajectory)
        for turn in sorted(changes.turns):
            if turn < count:
                self.turn_updated(turn)
        view = self.live_view
        view.set_waiting(self._waiting_note())
        if changes.ended:
            self.cumulative = True
            if self.follow:
                self.go(count - 1)
                view.scroll_to(y=0, animate=False, immediate=True)  # the summary, on top
                view.grew = False
            else:
                self.turn_updated(self.current)
        elif self.follow and self.current == count - 1 and view.turn is not None and view.turn.index:
            # the setup turn arrives whole and reads from the top (the task first)
            view.keep_newest_in_view(streaming=bool(view.turn.extra.get("streaming")))
        self._refresh_keys()
        self.tick()

    def _final_count(self, turns: int | None) -> int | None:
        return None if self.status.live else turns  # "turn 3 of 3" while more are coming says too much

    def _update_loop(self) -> None:
        """While the newest turn is shown, the step the loop is at now; else as in replay."""
        if self.loop_shown and self.status.live and self.current == len(self.trajectory) - 1:
            self.loop_strip.show_step(live_step(self.status, self.trajectory.turn(self.current)))
        else:
            super()._update_loop()

    def tick(self) -> None:
        self.status_line.tick(self.follow)
        self.live_view.tick()
        if self.control.hold is not None and self.status.state == "paused":
            self.live_view.set_waiting(self._waiting_note())  # the seconds left, counted down
        self._update_loop()  # the loop's state changes with no turn changing (a model call starts)

    def _refresh_keys(self) -> None:
        """Show the keys that apply now (Continue only while paused, …), redrawing the key bar only then."""
        status = self.status
        paused = status.state == "paused"
        stoppable = status.live and status.state != "stopping"
        keys = (paused, status.detail if paused else "", stoppable, self.follow)
        if keys != self._keys:
            self._keys = keys
            self.refresh_bindings()

    def _count_changed(self) -> None:
        count = len(self.trajectory)
        if count >= self._known:
            self.turns_changed()
            return
        # a draft turn that never said anything went away (the run stopped while waiting)
        self._known = count
        self.timeline.set_rows([row for row in self.timeline.rows if row < count])
        if self.current >= count or self.follow:
            self.go(count - 1)

    def _waiting_note(self) -> tuple[int, str, str] | None:
        status, last = self.status, len(self.trajectory) - 1
        if status.state == "paused":
            before = "model" if status.detail == "model" else "tool"
            what = "calling the model" if before == "model" else "running the tool call below"
            hold = self.control.hold
            if hold is not None:  # a lesson's pace: the pause ends by itself
                left = max(0, round(hold - (time.time() - status.since)))
                what += f"; it goes on by itself in {left} s"
            return last, "paused · step mode", f"The loop is paused before {what}.\n{PAUSE_KEYS[before]}"
        if status.state == "waiting for model" and status.retry is None:
            return last, "waiting", "Waiting for the model's reply…"
        if status.state == "stopping":
            return last, "stopping", "Stopping at the next safe point…"
        return None

    # -- the user's keys -------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        paused = self.status.state == "paused"
        if action in ("continue", "run_freely"):
            return paused
        if action == "skip":
            return paused and self.status.detail == "tool"
        if action in ("stop", "step_mode"):
            return self.status.live and self.status.state != "stopping"
        if action == "follow":
            return not self.follow
        return super().check_action(action, parameters)

    def action_continue(self) -> None:
        self.control.resume()

    def action_skip(self) -> None:
        self.control.skip()

    def action_run_freely(self) -> None:
        self.control.run_freely()
        self.status.step = False
        self.tick()

    def action_step_mode(self) -> None:
        self.control.step = self.status.step = not self.control.step
        if self.status.step:
            self.notify("Step mode on: the loop pauses before its next model call or tool call.", timeout=4)
        else:
            self.control.run_freely()
            self.notify("Step mode off: the loop runs freely.", timeout=3)
        self.tick()

    def action_stop(self) -> None:
        self.stop_run()

    def stop_run(self) -> None:
        if not self.status.live:
            return
        self.control.stop()
        self.status.state = "stopping"
        self.live_update(Changes())

    def watch_follow(self) -> None:
        if self.ready:
            self._refresh_keys()
            self.tick()

    def action_quit(self) -> None:
        if not self.status.live:
            self.app.exit()
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.stop_run()
                self.app.exit()

        self.app.push_screen(ConfirmScreen("The run is still going. Stop it and quit? "
                                           "Everything so far stays in the log."), answered)
