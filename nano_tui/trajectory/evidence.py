"""What nano-tui's sidecar and nano's ``tool_log.jsonl`` add to the messages.

The messages say what the model saw; these files say what happened: tool status and duration, each
patch's own diff, turn timing and usage, how the run ended. Sidecar records are ``events.to_record``
output, one per line. When both sources speak, the sidecar wins.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

from nano_tui import contract

#: Numbers a record may carry: times and durations in seconds, counts. A value that is not a finite
#: number in range (``NaN``, ``1e300``, ``-1``, ``true``) is dropped where the record is read, so
#: nothing downstream formats or converts a number it cannot.
_SECONDS = frozenset({"time", "duration", "paused", "wait"})
_COUNTS = frozenset({"turn", "attempt", "index", "context_tokens", "printed_bytes"})
MAX_SECONDS = 1e11
MAX_COUNT = 10**15


def plausible(value: Any, seconds: bool) -> bool:
    """Whether ``value`` is a number a record may hold: seconds (finite, 0 to :data:`MAX_SECONDS`) or
    a count (an integer, 0 to :data:`MAX_COUNT`)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    if seconds:
        return math.isfinite(value) and 0 <= value <= MAX_SECONDS
    return isinstance(value, int) and 0 <= value <= MAX_COUNT


def checked(record: dict[str, Any]) -> dict[str, Any]:
    """``record`` without the numbers it cannot hold (see :func:`plausible`), token counts included."""
    bad = [key for key in _SECONDS | _COUNTS
           if key in record and not plausible(record[key], key in _SECONDS)]
    usage = record.get("usage")
    if not bad and not isinstance(usage, dict):
        return record
    record = {key: value for key, value in record.items() if key not in bad}
    if isinstance(usage, dict):
        record["usage"] = {key: value for key, value in usage.items() if plausible(value, seconds=False)}
    return record


class Evidence:
    """Records indexed for the turn builder; fed whole (loading) or one by one (live)."""

    def __init__(self) -> None:
        self.run_started: dict[str, Any] | None = None
        self.run_ended: dict[str, Any] | None = None
        self._tool_finished: dict[tuple[int | None, str], dict[str, Any]] = {}
        self._tool_started: dict[tuple[int | None, str], dict[str, Any]] = {}
        self._patches: dict[tuple[int | None, str], list[str]] = defaultdict(list)
        self._turn_ended: dict[int, dict[str, Any]] = {}
        self._retries: dict[int, list[dict[str, Any]]] = defaultdict(list)
        self._tool_log: dict[str, list[dict[str, Any]]] = defaultdict(list)
        #: Seconds paused in step mode, in all, and the last conversation size the loop reported.
        self.paused = 0.0
        self.context_tokens: int | None = None

    def add_record(self, record: dict[str, Any]) -> int | None:
        """Index one sidecar record; return the turn it concerns (None: the run as a whole)."""
        record = checked(record)
        kind = record.get("event")
        turn = record.get("turn") if isinstance(record.get("turn"), int) else None
        call_id = record.get("call_id")
        if kind == contract.RUN_STARTED:
            self.run_started = record
        elif kind == contract.RUN_ENDED:
            self.run_ended = record
        elif kind == contract.TURN_ENDED and turn is not None:
            self._turn_ended[turn] = record
            if isinstance(record.get("context_tokens"), int):
                self.context_tokens = record["context_tokens"]
        elif kind == contract.RESUMED and isinstance(record.get("paused"), int | float):
            self.paused += float(record["paused"])
        elif kind == contract.RETRYING and turn is not None:
            self._retries[turn].append(record)
        elif isinstance(call_id, str):
            if kind == contract.TOOL_FINISHED:
                self._tool_finished[(turn, call_id)] = record
                self._tool_finished.setdefault((None, call_id), record)
            elif kind == contract.TOOL_STARTED:
                self._tool_started[(turn, call_id)] = record
                self._tool_started.setdefault((None, call_id), record)
            elif kind == contract.PATCH_APPLIED and isinstance(record.get("diff"), str):
                self._patches[(turn, call_id)].append(record["diff"])
                if turn is not None:
                    self._patches[(None, call_id)].append(record["diff"])
        return turn

    def add_tool_log(self, entry: dict[str, Any]) -> None:
        entry = checked(entry)
        call_id = entry.get("tool_call_id")
        self._tool_log[call_id if isinstance(call_id, str) else ""].append(entry)

    @property
    def has_tool_log(self) -> bool:
        return bool(self._tool_log)

    @property
    def has_records(self) -> bool:
        return bool(self.run_started or self.run_ended or self._tool_finished or self._tool_started
                    or self._turn_ended or self._patches or self._retries)

    def tool_finished(self, turn: int, call_id: str | None) -> dict[str, Any] | None:
        if call_id is None:
            return None
        return self._tool_finished.get((turn, call_id)) or self._tool_finished.get((None, call_id))

    def tool_started(self, turn: int, call_id: str | None) -> dict[str, Any] | None:
        if call_id is None:
            return None
        return self._tool_started.get((turn, call_id)) or self._tool_started.get((None, call_id))

    def patch_diffs(self, turn: int, call_id: str | None) -> list[str] | None:
        if call_id is None:
            return None
        return self._patches.get((turn, call_id)) or self._patches.get((None, call_id))

    def turn_ended(self, turn: int) -> dict[str, Any] | None:
        return self._turn_ended.get(turn)

    def retries(self, turn: int) -> list[dict[str, Any]]:
        return self._retries.get(turn, [])

    def tool_log(self, call_id: str | None, result: str | None) -> dict[str, Any] | None:
        """The ``tool_log.jsonl`` entry of a call; with repeated ids, the one whose output matches."""
        entries = self._tool_log.get(call_id or "")
        if not entries:
            return None
        if len(entries) > 1 and result is not None:
            for entry in entries:
                output = entry.get("output")
                if isinstance(output, str) and output and output in result:
                    return entry
        return entries[0]
