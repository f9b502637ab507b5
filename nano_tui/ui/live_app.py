"""The app of a live run: the replay app, fed by the loop running in a thread worker.

The worker thread only appends ``(event, time)`` to a queue; it never wakes the UI thread, whose
every wake-up would take the GIL from the loop. A 10 Hz timer on the UI thread takes the queued events
into the trajectory and the status line, and redraws the panels and the timeline as often as
:class:`~nano_tui.ui.frame_pacer.FramePacer` allows, so hundreds of deltas a second, or a fast loop's
dozens of events, cost a few redraws a second.
Quitting in any way (``q``, Ctrl+C, a signal, an exception in the UI) stops the run and waits for the
worker before the app ends.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import deque
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.theme import Theme

from nano_tui.contract import exit_code
from nano_tui.core.events import Event
from nano_tui.core.spec import RunSpec
from nano_tui.live.feed import Changes, LiveFeed, LiveStatus
from nano_tui.live.trajectory import LiveTrajectory
from nano_tui.trajectory import RunInfo
from nano_tui.ui.app import NanoApp
from nano_tui.ui.frame_pacer import FramePacer
from nano_tui.ui.screens.live import LiveRunScreen

#: Seconds between frames: the status line's clock and spinner move, queued events are taken in.
FRAME = 0.1
#: The share of one core the frames may take while the loop runs, and the longest a frame of the
#: status line alone, and a redraw of the panels and the timeline, wait for it
#: (benchmarks/live_speed.py measures what watching costs a fast run).
UI_SHARE = 0.04
TICK_WAIT_MAX = 0.25
REDRAW_WAIT_MAX = 0.5
#: The name the loop's thread carries while it runs (tests look for it).
LOOP_THREAD = "nano-tui-loop"
#: How long quitting waits for the loop to wind down (a stop kills a running command at once).
JOIN_TIMEOUT = 30.0


class LiveApp(NanoApp):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+c", "quit_now", "Quit", show=False, priority=True)]

    def __init__(self, spec: RunSpec, *, themes: list[Theme] | None = None) -> None:
        from nano_tui.core.tools import TOOLS

        info = RunInfo(path=None, source="live", model=spec.model, task=spec.task, repo=str(spec.repo),
                       tools=TOOLS, api_base=spec.agent_options.get("api_base"))
        super().__init__(LiveTrajectory.live(info), theme=spec.theme, themes=themes, present=spec.present)
        self.trajectory.preset_notes(spec.notes)
        self.spec = spec
        self.control = spec.make_control()
        self.status = LiveStatus(step=spec.step)
        self.feed = LiveFeed(self.trajectory, self.status)
        self.finished = threading.Event()
        self.crash: BaseException | None = None
        self._inbox: deque[tuple[Event, float]] = deque()
        self._changes = Changes()
        self._pacer = FramePacer(UI_SHARE, TICK_WAIT_MAX, REDRAW_WAIT_MAX)
        self._loop_started = False
        #: Frames that showed everything queued before them (tests wait for the one after a change).
        self.frames = 0
        self._screen: LiveRunScreen | None = None

    @property
    def live_screen(self) -> LiveRunScreen | None:
        """The run's screen, once the app has pushed it."""
        return self._screen

    def run_screen(self, trajectory: LiveTrajectory, **options) -> Screen:
        self._screen = LiveRunScreen(trajectory, self.status, self.control, **options)
        return self._screen

    def on_mount(self) -> None:
        super().on_mount()
        self.call_after_refresh(self._start_loop)

    def _start_loop(self) -> None:
        """Once the screen is drawn: the loop's first events then find it ready, and its start-up
        work does not compete with the loop's first turn for the GIL."""
        if self.control.stopped:
            return  # the app is closing before its first frame
        self._loop_started = True
        self.run_worker(self._run_loop, name=LOOP_THREAD, thread=True, exit_on_error=False)
        self.set_interval(FRAME, self._frame)

    # -- the worker thread ------------------------------------------------------------------------

    def _run_loop(self) -> None:
        thread = threading.current_thread()
        pool_name, thread.name = thread.name, LOOP_THREAD
        try:
            agent = self.spec.make_agent(on_event=self._on_event, control=self.control)
            agent.run(self.spec.task, self.spec.repo)
        except BaseException as error:  # shown on screen; the loop already closed its log
            self.crash = error
        finally:
            thread.name = pool_name
            self.finished.set()

    def _on_event(self, event: Event) -> None:
        self._inbox.append((event, time.time()))

    # -- the UI thread ----------------------------------------------------------------------------

    def _frame(self) -> None:
        screen = self._screen
        if screen is None or not screen.ready or not self.is_running:
            return  # the events wait in the queue until the screen can show them (or the app is closing)
        self._drain()
        if self.crash is not None and self.status.live and not self._inbox:
            self._show_crash()
        busy = self._loop_busy()  # the pacer only matters while the loop could use the GIL
        redraw = self._changes.redraws and (not busy or self._pacer.due(redraw=True))
        if busy:
            if not redraw and not self._pacer.due(redraw=False):
                return
            self._pacer.begin(redraw)
            self.call_after_refresh(self._pacer.end)
        if self._changes.redraws and not redraw:
            screen.tick()  # the status line moves on while the redraw waits
            return
        changes, self._changes = self._changes, Changes()
        screen.live_update(changes)
        self.frames += 1

    def _loop_busy(self) -> bool:
        """Whether the loop could use the GIL a redraw takes (a paused or ended loop cannot)."""
        return self.status.live and self.status.state != "paused"

    def _drain(self) -> None:
        batch = []
        while self._inbox:
            batch.append(self._inbox.popleft())
        if batch:
            self._changes.merge(self.feed.apply(batch))

    def _show_crash(self) -> None:
        error, info = self.crash, self.trajectory.info
        self.status.state, info.end_reason = "failed", "error"
        info.error = f"internal error: {type(error).__name__}: {error}"
        self.notify(info.error, title="The run failed", severity="error", timeout=30, markup=False)
        self._changes.merge(Changes(ended=True))

    def action_quit_now(self) -> None:
        """Ctrl+C: stop the run and leave, no questions."""
        self.control.stop()
        self.exit()

    async def on_unmount(self) -> None:
        """However the app ends, the loop is stopped and its thread has returned before the app is gone."""
        self.control.stop()
        if not self._loop_started:
            return
        loop = asyncio.get_running_loop()
        deadline = loop.time() + JOIN_TIMEOUT
        while not self.finished.is_set() and loop.time() < deadline:
            await asyncio.sleep(0.02)

    @property
    def exit_code(self) -> int:
        """As headless (``contract.exit_code``)."""
        return exit_code("error" if self.crash is not None else self.trajectory.info.end_reason)
