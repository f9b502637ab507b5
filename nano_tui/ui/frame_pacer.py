"""Paces the live view's frames so that watching a fast run costs the run little.

The loop thread and the UI share one GIL: each millisecond the UI spends drawing is a millisecond
the loop may wait. The frames earn UI time at ``share`` of the wall clock and spend what each one
cost, measured on the UI thread from its start until the screen has been refreshed. A frame waits
while the credit is short, but never longer than its kind's longest wait: the status line's clock
and spinner (about 2 ms a frame) move at least four times a second, the panels and the timeline
(about 10 ms) at least twice. So a fast run is redrawn a few times a second, while a run that waits
for its model, or streams a reply, gets every 10 Hz frame: its frames cost less than it earns.
"""

from __future__ import annotations

import time
from collections.abc import Callable

#: The most credit an idle spell leaves, in seconds of UI time: one redraw's worth.
BURST = 0.02


class FramePacer:
    def __init__(self, share: float, longest_tick: float, longest_redraw: float, *,
                 clock: Callable[[], float] = time.monotonic,
                 cpu: Callable[[], float] = time.thread_time) -> None:
        """``share``: the UI's target share of one core; ``longest_tick`` and ``longest_redraw``:
        the most a status-line frame and a redraw of the panels are put off, whatever the credit.
        ``cpu`` must read the UI thread's time."""
        self.share = share
        self.longest = {False: longest_tick, True: longest_redraw}
        self._clock = clock
        self._cpu = cpu
        self._credit = BURST
        self._earned_at = clock()
        self._last = {False: float("-inf"), True: float("-inf")}
        self._started: float | None = None

    def due(self, redraw: bool) -> bool:
        """Whether a frame (a redraw of the panels, or else the status line alone) may start now."""
        self._earn()
        return self._credit >= 0 or self._clock() - self._last[redraw] >= self.longest[redraw]

    def begin(self, redraw: bool) -> None:
        """A frame starts (a redraw includes the status line); call :meth:`end` once it is on screen."""
        now = self._clock()
        self._last[False] = now
        if redraw:
            self._last[True] = now
        if self._started is None:  # else the frame before is still being drawn: one measure for both
            self._started = self._cpu()

    def end(self) -> None:
        """The frame is on screen: what it cost comes off the credit."""
        if self._started is not None:
            self._earn()
            self._credit -= max(0.0, self._cpu() - self._started)
            self._started = None

    def _earn(self) -> None:
        now = self._clock()
        self._credit = min(BURST, self._credit + (now - self._earned_at) * self.share)
        self._earned_at = now
