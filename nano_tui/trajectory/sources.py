"""Where a trajectory's messages come from: a ``messages.jsonl`` read lazily, or a list in memory.

The file source indexes line offsets as far as it has been asked to — the first turn of a 30 MB log
costs what it costs in a 10-turn one — and parses a turn's lines only when that turn is wanted. A
line's role is read from its bytes without parsing: ``"role"`` with unescaped quotes can only be JSON
structure, and in nano's sorted-key lines the last one is the top-level key; that it is, and not a
nested object's, is checked by reading what follows it (the keys after ``role``: a tool call id, the
tool calls). A line where that reading gives no known role is parsed at once.
"""

from __future__ import annotations

import json
import mmap
import os
import re
from pathlib import Path
from typing import Any

from nano_tui import bounded_json
from nano_tui.trajectory.files import Unreadable, open_regular
from nano_tui.trajectory.grouping import TurnIndex
from nano_tui.trajectory.model import LogError, SkippedLine

_ROLE_VALUE = re.compile(rb'\s*:\s*"([^"\\]*)"')
#: Roles read from a line's bytes without parsing it; anything else makes the line parse at once.
_ROLES = {b"system": "system", b"user": "user", b"assistant": "assistant", b"tool": "tool"}

Entries = list[tuple[int, dict[str, Any]]]
_scan_once = json.JSONDecoder().scan_once
_JSON_SPACE = " \t\r"
_JSON_BYTES_SPACE = b" \t\r"


def invalid_utf8(data: bytes) -> str | None:
    """Why ``data`` is not UTF-8 (its bytes then load with U+FFFD in their place), or None."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        return f"invalid UTF-8 at byte {error.start + 1}: loaded with \ufffd in place of the bad bytes"
    return None


def parse_line(data: bytes) -> dict[str, Any] | str:
    """The message on one line, or why it cannot be loaded."""
    try:
        value = bounded_json.parse(data)
    except UnicodeDecodeError:
        try:
            value = bounded_json.parse(data.decode("utf-8", "replace"))
        except ValueError as error:
            return f"not JSON ({error})"
    except ValueError as error:
        return f"not JSON ({error})"
    if not isinstance(value, dict):
        return "not a JSON object"
    return value


def _ends_line(data: bytes | mmap.mmap, position: int, end: int) -> bool:
    """Whether the object a role value sits in is the line's own, not a nested one
    (``{"role": "user", "x": {"role": "assistant"}}``): what follows the value closes one object and
    nothing more. That is ``}`` alone, or ``, <members>}`` read as one object; a rest that opens no
    bracket, as a tool result's ``, "tool_call_id": "…"}``, needs no reading: it closes one."""
    rest = data[position:end]
    if b"{" not in rest and b"[" not in rest:
        return rest.count(b"}") + rest.count(b"]") == 1
    rest = rest.strip(_JSON_BYTES_SPACE)
    if not rest.startswith(b","):
        return False
    try:
        text = "{" + rest[1:].decode("utf-8")
        members, stop = _scan_once(text, 0)
    except (StopIteration, ValueError, RecursionError):
        return False
    return isinstance(members, dict) and stop == len(text)


class MessageList:
    """Messages held in memory: a live run, or a format read whole (mini-swe-agent)."""

    def __init__(self, index: TurnIndex) -> None:
        self.index = index
        self.messages: dict[int, dict[str, Any]] = {}
        self.skipped: dict[int, SkippedLine] = {}
        self.damaged: dict[int, SkippedLine] = {}

    def add(self, line: int, message: Any) -> None:
        if not isinstance(message, dict):
            self.skipped[line] = SkippedLine(line + 1, "not a JSON object")
            self.index.add(line, None)
            return
        self.messages[line] = message
        if line >= self.index.lines:
            role = message.get("role")
            self.index.add(line, role if isinstance(role, str) else None)

    def ensure_turn(self, turn: int) -> None:
        """Everything is indexed already."""

    def ensure_all(self) -> None:
        """Everything is indexed already."""

    @property
    def indexed(self) -> bool:
        return True

    def entries(self, lines: range) -> Entries:
        return [(i, self.messages[i]) for i in lines if i in self.messages]

    def refresh(self) -> None:
        """Live messages arrive through :meth:`add`."""


