"""JSON from logs and models, read and written without recursion errors or invalid output.

A value in a log or a model's tool arguments may be nested thousands of levels deep or hold ``NaN``
and ``1e999``. Python's ``json`` reads about a thousand levels, then raises ``RecursionError``; what
is recursive downstream (``copy.deepcopy``, ``dataclasses.asdict``, pretty-printing) fails sooner,
and ``json.dumps`` writes ``NaN``, which is not JSON. So every value read from outside goes through
:func:`parse`, which reads any depth and cuts containers below :data:`MAX_DEPTH` levels to a marker,
and every value written goes through :func:`dump`, which never raises and writes only valid JSON.
"""

from __future__ import annotations

import functools
import json
import math
import re
from json.decoder import scanstring
from typing import Any

from nano_tui.safe_text import json_text

#: Containers nested deeper than this are replaced by :data:`CUT` (real logs stay under 20).
MAX_DEPTH = 100
CUT = f"… nested deeper than {MAX_DEPTH} levels: cut here …"

#: A token of the deep reader, compiled on first use through ``re``'s cache (0.4 ms at every start, for
#: logs that almost never need it).
_TOKEN = (
    r"[ \t\n\r]*(?:([\[\]{}:,])|(\")|(-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?)"
    r"|(true|false|null|NaN|Infinity|-Infinity))"
)
_LITERALS = {"true": True, "false": False, "null": None, "NaN": math.nan,
             "Infinity": math.inf, "-Infinity": -math.inf}
_END = r"[ \t\n\r]*"


def parse(data: str | bytes) -> Any:
    """``json.loads(data)``, at any depth, with containers below :data:`MAX_DEPTH` cut. Raises
    ``ValueError`` (``UnicodeDecodeError`` for bytes that are not UTF-8) when it is not JSON."""
    try:
        value = json.loads(data)
    except RecursionError:
        value = _parse_deep(data.decode("utf-8") if isinstance(data, bytes) else data)
    return bounded(value)


def bounded(value: Any) -> Any:
    """``value`` with containers below :data:`MAX_DEPTH` levels replaced by :data:`CUT`; ``value``
    itself when it is shallower, found by a walk over its containers only (a message has a handful)."""
    if type(value) is not dict and type(value) is not list:
        return value
    pending = [(value, 1)]
    pop, push = pending.pop, pending.append
    while pending:
        item, depth = pop()
        if depth > MAX_DEPTH:
            return _rebuild(value, finite=False)
        for child in item.values() if type(item) is dict else item:
            if type(child) is dict or type(child) is list:  # what JSON gives; faster than isinstance
                push((child, depth + 1))
    return value


def dump(value: Any, indent: int | None = None, sort_keys: bool = False) -> str:
    """``json.dumps(value, ensure_ascii=False)`` that always gives valid JSON, inert in a terminal:
    ``NaN`` and infinities become ``null``, containers below :data:`MAX_DEPTH` are cut, and the
    characters :func:`~nano_tui.safe_text.printable` spells out are ``\\u`` escapes."""
    try:
        text = _encoder(indent, sort_keys, allow_nan=False).encode(value)
    except (ValueError, RecursionError):
        text = _encoder(indent, sort_keys, allow_nan=True).encode(_rebuild(value, finite=True))
    return json_text(text)


@functools.cache
def _encoder(indent: int | None, sort_keys: bool, allow_nan: bool) -> json.JSONEncoder:
    """One encoder per set of options: ``json.dumps`` with options makes a new one each call, which
    is half the cost of a small value (10,000 lines of ``runs --json``)."""
    return json.JSONEncoder(ensure_ascii=False, indent=indent, sort_keys=sort_keys, allow_nan=allow_nan,
                            default=str)


def outline(value: Any, levels: int, margin: str = "") -> str:
    """:func:`dump` with the first ``levels`` levels of containers one item a line (``margin`` plus
    two spaces a level) and deeper ones on one line, so the text grows with the value, not with its
    depth times the indentation."""
    if levels <= 0 or not isinstance(value, (dict, list)) or not value:
        return dump(value)
    inner = margin + "  "
    if isinstance(value, dict):
        items = [f"{inner}{dump(str(key))}: {outline(item, levels - 1, inner)}"
                 for key, item in value.items()]
        return "{\n" + ",\n".join(items) + f"\n{margin}}}"
    items = [inner + outline(item, levels - 1, inner) for item in value]
    return "[\n" + ",\n".join(items) + f"\n{margin}]"


