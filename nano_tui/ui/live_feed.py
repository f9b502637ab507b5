"""Loop events, applied in order on the UI thread, to the live trajectory and the run's status.

No widget here: :class:`LiveFeed` says what changed (:class:`Changes`) and the screen redraws that.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from nano_tui.core.events import (
    TRANSIENT,
    Event,
    MessageLogged,
    ModelCallStarted,
    Paused,
    Resumed,
    Retrying,
    RunEnded,
    RunStarted,
    TextDelta,
    ThinkingDelta,
    ToolCallDelta,
    ToolFinished,
    ToolStarted,
    TurnEnded,
    to_record,
)
from nano_tui.ui.live_trajectory import DraftTurn, LiveTrajectory
from nano_tui.ui.provider_advice import advice

State = Literal["starting", "waiting for model", "streaming", "running tool", "paused", "stopping",
                "finished", "stopped", "failed"]
ENDED_STATES = ("finished", "stopped", "failed")


@dataclass
class RunStatus:
    """Everything the status line and the end summary show."""

    model: str
    api_base: str | None = None
    state: State = "starting"
    turn: int = 0
    tool_calls: int = 0
    tool_limit: int | None = None
    #: The conversation's size at the latest model call, in the loop's own count (``--token-limit``'s).
    tokens: int | None = None
    token_limit: int | None = None
    time_limit: float | None = None
    started_at: float | None = None
    ended_at: float | None = None
    #: Since when the state holds (a tool's elapsed time, a wait for the model).
    since: float = field(default_factory=time.time)
    #: Paused: "model" or "tool"; running a tool: its name.
    detail: str = ""
    retry: Retrying | None = None
    step: bool = False
    end_reason: str | None = None
    error: str | None = None
    run_dir: str | None = None
    diff: str = ""
    #: (tool name, state) → count, for success rates.
    outcomes: Counter[tuple[str, str]] = field(default_factory=Counter)
    #: call id → when it started, for the calls running now.
    running: dict[str, float] = field(default_factory=dict)
    #: Seconds the user kept the loop paused in step mode, before the current pause.
    paused: float = 0.0

    @property
    def live(self) -> bool:
        return self.state not in ENDED_STATES

    def paused_time(self, now: float | None = None) -> float:
        """All the time the loop waited for the user, the pause going on now included."""
        ongoing = (now or time.time()) - self.since if self.state == "paused" else 0.0
        return self.paused + max(0.0, ongoing)

    def elapsed(self, now: float | None = None) -> float:
        """The agent's time: since the start, less the time paused (what ``--time-limit`` counts)."""
        if self.started_at is None:
            return 0.0
        now = self.ended_at or now or time.time()
        return max(0.0, now - self.started_at - self.paused_time(now))


@dataclass
class Changes:
    """What one batch of events changed."""

    turns: set[int] = field(default_factory=set)
    count: bool = False
    info: bool = False
    ended: bool = False

    @property
    def redraws(self) -> bool:
        """Whether showing these changes redraws more than the status line."""
        return bool(self.turns) or self.count or self.info or self.ended

    def merge(self, other: Changes) -> None:
        self.turns |= other.turns
        self.count |= other.count
        self.info |= other.info
        self.ended |= other.ended


