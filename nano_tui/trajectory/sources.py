"""Where a trajectory's messages come from: a ``messages.jsonl`` read lazily, or a list in memory.

The file source indexes line offsets as far as it has been asked to — the first turn of a 30 MB log
costs what it costs in a 10-turn one — and parses a turn's lines only when that turn is wanted. A
line's role is read from its bytes without parsing: ``"role"`` with unescaped quotes can only be JSON
structure, and the last one is the top-level key in nano's sorted-key lines. A line where that
reading gives no known role is parsed at once.
"""

from __future__ import annotations

import json
import mmap
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from nano_tui.trajectory.grouping import TurnIndex
from nano_tui.trajectory.model import LogError, SkippedLine

_ROLE_VALUE = re.compile(rb'\s*:\s*"([^"\\]*)"')
#: Roles read from a line's bytes without parsing it; anything else makes the line parse at once.
_ROLES = {b"system", b"user", b"assistant", b"tool"}

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
    """``messages.jsonl`` indexed incrementally through a memory map; a torn last line is read again
    once it is complete."""

    def __init__(self, path: Path, index: TurnIndex) -> None:
        self.path = path
        self.index = index
        self.spans: list[tuple[int, int]] = []
        self.skipped: dict[int, SkippedLine] = {}
        self._early: dict[int, dict[str, Any] | str] = {}
        self._map: mmap.mmap | bytes = b""
        self._consumed = 0
        self._tail = False
        self._eof = False
        self._remap()

    def _remap(self) -> None:
        try:
            with self.path.open("rb") as file:
                size = os.fstat(file.fileno()).st_size
                if size > len(self._map):
                    self._map = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) if size else b""
        except (OSError, ValueError) as error:
            raise LogError(f"cannot read {self.path}: {getattr(error, 'strerror', None) or error}") from error

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

    def _scan(self, done: Callable[[], bool]) -> None:
        if self._eof or done():
            return
        self._check_not_shrunk()
        data = self._map
        size = len(data)
        while not self._eof and not done():
            newline = data.find(b"\n", self._consumed)
            if newline < 0:
                if data[self._consumed:size].strip():
                    self._add_line(self._consumed, size)
                    self._tail = True
                self._eof = True
                return
            self._add_line(self._consumed, newline)
            self._consumed = newline + 1

    def _add_line(self, start: int, end: int) -> None:
        data = self._map
        line = len(self.spans)
        self.spans.append((start, end))
        last = data.rfind(b'"role"', start, end)
        match = _ROLE_VALUE.match(data, last + 6, end) if last >= 0 else None
        role = match.group(1) if match else None
        if role in _ROLES:
            self.index.add(line, role.decode())
            return
        parsed = parse_line(data[start:end])
        self._early[line] = parsed
        role = parsed.get("role") if isinstance(parsed, dict) else None
        self.index.add(line, role if isinstance(role, str) else None)

    def entries(self, lines: range) -> Entries:
        """Parse ``lines`` — in one ``json.loads`` when every line looks like an object, else one by one."""
        self._check_not_shrunk()
        raws = [(line, self._map[slice(*self.spans[line])]) for line in lines]
        raws = [(line, raw) for line, raw in raws if raw and not raw.isspace()]
        if all(raw[:1] == b"{" and raw.endswith((b"}", b"}\r")) and line not in self._early
               for line, raw in raws):
            try:
                batch = json.loads(b"[" + b",".join(raw for _, raw in raws) + b"]")
            except (ValueError, RecursionError):
                batch = None
            if batch is not None and len(batch) == len(raws) and all(isinstance(m, dict) for m in batch):
                return [(line, message) for (line, _), message in zip(raws, batch, strict=True)]
        entries: Entries = []
        for line, raw in raws:
            parsed = self._early.pop(line, None) or parse_line(raw)
            if isinstance(parsed, dict):
                entries.append((line, parsed))
            else:
                torn = self._tail and line == len(self.spans) - 1
                self.skipped[line] = SkippedLine(line + 1, "torn last line" if torn else parsed)
        return entries
