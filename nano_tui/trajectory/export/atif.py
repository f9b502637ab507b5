"""A run as an ATIF trajectory (the Agent Trajectory Interchange Format, v1.8), which Harbor's viewer,
Inspect Scout and Phoenix read.

Written by nano-tui itself and checked against the ``atif`` package's models in the tests: the
format is a page of plain JSON, and a runtime dependency on pydantic models would cost every
export their import for no check a user needs. Faithful to the log: a system step and a user step
for the setup; one agent step per assistant message, with its reasoning (``reasoning_content`` or
``<think>``), its text, its tool calls (ids kept) and their results as ``observation.results``,
each result exactly the tool message's text; nano's nudges as user steps. Token counts (per step and
in ``final_metrics``) only where the sidecar recorded them; no time is invented.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from nano_tui import installed_version
from nano_tui.bounded_json import dump, outline
from nano_tui.trajectory.model import ToolCall, Turn
from nano_tui.trajectory.trajectory import Trajectory

SCHEMA_VERSION = "ATIF-v1.8"


def atif_chunks(trajectory: Trajectory) -> Iterator[str]:
    """The trajectory as one ATIF JSON object, a step at a time."""
    info = trajectory.info
    agent: dict[str, Any] = {"name": info.source if info.source != "live" else "nano-tui",
                             "version": agent_version(info.source), "model_name": info.model,
                             "tool_definitions": info.tools or None,
                             "extra": {"metadata": info.settings, "api_base": info.api_base,
                                       "limits": info.limits or None,
                                       "repo": info.repo, "commit": info.commit}}
    head = {"schema_version": SCHEMA_VERSION, "session_id": info.path.name if info.path else None,
            "agent": _present(agent)}
    yield dump(_present(head))[:-1] + ', "steps": ['
    number = 0
    usages = []
    for turn in trajectory.stream():
        usages.append(turn.usage)
        for step in _steps(turn, info.system_prompt, info.task):
            number += 1
            yield ("," if number > 1 else "") + "\n  " + outline({"step_id": number, **step}, 1, "  ")
    totals = token_totals(usages)
    metrics = {"total_prompt_tokens": totals.get("prompt_tokens"),
               "total_completion_tokens": totals.get("completion_tokens"), "total_steps": number}
    extra = _present({"end_reason": info.end_reason, "ended_normally": info.ended_normally,
                      "final_diff": info.final_diff or None, "error": info.error})
    yield (f"\n], \"final_metrics\": {dump(_present(metrics))}"
           + (f", \"extra\": {dump(extra)}" if extra else "") + "}\n")


def token_totals(usages: Iterable[dict[str, Any]]) -> dict[str, int]:
    """Prompt and completion tokens summed over the turns' usage, each only when some turn recorded
    it (nano-tui's sidecar does; nano-agent's logs do not)."""
    totals: dict[str, int] = {}
    for usage in usages:
        for key in ("prompt_tokens", "completion_tokens"):
            if isinstance(usage.get(key), int):
                totals[key] = totals.get(key, 0) + usage[key]
    return totals


def agent_version(source: str | None) -> str:
    """The version of the agent that wrote a log from ``source``."""
    # nano-agent's logs do not say which release wrote them
    return installed_version() if source in ("nano-tui", "live") else "unknown"


def _steps(turn: Turn, system_prompt: str, task: str) -> Iterator[dict[str, Any]]:
    if turn.index == 0:
        yield {"source": "system", "message": system_prompt}
        yield {"source": "user", "message": task}
        return
    calls = [_call(call, turn.index, number) for number, call in enumerate(turn.tool_calls)]
    step: dict[str, Any] = {"source": "agent", "message": turn.text,
                            "reasoning_content": "\n\n".join(turn.thinking) or None,
                            "tool_calls": calls or None}
    results = [{"source_call_id": made["tool_call_id"], "content": call.result}
               for call, made in zip(turn.tool_calls, calls, strict=True) if call.result is not None]
    if results:
        step["observation"] = {"results": results}
    metrics = _present({"prompt_tokens": turn.usage.get("prompt_tokens"),
                        "completion_tokens": turn.usage.get("completion_tokens")})
    if metrics:
        step["metrics"] = metrics
    if turn.error:
        step["extra"] = {"error": turn.error}
    yield _present(step)
    for nudge in turn.nudges:
        yield {"source": "user", "message": nudge}


def _call(call: ToolCall, turn: int, number: int) -> dict[str, Any]:
    """ATIF wants an object of arguments and an id: arguments that are not an object go in as ``{}``
    with the raw text kept; a call without an id gets one, said so."""
    made: dict[str, Any] = {"tool_call_id": call.call_id or f"turn-{turn}-call-{number + 1}",
                            "function_name": call.name, "arguments": call.arguments or {}}
    extra = _present({"raw_arguments": call.arguments_raw if call.arguments is None else None,
                      "id_made_by_export": True if call.call_id is None else None})
    if extra:
        made["extra"] = extra
    return made


def _present(values: dict[str, Any]) -> dict[str, Any]:
    """``values`` without what the log did not have (ATIF leaves such fields out)."""
    return {key: value for key, value in values.items() if value is not None}
