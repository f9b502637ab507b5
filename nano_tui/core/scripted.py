"""A scripted model: a litellm custom provider, ``scripted/<name>``, that replays bundled assistant turns.

It lets the demo and the tests run with no key and no network, through the very same loop, litellm
streaming path and log writer a real model uses. A script is ``nano_tui/demo/scripts/<name>.json``::

    {"turns": [{"thinking": "...", "text": "...",
                "tool_calls": [{"name": "shell", "arguments": {"cmd": "ls"}}]}, ...]}

The reply for a request is the turn numbered by how many assistant messages the request already holds,
so a run replays in order. Thinking streams as a leading ``<think>…</think>`` in the content, as
reasoning models served without a reasoning parser do. Pacing imitates a real model and is scaled by
:func:`set_speed` (or ``NANO_TUI_SCRIPTED_SPEED``); speed 0 means no pauses at all.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from collections.abc import Iterator
from functools import cache
from importlib import resources
from pathlib import Path
from types import ModuleType
from typing import Any

from litellm import CustomLLM
from litellm.types.utils import GenericStreamingChunk, Message, ModelResponse, Usage

PREFIX = "scripted/"
SPEED_VARIABLE = "NANO_TUI_SCRIPTED_SPEED"
FIRST_TOKEN_DELAY = 0.6
WORD_DELAY = 0.04
ARGUMENT_PIECE_DELAY = 0.015

_speed: float | None = None


def set_speed(speed: float) -> None:
    """Pacing multiplier for every scripted model in this process: 2 is twice as fast, 0 instant."""
    global _speed
    _speed = speed


def _delay(seconds: float) -> None:
    speed = _speed if _speed is not None else float(os.environ.get(SPEED_VARIABLE, "1"))
    if speed > 0:
        time.sleep(seconds / speed)


def scripts_dir() -> Path:
    return Path(str(resources.files("nano_tui.demo") / "scripts"))


def available_scripts() -> list[str]:
    return sorted(path.stem for path in scripts_dir().glob("*.json"))


@cache
def _script(name: str) -> dict[str, Any]:
    return json.loads((scripts_dir() / f"{name}.json").read_text(encoding="utf-8"))


def load_script(name: str) -> list[dict[str, Any]]:
    return _script(name)["turns"]


def script_captions(name: str) -> dict[int, str]:
    """What a teacher would say on each turn of the script (``demo --present`` shows them)."""
    return {int(turn): text for turn, text in _script(name).get("captions", {}).items()}


def _turn(model: str, messages: list[dict[str, Any]]) -> tuple[int, dict[str, Any]]:
    name = model.removeprefix(PREFIX)
    turns = load_script(name)
    index = sum(1 for message in messages if message.get("role") == "assistant")
    if index < len(turns):
        return index, turns[index]
    return index, {"text": "The script has no more turns; I am done."}


def _raw_content(turn: dict[str, Any]) -> str:
    """What a reasoning model served without a reasoning parser says: thinking in a leading think block."""
    thinking = f"<think>{turn['thinking']}</think>\n\n" if turn.get("thinking") else ""
    return thinking + (turn.get("text") or "")


def _call_id(model: str, turn: int, position: int) -> str:
    return "call_" + hashlib.sha256(f"{model}/{turn}/{position}".encode()).hexdigest()[:24]


def _arguments(call: dict[str, Any]) -> str:
    arguments = call.get("arguments", {})
    return arguments if isinstance(arguments, str) else json.dumps(arguments)


def _usage(messages: list[dict[str, Any]], turn: dict[str, Any]) -> dict[str, int]:
    prompt = sum(len(str(m.get("content") or "")) for m in messages) // 4 + 200
    completion = len(json.dumps(turn)) // 4
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


def _chunk(text: str = "", tool_use: dict[str, Any] | None = None, finish: str = "",
           usage: dict[str, int] | None = None) -> GenericStreamingChunk:
    return {"text": text, "tool_use": tool_use, "is_finished": bool(finish), "finish_reason": finish,
            "usage": usage, "index": 0}


class ScriptedLLM(CustomLLM):
    """Replays ``scripted/<name>``; see the module docstring."""

    def streaming(self, model: str, messages: list, *args: Any, **kwargs: Any
                  ) -> Iterator[GenericStreamingChunk]:
        index, turn = _turn(model, messages)
        _delay(FIRST_TOKEN_DELAY)
        thinking_ends = len(_raw_content({"thinking": turn.get("thinking")}))
        position = 0
        for piece in re.findall(r"</?think>|\s*[^\s<]+|\s*<|\s+", _raw_content(turn)):
            _delay(WORD_DELAY / 2 if position < thinking_ends else WORD_DELAY)
            position += len(piece)
            yield _chunk(piece)
        calls = turn.get("tool_calls") or []
        for position, call in enumerate(calls):
            yield _chunk(tool_use={"id": _call_id(model, index, position), "type": "function",
                                   "index": position, "function": {"name": call["name"], "arguments": ""}})
            raw = _arguments(call)
            for start in range(0, len(raw), 12):
                _delay(ARGUMENT_PIECE_DELAY)
                yield _chunk(tool_use={"id": None, "type": "function", "index": position,
                                       "function": {"name": None, "arguments": raw[start:start + 12]}})
        yield _chunk(finish="tool_calls" if calls else "stop", usage=_usage(messages, turn))

    def completion(self, model: str, messages: list, *args: Any, **kwargs: Any) -> ModelResponse:
        """The whole reply at once, split into reasoning and content as litellm splits a served model's."""
        from litellm.litellm_core_utils.prompt_templates.common_utils import _parse_content_for_reasoning

        index, turn = _turn(model, messages)
        _delay(FIRST_TOKEN_DELAY)
        reasoning, content = _parse_content_for_reasoning(_raw_content(turn))
        calls = [{"id": _call_id(model, index, position), "type": "function",
                  "function": {"name": call["name"], "arguments": _arguments(call)}}
                 for position, call in enumerate(turn.get("tool_calls") or [])]
        response = ModelResponse(model=model)
        response.choices[0].message = Message(content=content or None, tool_calls=calls or None,
                                              reasoning_content=reasoning)
        response.choices[0].finish_reason = "tool_calls" if calls else "stop"
        response.usage = Usage(**_usage(messages, turn))
        return response


def register(litellm: ModuleType) -> None:
    """Make ``scripted/<name>`` model strings resolve to :class:`ScriptedLLM`."""
    if not any(item.get("provider") == "scripted" for item in litellm.custom_provider_map):
        litellm.custom_provider_map = [*litellm.custom_provider_map,
                                       {"provider": "scripted", "custom_handler": ScriptedLLM()}]
    from litellm.utils import custom_llm_setup

    custom_llm_setup()
