"""What the model was sent for a turn: the whole conversation up to just before that turn's reply.

The loop sends everything each time; what changed since the previous request is only the model's last
reply and what the harness appended after it (the tool results it earned, a nudge). The size is the
provider's own count where nano-tui's sidecar recorded it (the reply's ``prompt_tokens``), else an
estimate, said so.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from nano_tui.trajectory.trajectory import Trajectory

#: Characters per token for the estimate: the usual rule of thumb for English text and code.
CHARS_PER_TOKEN = 4


@dataclass(frozen=True)
class Request:
    turn: int
    #: The messages sent, in order (the setup's system prompt and task first).
    messages: list[dict[str, Any]]
    #: Where what is new since the previous request starts in :attr:`messages` (0: all of it, the
    #: first request).
    new_from: int
    tokens: int
    #: The provider's count, or (False) an estimate from the text's length.
    exact: bool
    #: The tools offered with it (sent with every request).
    tools: list[dict[str, Any]]

    @property
    def new(self) -> int:
        return len(self.messages) - self.new_from


def request_for(trajectory: Trajectory, turn: int) -> Request | None:
    """The request that turn ``turn``'s reply answered (None for the setup turn, which sends nothing:
    it is the start of the first request)."""
    if turn < 1 or not trajectory.has_turn(turn):
        return None
    earlier = [trajectory.turn(index).messages for index in range(turn)]
    messages = [message for part in earlier for message in part]
    new_from = 0 if turn == 1 else len(messages) - len(earlier[-1])
    tools = trajectory.info.tools
    counted = trajectory.turn(turn).usage.get("prompt_tokens")
    if isinstance(counted, int) and counted > 0:
        tokens, exact = counted, True
    else:
        size = len(json.dumps(messages, ensure_ascii=False)) + len(json.dumps(tools, ensure_ascii=False))
        tokens, exact = size // CHARS_PER_TOKEN, False
    return Request(turn, messages, new_from, tokens, exact, tools)


def size_text(request: Request) -> str:
    """"9 messages, 2,130 tokens" (with "≈ … estimated" when it is not the provider's count)."""
    count = f"{len(request.messages)} message{'s' if len(request.messages) != 1 else ''}"
    tokens = f"{request.tokens:,} tokens" if request.exact else f"≈ {request.tokens:,} tokens (estimated)"
    return f"{count}, {tokens}"


def new_text(request: Request) -> str:
    """What the request added to the one before, in words: "the model's reply and 2 tool results"."""
    if request.new_from == 0:
        tools = f"{len(request.tools)} tool{'s' if len(request.tools) != 1 else ''}"
        return f"the system prompt and the task, with {tools} offered"
    roles = [message.get("role") for message in request.messages[request.new_from:]]
    parts = []
    if "assistant" in roles:
        parts.append("the model's last reply")
    results = roles.count("tool")
    if results:
        parts.append(f"{results} tool result{'s' if results != 1 else ''}")
    users = roles.count("user")
    if users:
        parts.append(f"{users} message{'s' if users != 1 else ''} from the harness (a nudge)")
    return " and ".join(parts) or "nothing"


def request_line(request: Request) -> str:
    """The request in a sentence, for the note the loop strip shows with each turn."""
    if request.new_from == 0:
        return f"{size_text(request)}, the first request: {new_text(request)}. (c shows it all.)"
    return (f"{size_text(request)}: the whole conversation so far. New since the last request: "
            f"{new_text(request)}. (c shows it all.)")