class LiveFeed:
    def __init__(self, trajectory: LiveTrajectory, status: RunStatus) -> None:
        self.trajectory = trajectory
        self.status = status

    def apply(self, batch: list[tuple[Event, float]]) -> Changes:
        changes = Changes()
        before = len(self.trajectory)
        for event, at in batch:
            self._apply(event, at, changes)
        changes.count = changes.count or len(self.trajectory) != before
        return changes

    def _apply(self, event: Event, at: float, changes: Changes) -> None:
        traj, status = self.trajectory, self.status
        if not isinstance(event, TRANSIENT):
            traj.add_record(to_record(event, at))
        if isinstance(event, RunStarted):
            status.started_at, status.run_dir = at, event.run_dir
            status.tool_limit = event.limits.get("tool_limit")
            status.token_limit = event.limits.get("token_limit")
            time_limit = event.limits.get("time_limit")
            limited = isinstance(time_limit, int | float) and time_limit < 1e8  # no limit is stored as 1e9
            status.time_limit = time_limit if limited else None
            traj.info.path = Path(event.run_dir) if event.run_dir else None
            changes.info = True
        elif isinstance(event, MessageLogged):
            traj.add_message(event.index, event.message, event.time)
            if event.message.get("role") == "assistant":
                traj.draft = None
            elif event.message.get("role") == "user" and event.turn > 0:
                status.tool_calls += 1  # a nudge spends a tool call, as in nano
            changes.turns.add(event.turn)
        elif isinstance(event, ModelCallStarted):
            # no new turn yet: while the model thinks, the last turn's output stays in view
            self._set(status, "waiting for model", at)
            status.turn, status.retry, status.tokens = event.turn, None, event.context_tokens
        elif isinstance(event, ThinkingDelta | TextDelta | ToolCallDelta):
            self._stream(event, at, changes)
        elif isinstance(event, Retrying):
            status.retry = event
            draft = self._draft()
            draft.retries.append(to_record(event, at))
            changes.turns.add(draft.index)
        elif isinstance(event, Paused):
            self._set(status, "paused", at, event.before)
            status.turn = event.turn
        elif isinstance(event, Resumed):
            status.paused += event.paused
            # the model call or the tool call it waited before is reported next, in the same batch
            self._set(status, "waiting for model" if status.detail == "model" else "running tool", at)
        elif isinstance(event, ToolStarted):
            self._set(status, "running tool", at, event.name)
            status.running[event.call_id] = at
            changes.turns.add(event.turn)
        elif isinstance(event, ToolFinished):
            status.running.pop(event.call_id, None)
            status.tool_calls += 1
            status.outcomes[(event.name, event.state)] += 1
            changes.turns.add(event.turn)
        elif isinstance(event, TurnEnded):
            changes.turns.add(event.turn)
        elif isinstance(event, RunEnded):
            self._end(event, at, changes)
        else:
            changes.turns.add(getattr(event, "turn", 0))

    def _stream(self, event: ThinkingDelta | TextDelta | ToolCallDelta, at: float, changes: Changes) -> None:
        draft = self._draft()
        if self.status.state != "streaming":
            self._set(self.status, "streaming", at)
        if isinstance(event, ThinkingDelta):
            draft.thinking += event.text
        elif isinstance(event, TextDelta):
            draft.text += event.text
        else:
            draft.add_call_piece(event.index, event.call_id, event.name, event.arguments)
        changes.turns.add(draft.index)

    def _end(self, event: RunEnded, at: float, changes: Changes) -> None:
        traj, status = self.trajectory, self.status
        status.ended_at, status.end_reason, status.error = at, event.reason, event.error
        status.diff, status.running = event.diff, {}
        status.run_dir = event.run_dir or status.run_dir
        calling = status.state in ("waiting for model", "streaming")
        state: State = {"error": "failed", "stopped": "stopped"}.get(event.reason, "finished")  # type: ignore[assignment]
        self._set(status, state, at)
        if event.error and calling:
            draft = self._draft()
            draft.error = f"{event.error}\n\nWhat to do: {advice(event.error, status.model, status.api_base)}"
        elif traj.draft is not None and traj.draft.empty:
            traj.draft = None
        changes.info = changes.ended = changes.count = True
        changes.turns.update(range(max(0, len(traj) - 2), len(traj)))

    def _draft(self) -> DraftTurn:
        """The turn of the model call in progress, made when it first has something to show."""
        traj = self.trajectory
        if traj.draft is None:
            traj.draft = DraftTurn(traj.logged_turns())
        return traj.draft

    @staticmethod
    def _set(status: RunStatus, state: State, at: float, detail: str = "") -> None:
        status.state, status.since, status.detail = state, at, detail
