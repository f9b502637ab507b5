"""Where a trajectory's messages come from: a ``messages.jsonl`` read lazily, or a list in memory.

The file source indexes line offsets as far as it has been asked to — the first turn of a 30 MB log
costs what it costs in a 10-turn one — and parses a turn's lines only when that turn is wanted. A
line's role is read from its bytes without parsing (``"role": "…"`` can only occur unescaped as JSON
structure); when that is ambiguous the line is parsed.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from nano_tui.trajectory.grouping import TurnIndex
from nano_tui.trajectory.model import LogError, SkippedLine

_ROLE_VALUE = re.compile(rb'\s*:\s*"([^"\\]*)"')
_CHUNK = 1 << 16

Entries = list[tuple[int, dict[str, Any]]]


def parse_line(data: bytes) -> dict[str, Any] | str:
    """The message on one line, or why it cannot be loaded."""
    try:
        value = json.loads(data)
    except UnicodeDecodeError:
        try:
            value = json.loads(data.decode("utf-8", "replace"))
        except (ValueError, RecursionError) as error:
            return f"not JSON ({error})"
    except (ValueError, RecursionError) as error:
        return f"not JSON ({error})"
    if not isinstance(value, dict):
        return "not a JSON object"
    return value


class MessageList:
    """Messages held in memory: a live run, or a format read whole (mini-swe-agent)."""

    def __init__(self, index: TurnIndex) -> None:
        self.index = index
        self.messages: dict[int, dict[str, Any]] = {}
        self.skipped: dict[int, SkippedLine] = {}

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

    def entries(self, lines: range) -> Entries:
        return [(i, self.messages[i]) for i in lines if i in self.messages]

    def refresh(self) -> None:
        """Live messages arrive through :meth:`add`."""


class LogFile:
    """``messages.jsonl`` indexed incrementally; a torn last line is re-read once it is complete."""

    def __init__(self, path: Path, index: TurnIndex) -> None:
        self.path = path
        self.index = index
        self.spans: list[tuple[int, int]] = []
        self.skipped: dict[int, SkippedLine] = {}
        self._early: dict[int, dict[str, Any] | str] = {}
        self._consumed = 0
        self._tail = False
        self._eof = False

    def ensure_turn(self, turn: int) -> None:
        """Index until ``turn`` is complete (the next one has started) or the file ends."""
        self._scan(lambda: len(self.index) > turn + 1)

    def ensure_all(self) -> None:
        self._scan(lambda: False)

    def refresh(self) -> None:
        """Pick up lines appended since the end was reached."""
        if self._tail:
            line = len(self.spans) - 1
            self.spans.pop()
            self.skipped.pop(line, None)
            self._early.pop(line, None)
            self.index.truncate(line)
            self._tail = False
        self._eof = False
        self.ensure_all()

    def _scan(self, done: Any) -> None:
        if self._eof or done():
            return
        try:
            with self.path.open("rb") as file:
                file.seek(self._consumed)
                buffer = b""
                while not done():
                    chunk = file.read(max(_CHUNK, len(buffer)))
                    if not chunk:
                        if buffer.strip():
                            self._add_line(buffer, 0, len(buffer), self._consumed)
                            self._tail = True
                        self._eof = True
                        return
                    buffer += chunk
                    position = 0
                    while (newline := buffer.find(b"\n", position)) >= 0:
                        self._add_line(buffer, position, newline, self._consumed)
                        position = newline + 1
                    self._consumed += position
                    buffer = buffer[position:]
        except OSError as error:
            raise LogError(f"cannot read {self.path}: {error.strerror or error}") from error

    def _add_line(self, buffer: bytes, start: int, end: int, base: int) -> None:
        line = len(self.spans)
        self.spans.append((base + start, base + end))
        first = buffer.find(b'"role"', start, end)
        if first < 0:
            self.index.add(line, None)
            return
        match = _ROLE_VALUE.match(buffer, first + 6, end)
        if match and buffer.find(b'"role"', first + 6, end) < 0:
            self.index.add(line, match.group(1).decode("utf-8", "replace"))
            return
        parsed = parse_line(buffer[start:end])
        self._early[line] = parsed
        role = parsed.get("role") if isinstance(parsed, dict) else None
        self.index.add(line, role if isinstance(role, str) else None)

    def entries(self, lines: range) -> Entries:
        if not lines:
            return []
        first, last = self.spans[lines[0]][0], self.spans[lines[-1]][1]
        try:
            with self.path.open("rb") as file:
                file.seek(first)
                data = file.read(last - first)
        except OSError as error:
            raise LogError(f"cannot read {self.path}: {error.strerror or error}") from error
        entries: Entries = []
        for line in lines:
            start, end = self.spans[line]
            raw = data[start - first:end - first]
            if not raw.strip():
                continue
            parsed = self._early.pop(line, None) or parse_line(raw)
            if isinstance(parsed, dict):
                entries.append((line, parsed))
            else:
                torn = self._tail and line == len(self.spans) - 1
                self.skipped[line] = SkippedLine(line + 1, "torn last line" if torn else parsed)
        return entries