def _rebuild(value: Any, finite: bool) -> Any:
    """A copy of ``value`` built without recursion: containers below :data:`MAX_DEPTH` cut and, when
    ``finite``, non-finite floats as None."""
    root: list[Any] = [None]
    stack: list[tuple[Any, tuple[Any, Any], int]] = [(value, (root, 0), 1)]
    while stack:
        item, (container, place), depth = stack.pop()
        if isinstance(item, (dict, list, tuple)) and depth > MAX_DEPTH:
            copy: Any = CUT
        elif isinstance(item, dict):
            copy = dict.fromkeys(item)
            stack.extend((child, (copy, name), depth + 1) for name, child in item.items())
        elif isinstance(item, (list, tuple)):
            copy = [None] * len(item)
            stack.extend((child, (copy, index), depth + 1) for index, child in enumerate(item))
        elif finite and isinstance(item, float) and not math.isfinite(item):
            copy = None
        else:
            copy = item
        container[place] = copy
    return root[0]


def _parse_deep(text: str) -> Any:
    """JSON too deep for ``json.loads``, read with a stack of open containers instead of recursion."""
    stack: list[tuple[dict[str, Any] | list[Any], str | None]] = []
    position, length = 0, len(text)
    result: Any = None
    done = False
    expect_key = False
    token = re.compile(_TOKEN).match
    while True:
        match = token(text, position)
        if match is None or done:
            break
        position = match.end()
        punctuation = match.group(1)
        if expect_key:
            if match.group(2):
                key, position = scanstring(text, position)
                colon = token(text, position)
                if colon is None or colon.group(1) != ":":
                    raise ValueError(f"expected ':' at character {position}")
                position = colon.end()
                container, _ = stack[-1]
                stack[-1] = (container, key)
                expect_key = False
                continue
            if punctuation == "}" and not stack[-1][0]:
                value: Any = stack.pop()[0]
            else:
                raise ValueError(f"expected a key at character {match.start()}")
        elif punctuation in ("[", "{"):
            stack.append(([] if punctuation == "[" else {}, None))
            expect_key = punctuation == "{"
            continue
        elif punctuation == "]" and stack and isinstance(stack[-1][0], list) and not stack[-1][0]:
            value = stack.pop()[0]
        elif match.group(2):
            value, position = scanstring(text, position)
        elif match.group(3):
            number = match.group(3)
            value = float(number) if match.group(4) or match.group(5) else int(number)
        elif match.group(6):
            value = _LITERALS[match.group(6)]
        else:
            raise ValueError(f"unexpected {punctuation!r} at character {match.start()}")
        # a value is complete: put it in its container, then read what follows it
        while True:
            if not stack:
                result, done = value, True
                break
            container, key = stack[-1]
            if isinstance(container, list):
                container.append(value)
            else:
                container[key] = value  # type: ignore[index]
            after = token(text, position)
            mark = after.group(1) if after else None
            if mark == ",":
                position = after.end()  # type: ignore[union-attr]
                expect_key = isinstance(container, dict)
                break
            if mark == ("]" if isinstance(container, list) else "}"):
                position = after.end()  # type: ignore[union-attr]
                value = stack.pop()[0]
                continue
            raise ValueError(f"expected ',' or a closing bracket at character {position}")
    if not done or re.compile(_END).match(text, position).end() != length:  # type: ignore[union-attr]
        raise ValueError(f"not one JSON value (stopped at character {position})")
    return result


#: Compiled on first use, through ``re``'s cache (0.2 ms that only a live run needs).
_SURROGATE = "[\ud800-\udfff]"


def utf8(value: Any) -> Any:
    """``value`` with every lone surrogate in its strings replaced by U+FFFD: such a string (a model
    can send ``"\\ud800"``, a command line can hold undecodable bytes) cannot be sent as UTF-8, to a
    provider or to a shell. ``value`` itself when it has none."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    if re.search(_SURROGATE, text) is None:
        return value
    return json.loads(re.sub(_SURROGATE, "\ufffd", text))
