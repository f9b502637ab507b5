"""Typed events the agent loop emits while it runs.

The loop never touches a screen: it calls one callback with these events. A headless caller prints
them, the live view queues them for its own frame timer (``ui/live_app.py``: the worker never touches a
widget), and the run log writes the non-delta ones to the sidecar file (``nano-tui.jsonl``) via
:func:`to_record`, so a replay sees what the live view saw.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, Literal

from nano_tui import contract

EndReason = Literal["finished", "tool limit", "token limit", "time limit", "stopped", "error"]
ToolState = Literal["ok", "failed", "skipped"]


@dataclass(frozen=True)
class RunStarted:
    """The preconditions passed and the log folder exists (``run_dir`` is None with ``log=False``)."""

    task: str
    repo: str
    commit: str | None
    model: str
    run_dir: str | None
    limits: dict[str, Any]
    settings: dict[str, Any]
    #: Where the shell runs: name, image, workdir, network, confined, description, warning.
    backend: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class MessageLogged:
    """A message was appended to ``messages.jsonl`` (or would have been, with logging off).

    ``index`` is its 0-based line number; ``turn`` the turn it belongs to (0 = system + task).
    """

    index: int
    turn: int
    message: dict[str, Any]
    time: float


@dataclass(frozen=True)
class ModelCallStarted:
    """The loop is about to call the model for ``turn`` (the state is "waiting for model") with a
    conversation of ``context_tokens`` (the count ``--token-limit`` is checked against)."""

    turn: int
    max_tokens: int
    context_tokens: int = 0


@dataclass(frozen=True)
class ThinkingDelta:
    turn: int
    text: str


@dataclass(frozen=True)
class TextDelta:
    turn: int
    text: str


@dataclass(frozen=True)
class ToolCallDelta:
    """A streamed fragment of tool call number ``index`` in this turn's assistant message."""

    turn: int
    index: int
    call_id: str | None
    name: str | None
    arguments: str


@dataclass(frozen=True)
class Retrying:
    """The provider failed transiently; the loop waits ``wait`` seconds and tries again."""

    turn: int
    attempt: int
    error: str
    wait: float


@dataclass(frozen=True)
class ToolStarted:
    turn: int
    call_id: str
    name: str
    arguments: str


@dataclass(frozen=True)
class ToolFinished:
    """A tool call was answered. ``output`` is exactly the tool message's content; when that cut what
    the command printed, ``printed`` keeps it (about a MiB at most) and ``printed_bytes`` counts it."""

    turn: int
    call_id: str
    name: str
    output: str
    state: ToolState
    duration: float
    printed: str | None = None
    printed_bytes: int | None = None


@dataclass(frozen=True)
class PatchApplied:
    """An ``apply_patch`` call changed the tree; ``diff`` is that patch's unified diff alone."""

    turn: int
    call_id: str
    file: str
    diff: str


@dataclass(frozen=True)
class TurnEnded:
    """``duration``: the agent's seconds (pauses left out); ``usage``: the provider's token counts for
    the call; ``context_tokens``: the conversation's size the call was made with."""

    turn: int
    duration: float
    usage: dict[str, int] = field(default_factory=dict)
    context_tokens: int | None = None


@dataclass(frozen=True)
class Paused:
    """Step mode: the loop waits for the user before ``before`` ("model" or "tool")."""

    turn: int
    before: Literal["model", "tool"]
    call_id: str | None = None


@dataclass(frozen=True)
class Resumed:
    """Step mode: the user let the loop go on after ``paused`` seconds (time that is not the agent's)."""

    turn: int
    paused: float


@dataclass(frozen=True)
class RunEnded:
    reason: EndReason
    diff: str
    run_dir: str | None
    error: str | None = None
    #: For a failed model call: what kind of failure (``contract.ErrorKind``), for the advice shown.
    error_kind: str | None = None


Event = (
    RunStarted
    | MessageLogged
    | ModelCallStarted
    | ThinkingDelta
    | TextDelta
    | ToolCallDelta
    | Retrying
    | ToolStarted
    | ToolFinished
    | PatchApplied
    | TurnEnded
    | Paused
    | Resumed
    | RunEnded
)

#: Events too frequent or too transient for the sidecar: they are rebuilt from the messages.
TRANSIENT = (ThinkingDelta, TextDelta, ToolCallDelta, ModelCallStarted, Paused)

_NAMES: dict[type, str] = {
    RunStarted: contract.RUN_STARTED,
    MessageLogged: contract.MESSAGE,
    Retrying: contract.RETRYING,
    ToolStarted: contract.TOOL_STARTED,
    ToolFinished: contract.TOOL_FINISHED,
    PatchApplied: contract.PATCH_APPLIED,
    TurnEnded: contract.TURN_ENDED,
    Resumed: contract.RESUMED,
    RunEnded: contract.RUN_ENDED,
}


def to_record(event: Event, time: float) -> dict[str, Any]:
    """The sidecar line for ``event``: its fields plus ``event`` (its name) and ``time``.

    A logged message is recorded by index and time only: its content lives in ``messages.jsonl``.
    """
    record: dict[str, Any] = {"event": _NAMES[type(event)], "time": time}
    fields = dataclasses.asdict(event)
    if isinstance(event, MessageLogged):
        fields.pop("message")
    record.update(fields)
    return record
