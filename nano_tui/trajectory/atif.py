"""Reading an ATIF trajectory (v1.x, from any agent) as a run: its steps become the chat messages
they stand for, so the turns, calls and outputs are built as for nano's own logs. Tools keep their own
names; the ones the trajectory defines, or else uses, count as offered (nothing is unknown for not
being nano's)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from nano_tui.trajectory.grouping import TurnIndex
from nano_tui.trajectory.model import LogError, RunInfo
from nano_tui.trajectory.sources import MessageList
from nano_tui.trajectory.trajectory import Trajectory

_ROLES = {"system": "system", "user": "user", "agent": "assistant"}


def _text(content: Any) -> str:
    """A message or a result: text, or the text parts of a multimodal list."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(part.get("text", "") for part in content
                         if isinstance(part, dict) and isinstance(part.get("text"), str))
    return ""


def messages(steps: list[Any]) -> list[dict[str, Any]]:
    """The chat messages the steps stand for: an agent step is an assistant message, then one tool
    message per observation result."""
    found: list[dict[str, Any]] = []
    for step in steps:
        if not isinstance(step, dict) or step.get("source") not in _ROLES:
            continue
        message: dict[str, Any] = {"role": _ROLES[step["source"]], "content": _text(step.get("message"))}
        if step["source"] == "agent":
            if isinstance(step.get("reasoning_content"), str):
                message["reasoning_content"] = step["reasoning_content"]
            calls = [call for call in step.get("tool_calls") or [] if isinstance(call, dict)]
            if calls:
                message["tool_calls"] = [
                    {"id": str(call.get("tool_call_id")), "type": "function",
                     "function": {"name": str(call.get("function_name")),
                                  "arguments": _arguments(call)}}
                    for call in calls]
        found.append(message)
        observation = step.get("observation") if isinstance(step.get("observation"), dict) else {}
        for result in observation.get("results") or []:
            if isinstance(result, dict):
                found.append({"role": "tool", "tool_call_id": str(result.get("source_call_id")),
                              "content": _text(result.get("content"))})
    return found


def _arguments(call: dict[str, Any]) -> str:
    """The arguments as the model sent them: the raw text an export kept, else the object."""
    extra = call.get("extra") if isinstance(call.get("extra"), dict) else {}
    if isinstance(extra.get("raw_arguments"), str):
        return extra["raw_arguments"]
    return json.dumps(call.get("arguments") if isinstance(call.get("arguments"), dict) else {},
                      ensure_ascii=False)


def _definitions(agent: dict[str, Any], chat: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The tools offered, as function definitions: the trajectory's own (either shape), else the
    names its calls use."""
    definitions = []
    for tool in agent.get("tool_definitions") or []:
        if isinstance(tool, dict) and isinstance(tool.get("function"), dict):
            definitions.append(tool)
        elif isinstance(tool, dict) and isinstance(tool.get("name"), str):
            definitions.append({"type": "function", "function": tool})
    if definitions:
        return definitions
    names = dict.fromkeys(call["function"]["name"] for message in chat
                          for call in message.get("tool_calls", []))
    return [{"type": "function", "function": {"name": name}} for name in names]


def load_atif(path: Path, data: dict[str, Any]) -> Trajectory:
    steps = data.get("steps")
    if not isinstance(steps, list) or not steps:
        raise LogError(f"an ATIF trajectory without steps: {path}")
    agent = data.get("agent") if isinstance(data.get("agent"), dict) else {}
    chat = messages(steps)
    if not chat:
        raise LogError(f"an ATIF trajectory with no step nano-tui can read: {path}")
    extra = data.get("extra") if isinstance(data.get("extra"), dict) else {}
    info = RunInfo(
        path=path,
        source="atif",
        model=agent.get("model_name") if isinstance(agent.get("model_name"), str) else None,
        settings=agent.get("extra") if isinstance(agent.get("extra"), dict) else {},
        tools=_definitions(agent, chat),
        end_reason=extra.get("end_reason") if isinstance(extra.get("end_reason"), str) else None,
        ended_normally=extra.get("ended_normally") if isinstance(extra.get("ended_normally"), bool) else None,
        final_diff=extra.get("final_diff") if isinstance(extra.get("final_diff"), str) else "",
    )
    source = MessageList(TurnIndex())
    for line, message in enumerate(chat):
        source.add(line, message)
    trajectory = Trajectory(info, source)
    trajectory.fill_setup()
    return trajectory
