"""Paces the live view's redraws so that watching a fast run costs the run little.

The loop thread and the UI share one GIL: each millisecond the UI spends redrawing is a millisecond
the loop may wait. A redraw that cost ``c`` seconds of the UI thread's CPU, measured from its start
until the screen has been refreshed, is followed by at least ``c / share`` seconds without another. So
a fast run's redraws (a new turn each frame, ~20 ms each) come a few times a second, while cheap ones
(a streaming reply's new words, a step-mode prompt) still come every frame.
"""

from __future__ import annotations

import time
from collections.abc import Callable


class FramePacer:
    def __init__(self, share: float, longest: float, *, clock: Callable[[], float] = time.monotonic,
                 cpu: Callable[[], float] = time.thread_time) -> None:
        """``share``: the UI's target share of one core for redraws; ``longest``: the most a redraw
        is ever put off, however much the last one cost. ``cpu`` must read the UI thread's time."""
        self.share = share
        self.longest = longest
        self._clock = clock
        self._cpu = cpu
        self._next = 0.0
        self._start = (0.0, 0.0)

    def due(self) -> bool:
        """Whether a redraw may start now."""
        return self._clock() >= self._next

    def begin(self) -> None:
        """A redraw starts. Until :meth:`end` says what it cost, the next waits ``longest``."""
        self._start = (self._clock(), self._cpu())
        self._next = self._start[0] + self.longest

    def end(self) -> None:
        """The redraw is on screen: the next may start once its cost has been paid off."""
        started, cpu = self._start
        cost = max(0.0, self._cpu() - cpu)
        self._next = started + min(self.longest, cost / self.share)
