"""What a turn is — the one place messages are grouped, for loading and live feeding alike.

Turn 0 is the setup: every message before the first assistant message (system prompt, task). Each
later turn starts at an assistant message and holds the messages after it until the next one: the
tool results that answer its calls (paired by ``tool_call_id``, else by order) and any nudge.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from nano_tui.trajectory.derived import defer, parse_arguments
from nano_tui.trajectory.evidence import Evidence
from nano_tui.trajectory.model import KNOWN_TOOLS, SHELL_TOOLS, ToolCall, Turn
from nano_tui.trajectory.results import returncode_status
from nano_tui.trajectory.thinking import content_text

Dialect = Literal["nano", "mini-swe-agent"]

#: Assistant keys the turn already shows; any other non-empty key lands in ``Turn.extra``.
_SHOWN_KEYS = {"content", "role", "tool_calls", "function_call", "reasoning_content", "reasoning",
               "thinking_blocks"}
_EMPTY = (None, "", [], {})
#: mini-swe-agent's command in a reply, compiled on first use through ``re``'s cache (other logs never
#: need it).
_BASH_BLOCK = r"(?s)```(?:bash|sh)\s*\n(.*?)\n?```"
#: Groups of derived fields (see ``derived``) the builder leaves to be computed on first read.
_ARGUMENTS = ("arguments", "parse_error")
_PATCH_DIFF = ("diff", "diff_approximate")
_ARGUMENTS_AND_DIFF = _ARGUMENTS + _PATCH_DIFF
_READING = ("output", "warning", "truncated", "status")
_THINKING_AND_DIFF = ("thinking", "text", "diff")


class TurnIndex:
    """Which lines start a turn. Fed one role per line, in order; lines that could not be read pass
    ``None`` and join the current turn."""

    def __init__(self) -> None:
        self.starts: list[int] = [0]
        self.lines = 0

    def add(self, line: int, role: str | None) -> None:
        if role == "assistant":
            self.starts.append(line)
        self.lines = line + 1

    def __len__(self) -> int:
        return len(self.starts)

    def lines_of(self, turn: int) -> range:
        end = self.starts[turn + 1] if turn + 1 < len(self.starts) else self.lines
        return range(self.starts[turn], end)

    def truncate(self, lines: int) -> None:
        """Forget lines from ``lines`` on (a torn last line is read again once it is complete)."""
        self.starts = [s for s in self.starts if s < lines] or [0]
        self.lines = min(self.lines, lines)


def build_turn(
    index: int,
    entries: list[tuple[int, dict[str, Any]]],
    evidence: Evidence,
    dialect: Dialect = "nano",
    offered: tuple[str, ...] = KNOWN_TOOLS,
) -> Turn:
    """One turn from its readable messages (line number, message), with what the evidence adds;
    ``offered`` names the tools the run offered (calls of other names are marked unknown)."""
    turn = Turn(index=index, messages=[m for _, m in entries], message_indices=[i for i, _ in entries])
    if index == 0:
        return turn
    head, answers = _split_head(entries)
    if head is not None:
        defer(turn, _THINKING_AND_DIFF)
        turn.tool_calls = _calls_of(head, dialect)
        for call in turn.tool_calls:
            call.known = call.name in offered or (dialect == "mini-swe-agent" and call.name in SHELL_TOOLS)
        turn.extra = {k: v for k, v in head.items() if k not in _SHOWN_KEYS and v not in _EMPTY}
        if isinstance(head.get("function_call"), dict) and not turn.tool_calls:
            turn.extra["function_call"] = head["function_call"]
    unknown: list[dict[str, Any]] = []
    results: list[tuple[int, dict[str, Any]]] = []
    for line, message in answers:
        role = message.get("role")
        if role == "tool" or (dialect == "mini-swe-agent" and role == "user" and turn.tool_calls):
            results.append((line, message))
        elif role == "user":
            turn.nudges.append(content_text(message.get("content")))
        else:
            unknown.append(message)
    if unknown:
        turn.extra["other_messages"] = unknown
    _pair(turn, results, dialect)
    _apply_evidence(turn, evidence)
    return turn


def _split_head(
    entries: list[tuple[int, dict[str, Any]]],
) -> tuple[dict[str, Any] | None, list[tuple[int, dict[str, Any]]]]:
    if entries and entries[0][1].get("role") == "assistant":
        return entries[0][1], entries[1:]
    for position, (_, message) in enumerate(entries):
        if message.get("role") == "assistant":
            return message, entries[:position] + entries[position + 1:]
    return None, entries


def _calls_of(message: dict[str, Any], dialect: Dialect) -> list[ToolCall]:
    raw_calls = message.get("tool_calls")
    if not isinstance(raw_calls, list) or not raw_calls:
        function_call = message.get("function_call")
        raw_calls = [{"function": function_call}] if isinstance(function_call, dict) else []
    calls = [_call(item) for item in raw_calls]
    if not calls and dialect == "mini-swe-agent":
        text = content_text(message.get("content"))
        calls = [ToolCall(call_id=None, name="bash", arguments_raw=cmd, arguments={"cmd": cmd})
                 for cmd in re.findall(_BASH_BLOCK, text)[:1]]
    return calls


def _call(item: Any) -> ToolCall:
    if not isinstance(item, dict):
        item = {}
    function = item.get("function")
    if not isinstance(function, dict):
        function = {}
    call_id = item.get("id")
    call_id = call_id if isinstance(call_id, str) else None
    name = function.get("name")
    name = name if isinstance(name, str) else ""
    raw = function.get("arguments")
    if isinstance(raw, str):
        call = ToolCall(call_id, name, raw)
        defer(call, _ARGUMENTS_AND_DIFF if name == "apply_patch" else _ARGUMENTS)
        return call
    raw, arguments, error = parse_arguments(raw)
    call = ToolCall(call_id, name, raw, arguments=arguments, parse_error=error)
    if name == "apply_patch":
        defer(call, _PATCH_DIFF)
    return call


def _pair(turn: Turn, results: list[tuple[int, dict[str, Any]]], dialect: Dialect) -> None:
    """Answer each call with its tool message: same id first, else the next unanswered call."""
    open_calls = list(turn.tool_calls)
    for line, message in results:
        call_id = message.get("tool_call_id")
        position = _answered(open_calls, call_id)
        if position is None:
            call = ToolCall(call_id if isinstance(call_id, str) else None, "", "")
            turn.tool_calls.append(call)
        else:
            call = open_calls.pop(position)
        call.result = content_text(message.get("content"))
        call.result_index = line
        defer(call, _READING)
        if dialect == "mini-swe-agent":
            call.status = returncode_status(call.result)
    for call in open_calls:
        call.status = "no result"


def _answered(open_calls: list[ToolCall], call_id: Any) -> int | None:
    """Where the open call with this id is, else the first open one (ids missing, repeated or unknown)."""
    if not open_calls:
        return None
    if call_id is not None and open_calls[0].call_id != call_id:
        for position, call in enumerate(open_calls):
            if call.call_id == call_id:
                return position
    return 0


def _apply_evidence(turn: Turn, evidence: Evidence) -> None:
    if evidence.has_records or evidence.has_tool_log:
        for call in turn.tool_calls:
            _apply_call_evidence(turn.index, call, evidence)
    if not evidence.has_records:
        return
    ended = evidence.turn_ended(turn.index)
    if ended is not None:
        if isinstance(ended.get("duration"), int | float):
            turn.duration = float(ended["duration"])
        if isinstance(ended.get("usage"), dict):
            turn.usage = {k: v for k, v in ended["usage"].items() if isinstance(v, int)}
    retries = evidence.retries(turn.index)
    if retries:
        turn.extra["retries"] = retries


def _apply_call_evidence(turn: int, call: ToolCall, evidence: Evidence) -> None:
    """Status, duration and the patch's own diff from the sidecar, else status from ``tool_log.jsonl``."""
    finished = evidence.tool_finished(turn, call.call_id)
    if finished is not None:
        if finished.get("state") in ("ok", "failed", "skipped"):
            call.status = finished["state"]
        if isinstance(finished.get("duration"), int | float):
            call.duration = float(finished["duration"])
        if isinstance(finished.get("printed"), str):
            call.printed = finished["printed"]
        if isinstance(finished.get("printed_bytes"), int):
            call.printed_bytes = finished["printed_bytes"]
    elif call.result is not None:
        logged = evidence.tool_log(call.call_id, call.result)
        if logged is not None and isinstance(logged.get("success"), bool):
            call.status = "ok" if logged["success"] else "failed"
    elif evidence.run_ended is None and evidence.tool_started(turn, call.call_id) is not None:
        call.status = "running"
    diff = "".join(evidence.patch_diffs(turn, call.call_id) or ())
    if diff:
        call.diff, call.diff_approximate = diff, False
