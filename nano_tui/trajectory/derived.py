"""Model fields computed from the object's other fields on first read, so loading stays cheap.

Parsing a call's arguments, splitting a tool result into output and notes, rebuilding a patch's diff
and separating thinking from text are most of the work of building a turn, and most turns are never
looked at that closely. The turn builder defers such fields; the first read computes them (with the
other fields of the same group) and keeps the value. A value assigned or passed to the constructor is
kept as it is, so live code and tests build these classes as plain dataclasses, and
``dataclasses.asdict``, ``replace`` and ``==`` read every field as usual.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

from nano_tui import bounded_json
from nano_tui.trajectory.patches import rebuild_patch_diff
from nano_tui.trajectory.results import read_result
from nano_tui.trajectory.thinking import split_thinking

T = TypeVar("T")


class _OnRead:
    """Computes a deferred field, with the rest of its group, the first time it is read.

    A non-data descriptor: once the instance holds a value, plain attribute lookup finds it first,
    so reading a computed or assigned field costs what reading any attribute costs."""

    def __init__(self, name: str, derive: Callable[[Any], dict[str, Any]]) -> None:
        self._name = name
        self._derive = derive

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            return self
        values = obj.__dict__
        for name, value in self._derive(obj).items():
            values.setdefault(name, value)
        return values[self._name]


def derived_on_read(**derive: Callable[[Any], dict[str, Any]]) -> Callable[[type[T]], type[T]]:
    """Class decorator, after ``@dataclass``: the named fields may be deferred (see :func:`defer`)
    and are then computed by their function, which returns the values of the fields it fills."""

    def install(cls: type[T]) -> type[T]:
        for name, function in derive.items():
            setattr(cls, name, _OnRead(name, function))
        return cls

    return install


def defer(obj: Any, names: tuple[str, ...]) -> None:
    """Leave the named derived fields of ``obj`` to be computed on first read."""
    values = obj.__dict__
    for name in names:
        values.pop(name, None)


def parse_arguments(raw: Any) -> tuple[str, dict[str, Any] | None, str | None]:
    """A call's ``function.arguments`` as (raw text, parsed object or None, parse error or None)."""
    if isinstance(raw, dict):
        return json.dumps(raw, ensure_ascii=False), raw, None
    if not isinstance(raw, str):
        raw = "" if raw is None else json.dumps(raw, ensure_ascii=False)
    try:
        parsed = bounded_json.parse(raw)
    except ValueError as error:
        return raw, None, str(error)
    if not isinstance(parsed, dict):
        return raw, None, "arguments are not a JSON object"
    return raw, parsed, None


def call_arguments(call: Any) -> dict[str, Any]:
    _, arguments, error = parse_arguments(call.arguments_raw)
    return {"arguments": arguments, "parse_error": error}


def call_reading(call: Any) -> dict[str, Any]:
    reading = read_result(call.result or "")
    return {"output": reading.output, "warning": reading.warning, "truncated": reading.truncated,
            "status": reading.status}


def call_diff(call: Any) -> dict[str, Any]:
    """Rebuilt from search/replace, for an ``apply_patch`` call that worked."""
    diff = ""
    if call.status == "ok" and call.patch is not None:
        diff = rebuild_patch_diff(call.patch)
    return {"diff": diff, "diff_approximate": bool(diff)}


def turn_thinking(turn: Any) -> dict[str, Any]:
    head = next((m for m in turn.messages if m.get("role") == "assistant"), {})
    thinking, text = split_thinking(head)
    return {"thinking": thinking, "text": text}


def turn_diff(turn: Any) -> dict[str, Any]:
    return {"diff": "".join(call.diff for call in turn.tool_calls)}
