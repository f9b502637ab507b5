"""Loop events, applied in order on the UI thread, to the live trajectory and the live status.

No widget here: :class:`LiveFeed` says what changed (:class:`Changes`) and the screen redraws that.
"""

from __future__ import annotations

import time
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
from nano_tui.live.advice import advice
from nano_tui.live.trajectory import DraftTurn, LiveTrajectory
from nano_tui.trajectory.model import RunInfo

State = Literal["starting", "waiting for model", "streaming", "running tool", "paused", "stopping",
                "finished", "stopped", "failed"]
ENDED_STATES = ("finished", "stopped", "failed")


@dataclass
class LiveStatus:
    """What only a running loop has: what it is doing now, since when, and the calls running. The run's
    own facts (model, limits, start and end, outcome, tokens, time paused) are the trajectory's
    :class:`~nano_tui.trajectory.model.RunInfo`, as in replay."""

    state: State = "starting"
    #: The turn the loop is on (the screen shows it once the model answers).
    turn: int = 0
    #: Tool calls spent, as the loop counts them (a nudge spends one, as in nano).
    tool_calls: int = 0
    #: Since when the state holds (a tool's elapsed time, a wait for the model).
    since: float = field(default_factory=time.time)
    #: Paused: "model" or "tool"; running a tool: its name.
    detail: str = ""
    retry: Retrying | None = None
    step: bool = False
    #: call id → when it started, for the calls running now.
    running: dict[str, float] = field(default_factory=dict)

    @property
    def live(self) -> bool:
        return self.state not in ENDED_STATES

    def pausing(self, now: float | None = None) -> float:
        """Seconds of the pause going on now (0 when not paused)."""
        return max(0.0, (now or time.time()) - self.since) if self.state == "paused" else 0.0


def agent_time(info: RunInfo, status: LiveStatus, now: float | None = None) -> float:
    """The agent's time so far, what ``--time-limit`` counts: a pause going on is not in it either."""
    now = now or time.time()
    return info.agent_time(now, info.paused + status.pausing(now)) or 0.0


def paused_time(info: RunInfo, status: LiveStatus, now: float | None = None) -> float:
    """All the time the loop waited for the user, the pause going on now included."""
    return info.paused + status.pausing(now)


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
    """Applies the loop's events, in order, to the trajectory (and so its RunInfo) and the live status."""

    def __init__(self, trajectory: LiveTrajectory, status: LiveStatus) -> None:
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
            traj.add_record(to_record(event, at))  # the sidecar's records: the same RunInfo as replay's
        if isinstance(event, RunStarted):
            traj.info.path = Path(event.run_dir) if event.run_dir else None
            traj.keep_notes()
            changes.info = True
        elif isinstance(event, MessageLogged):
            traj.add_message(event.index, event.message)
            if event.message.get("role") == "assistant":
                traj.draft = None
            elif event.message.get("role") == "user" and event.turn > 0:
                status.tool_calls += 1  # a nudge spends a tool call, as in nano
            changes.turns.add(event.turn)
        elif isinstance(event, ModelCallStarted):
            # no new turn yet: while the model thinks, the last turn's output stays in view
            self._set("waiting for model", at)
            status.turn, status.retry = event.turn, None
            traj.info.context_tokens = event.context_tokens
        elif isinstance(event, ThinkingDelta | TextDelta | ToolCallDelta):
            self._stream(event, at, changes)
        elif isinstance(event, Retrying):
            status.retry = event
            draft = self._draft()
            draft.retries.append(to_record(event, at))
            changes.turns.add(draft.index)
        elif isinstance(event, Paused):
            self._set("paused", at, event.before)
            status.turn = event.turn
        elif isinstance(event, Resumed):
            # the model call or the tool call it waited before is reported next, in the same batch
            self._set("waiting for model" if status.detail == "model" else "running tool", at)
        elif isinstance(event, ToolStarted):
            self._set("running tool", at, event.name)
            status.running[event.call_id] = at
            changes.turns.add(event.turn)
        elif isinstance(event, ToolFinished):
            status.running.pop(event.call_id, None)
            status.tool_calls += 1
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
            self._set("streaming", at)
        if isinstance(event, ThinkingDelta):
            draft.thinking += event.text
        elif isinstance(event, TextDelta):
            draft.text += event.text
        else:
            draft.add_call_piece(event.index, event.call_id, event.name, event.arguments)
        changes.turns.add(draft.index)

    def _end(self, event: RunEnded, at: float, changes: Changes) -> None:
        traj, status, info = self.trajectory, self.status, self.trajectory.info
        if event.run_dir:
            info.path = Path(event.run_dir)
        status.running = {}
        calling = status.state in ("waiting for model", "streaming")
        state: State = {"error": "failed", "stopped": "stopped"}.get(event.reason, "finished")  # type: ignore[assignment]
        self._set(state, at)
        if event.error and calling:
            draft = self._draft()
            draft.error = (f"{event.error}\n\nWhat to do: "
                           f"{advice(event.error_kind, info.model or '', info.api_base)}")
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

    def _set(self, state: State, at: float, detail: str = "") -> None:
        self.status.state, self.status.since, self.status.detail = state, at, detail
