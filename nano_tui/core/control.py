"""Steering a running loop from another thread: stop it, or walk it one step at a time.

The UI thread calls the public methods; the loop thread calls :meth:`RunControl.checkpoint` before each
model call and each tool execution, and :meth:`RunControl.sleep` instead of ``time.sleep`` so a stop
never waits out a pause.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Literal

Decision = Literal["go", "skip", "stop"]


class Stopped(Exception):
    """Raised inside the loop when the run was stopped; the loop ends it cleanly."""


class RunControl:
    """Thread-safe controls of one run. ``step`` may be set at any time, also while paused. With
    ``hold``, a pause in step mode ends by itself after that many seconds unless the user decides
    first: a lesson's pace (``demo --present``)."""

    def __init__(self, step: bool = False, hold: float | None = None):
        self._cond = threading.Condition()
        self._step = step
        self.hold = hold
        self._stopped = False
        self._pending: Decision | None = None
        self._paused = 0.0

    @property
    def step(self) -> bool:
        return self._step

    @step.setter
    def step(self, value: bool) -> None:
        with self._cond:
            self._step = value
            self._cond.notify_all()

    @property
    def stopped(self) -> bool:
        return self._stopped

    @property
    def paused_seconds(self) -> float:
        """How long the loop has waited for the user at checkpoints, in all: not the agent's time."""
        return self._paused

    def stop(self) -> None:
        """End the run at the next safe point (between stream chunks, or by killing the running command)."""
        with self._cond:
            self._stopped = True
            self._cond.notify_all()

    def resume(self) -> None:
        """Paused: take one step (the model call or the tool call the loop waits before)."""
        self._decide("go")

    def skip(self) -> None:
        """Paused before a tool call: do not run it; the model is told the user skipped it."""
        self._decide("skip")

    def run_freely(self) -> None:
        """Leave step mode and carry on."""
        with self._cond:
            self._step = False
            self._pending = "go"
            self._cond.notify_all()

    def _decide(self, decision: Decision) -> None:
        with self._cond:
            self._pending = decision
            self._cond.notify_all()

    def checkpoint(self, on_pause: Callable[[], None],
                   on_resume: Callable[[float], None] | None = None) -> Decision:
        """Called by the loop. In step mode, calls ``on_pause`` and blocks until the user decides, then
        ``on_resume`` with the seconds it waited (also when the decision is to stop)."""
        with self._cond:
            if self._stopped:
                return "stop"
            if not self._step:
                return "go"
            self._pending = None
        on_pause()
        started = time.monotonic()
        with self._cond:
            while not self._stopped and self._pending is None and self._step:
                if self.hold is None:
                    self._cond.wait()
                elif not self._cond.wait(max(0.0, started + self.hold - time.monotonic())):
                    break  # held long enough: on by itself
            waited = time.monotonic() - started
            self._paused += waited
            decision = "stop" if self._stopped else self._pending or "go"
            self._pending = None
        if on_resume is not None:
            on_resume(waited)
        return decision

    def sleep(self, seconds: float) -> None:
        """Wait ``seconds`` unless stopped first; raises :class:`Stopped` if the run was stopped."""
        with self._cond:
            if seconds > 0 and not self._stopped:
                self._cond.wait_for(lambda: self._stopped, timeout=seconds)
            if self._stopped:
                raise Stopped()