class LogFile:
    """``messages.jsonl`` indexed incrementally through a memory map; a torn last line is read again
    once it is complete."""

    def __init__(self, path: Path, index: TurnIndex) -> None:
        self.path = path
        self.index = index
        self.spans: list[tuple[int, int]] = []
        self.skipped: dict[int, SkippedLine] = {}
        #: Lines that loaded only with their invalid UTF-8 bytes replaced.
        self.damaged: dict[int, SkippedLine] = {}
        self._early: dict[int, dict[str, Any] | str] = {}
        self._map: mmap.mmap | bytes = b""
        self._consumed = 0
        self._tail = False
        self._eof = False
        self._remap()

    def _remap(self) -> None:
        try:
            descriptor = open_regular(self.path)
            try:
                size = os.fstat(descriptor).st_size
                if size > len(self._map):
                    self._map = mmap.mmap(descriptor, 0, access=mmap.ACCESS_READ) if size else b""
            finally:
                os.close(descriptor)
        except (OSError, ValueError, Unreadable) as error:
            raise LogError(f"cannot read {self.path}: {getattr(error, 'strerror', None) or error}") from error

    def ensure_turn(self, turn: int) -> None:
        """Index until ``turn`` is complete (the next one has started) or the file ends."""
        self._scan(turn + 2)

    def ensure_all(self) -> None:
        self._scan(None)
        self.release()

    @property
    def indexed(self) -> bool:
        """Whether the scan has reached the end of the file (as it was when mapped)."""
        return self._eof

    def release(self) -> None:
        """Let go of the file's pages read so far: they stay in the system's cache, so reading them
        again costs little, but they no longer count in nano-tui's memory (a 30 MB log indexed or
        scanned whole would otherwise add 30 MB to it for as long as it is open)."""
        if isinstance(self._map, mmap.mmap) and hasattr(mmap, "MADV_DONTNEED"):
            self._map.madvise(mmap.MADV_DONTNEED)

    def refresh(self) -> None:
        """Pick up lines appended since the end was reached."""
        if self._tail:
            line = len(self.spans) - 1
            self.spans.pop()
            self.skipped.pop(line, None)
            self.damaged.pop(line, None)
            self._early.pop(line, None)
            self.index.truncate(line)
            self._tail = False
        self._eof = False
        self._remap()
        self.ensure_all()

    def _check_not_shrunk(self) -> None:
        """Reading a mapped page past a file's new end kills the process: refuse instead."""
        try:
            size = os.stat(self.path).st_size
        except OSError as error:
            raise LogError(f"cannot read {self.path}: {error.strerror or error}") from error
        if size < len(self._map):
            raise LogError(f"{self.path} was cut shorter while it was open; open it again")

    def _scan(self, turns: int | None) -> None:
        """Index lines until ``turns`` turns have started (None: to the end of the file)."""
        index = self.index
        if self._eof or (turns is not None and len(index) >= turns):
            return
        self._check_not_shrunk()
        data = self._map
        find, rfind, role_value, spans = data.find, data.rfind, _ROLE_VALUE.match, self.spans
        start = self._consumed
        while turns is None or len(index) < turns:
            end = find(b"\n", start)
            if end < 0:
                if data[start:].strip():
                    self._add_line(start, len(data))
                    self._tail = True
                self._eof = True
                break
            last = rfind(b'"role"', start, end)
            match = role_value(data, last + 6, end) if last >= 0 else None
            role = _ROLES.get(match.group(1)) if match and _ends_line(data, match.end(), end) else None
            if role is None:
                self._add_line(start, end)
            else:
                index.add(len(spans), role)
                spans.append((start, end))
            start = end + 1
        self._consumed = start

    def _add_line(self, start: int, end: int) -> None:
        """A line whose role the bytes do not tell (or the last line, maybe torn): parsed now."""
        line = len(self.spans)
        self.spans.append((start, end))
        parsed = self._parse(line, self._map[start:end])
        self._early[line] = parsed
        role = parsed.get("role") if isinstance(parsed, dict) else None
        self.index.add(line, role if isinstance(role, str) else None)

    def entries(self, lines: range) -> Entries:
        """Parse ``lines``: decoded together and each scanned in place, the way ``json.loads`` would
        read it alone; a line that does not read as one object that way is parsed on its own."""
        self._check_not_shrunk()
        if not lines:
            return []
        first, last = self.spans[lines[0]][0], self.spans[lines[-1]][1]
        try:
            with memoryview(self._map) as view:
                text = str(view[first:last], "utf-8")
        except UnicodeDecodeError:
            text = ""
        entries: Entries = []
        position = 0
        for line in lines:
            end = text.find("\n", position) if line != lines[-1] else len(text)
            message = self._early.pop(line, None)
            if message is None and text:
                try:
                    message, stop = _scan_once(text, position)
                except (StopIteration, ValueError, RecursionError):
                    message = None
                else:
                    if not isinstance(message, dict) or (stop != end and text[stop:end].strip(_JSON_SPACE)):
                        message = None
                    else:
                        message = bounded_json.bounded(message)
            position = end + 1
            if not isinstance(message, dict):
                message = self._parse_alone(line)
            if isinstance(message, dict):
                entries.append((line, message))
        return entries

    def _parse_alone(self, line: int) -> dict[str, Any] | None:
        """One line's message; a line that is not one (blank lines aside) is recorded as skipped."""
        raw = self._map[slice(*self.spans[line])]
        if not raw or raw.isspace():
            return None
        parsed = self._parse(line, raw)
        if isinstance(parsed, dict):
            return parsed
        torn = self._tail and line == len(self.spans) - 1
        self.skipped[line] = SkippedLine(line + 1, "torn last line" if torn else parsed)
        return None

    def _parse(self, line: int, raw: bytes) -> dict[str, Any] | str:
        """:func:`parse_line`, noting a line that loads only with its invalid bytes replaced."""
        parsed = parse_line(raw)
        damage = invalid_utf8(raw) if isinstance(parsed, dict) else None
        if damage is not None:
            self.damaged[line] = SkippedLine(line + 1, damage)
        return parsed
