"""A trajectory that grows while the loop runs, with the turn the model is still streaming.

The logged messages make the turns, through the same grouping replay uses. A turn exists in the log
only once its assistant message is complete, so the reply being streamed is kept aside as a *draft*
turn, shown after the logged ones and replaced by the real turn the moment its message is logged.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from nano_tui import bounded_json
from nano_tui.trajectory import ToolCall, Trajectory, Turn
from nano_tui.trajectory.thinking import split_thinking

_CLOSERS = {"{": "}", "[": "]"}


def complete_partial_json(raw: str) -> dict[str, Any] | None:
    """The object a streamed, still unfinished JSON text would be if it ended here (None: no guess).

    Lets a shell command appear as it streams instead of as malformed arguments.
    """
    stack: list[str] = []
    in_string = escaped = False
    for char in raw:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in _CLOSERS:
            stack.append(_CLOSERS[char])
        elif char in "}]" and stack:
            stack.pop()
    body = raw[:-1] if escaped else raw
    if in_string:
        body += '"'
    closers = "".join(reversed(stack))
    for candidate in (body + closers, body + ': ""' + closers, body.rstrip().rstrip(",:") + closers):
        try:
            value = bounded_json.parse(candidate)
        except ValueError:
            continue
        return value if isinstance(value, dict) else None
    return None


@dataclasses.dataclass
class _StreamedCall:
    call_id: str | None = None
    name: str = ""
    arguments: str = ""


class DraftTurn:
    """The reply being streamed for turn ``index``, rebuilt into a :class:`Turn` on demand."""

    def __init__(self, index: int) -> None:
        self.index = index
        self.thinking = ""
        self.text = ""
        self.calls: list[_StreamedCall] = []
        self.retries: list[dict[str, Any]] = []
        self.error: str | None = None

    def add_call_piece(self, position: int, call_id: str | None, name: str | None, arguments: str) -> None:
        while len(self.calls) <= position:
            self.calls.append(_StreamedCall())
        call = self.calls[position]
        call.call_id = call_id or call.call_id
        call.name += name or ""
        call.arguments += arguments

    @property
    def empty(self) -> bool:
        return not (self.thinking or self.text or self.calls or self.retries or self.error)

    def turn(self) -> Turn:
        """The reply so far, its thinking and text separated as the logged message's will be."""
        thinking, text = split_thinking({"content": self.text, "reasoning_content": self.thinking})
        turn = Turn(index=self.index, thinking=thinking, text=text, error=self.error)
        for call in self.calls:
            # no arguments and no parse error: still arriving, not malformed
            turn.tool_calls.append(ToolCall(call.call_id, call.name, call.arguments,
                                            arguments=complete_partial_json(call.arguments)))
        if self.retries:
            turn.extra["retries"] = list(self.retries)
        turn.extra["streaming"] = True
        return turn


class LiveTrajectory(Trajectory):
    """The logged turns of a running loop, then the draft turn (if any)."""

    draft: DraftTurn | None = None

    def logged_turns(self) -> int:
        return super().__len__()

    def __len__(self) -> int:
        return self.logged_turns() + (self.draft is not None)

    def turn(self, index: int) -> Turn:
        logged = self.logged_turns()
        if index < 0:
            index += logged + (self.draft is not None)
        if self.draft is not None and index == logged:
            return self.draft.turn()
        turn = super().turn(index)
        if self.draft is not None and self.draft.error and turn.error:
            # the run failed in the draft turn: that is where the error panel belongs
            return dataclasses.replace(turn, error=None)
        return turn
