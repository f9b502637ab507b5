"""A run as a sequence of turns, built on demand from a message source and its evidence."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from nano_tui import contract
from nano_tui.trajectory.evidence import Evidence
from nano_tui.trajectory.files import Unreadable, read_regular
from nano_tui.trajectory.grouping import Dialect, TurnIndex, build_turn
from nano_tui.trajectory.model import KNOWN_TOOLS, RunInfo, SkippedLine, Turn
from nano_tui.trajectory.notes import read_notes, save_notes
from nano_tui.trajectory.sources import LogFile, MessageList, parse_line
from nano_tui.trajectory.thinking import content_text

#: How many turns iteration parses at once, and how many lines the scan for unreadable ones.
READ_AHEAD = 64
SCAN_LINES = 256


class Trajectory:
    """Turns of one run. Loaded ones read their file lazily; live ones grow through
    :meth:`add_message` and :meth:`add_record` — the same grouping either way."""

    def __init__(
        self,
        info: RunInfo,
        source: LogFile | MessageList,
        evidence: Evidence | None = None,
        dialect: Dialect = "nano",
        sidecar: Path | None = None,
    ) -> None:
        self.info = info
        self._source = source
        self._index = source.index
        self._evidence = evidence or Evidence()
        self._dialect = dialect
        self._sidecar = sidecar
        self._sidecar_offset = 0
        self._turns: dict[int, Turn] = {}
        #: Messages parsed ahead of their turn (by :attr:`skipped`), keyed by the turn's line range.
        self._parsed: dict[tuple[int, int], list[tuple[int, dict[str, Any]]]] = {}
        #: Every line has been parsed once (a whole :meth:`stream`): the skipped ones are all known.
        self._all_read = False
        self._notes: dict[int, str] | None = None

    @property
    def notes(self) -> dict[int, str]:
        """The user's notes on turns (read when first asked for: listing runs never needs them)."""
        if self._notes is None:
            self._notes = read_notes(self.info.path) if self.info.path is not None else {}
        return self._notes

    def set_note(self, turn: int, text: str) -> Path:
        """Note ``text`` on ``turn`` (blank: delete its note) and save; where the notes went. Raises
        OSError when they could not be saved (the note is then not kept either)."""
        if self.info.path is None:
            raise OSError("the run has no folder yet")
        notes = dict(self.notes)
        if text.strip():
            notes[turn] = text.strip()
        else:
            notes.pop(turn, None)
        where = save_notes(self.info.path, notes)
        self._notes = notes
        return where

    def preset_notes(self, notes: dict[int, str]) -> None:
        """Notes known before a live run has a folder (the demo's captions); :meth:`keep_notes` saves
        them once it has one."""
        self._notes = dict(notes)

    def keep_notes(self) -> None:
        """Save the notes beside the run, now that it has a folder (a failure keeps them in memory)."""
        if self._notes and self.info.path is not None:
            with contextlib.suppress(OSError):
                save_notes(self.info.path, self._notes)

    @classmethod
    def live(cls, info: RunInfo) -> Trajectory:
        """An empty trajectory fed by a running loop."""
        return cls(info, MessageList(TurnIndex()))

    # -- reading -------------------------------------------------------------------------------

    def __len__(self) -> int:
        self._source.ensure_all()
        return len(self._index)

    @property
    def indexed(self) -> bool:
        """Whether every turn is known: ``len()`` no longer reads the log."""
        return self._source.indexed

    def whole_turns(self, turn: int) -> int:
        """How many turns are known whole once turn ``turn`` is: a screen lists these first and the
        rest after its first frame, rather than index a 30 MB log before showing anything."""
        self._source.ensure_turn(turn)
        return len(self._index) if self._source.indexed else len(self._index) - 1

    def has_turn(self, turn: int) -> bool:
        """Whether turn ``turn`` exists, reading no further into the log than it."""
        if self.indexed:
            return 0 <= turn < len(self)  # as a subclass counts them (a live run's draft turn)
        self._source.ensure_turn(turn)
        return 0 <= turn < len(self._index)

    def is_last(self, turn: int) -> bool:
        """Whether ``turn`` is the last turn, reading no further than the one after it."""
        if self.indexed:
            return turn == len(self) - 1
        self._source.ensure_turn(turn)
        return turn == len(self._index) - 1

    def __iter__(self) -> Iterator[Turn]:
        index = 0
        while True:
            self._source.ensure_turn(index)
            if index >= len(self._index):
                return
            lines = self._index.lines_of(index)
            if index not in self._turns and (lines.start, lines.stop) not in self._parsed:
                self._read_ahead(index)
            yield self.turn(index)
            index += 1

    def stream(self) -> Iterator[Turn]:
        """Every turn in order, like iteration, but without keeping them: exporting a 30 MB log holds
        one stretch of turns in memory at a time, not the whole run."""
        index = 0
        while True:
            self._source.ensure_turn(index)
            if index >= len(self._index):
                self._all_read = True
                return
            lines = self._index.lines_of(index)
            cached = self._turns.get(index)
            if cached is None and (lines.start, lines.stop) not in self._parsed:
                self._read_ahead(index)
            yield cached if cached is not None else self._build(index)
            index += 1

    def turn(self, index: int) -> Turn:
        """Turn ``index`` (0 = setup), parsed on first use and cached. IndexError past the end."""
        if index < 0:
            index += len(self)
        cached = self._turns.get(index)
        if cached is not None:
            return cached
        turn = self._turns[index] = self._build(index)
        return turn

    def _build(self, index: int) -> Turn:
        self._source.ensure_turn(index)
        if not 0 <= index < len(self._index):
            raise IndexError(f"turn {index} out of range")
        lines = self._index.lines_of(index)
        entries = self._parsed.pop((lines.start, lines.stop), None)
        if entries is None:
            entries = self._source.entries(lines)
        turn = build_turn(index, entries, self._evidence, self._dialect, self.offered_tools())
        ended = self._evidence.run_ended
        if ended and isinstance(ended.get("error"), str) and index == len(self._index) - 1:
            turn.error = ended["error"]
        return turn

    def _read_ahead(self, first: int) -> None:
        """Parse the lines of turns ``first`` … ``first + READ_AHEAD - 1`` in one go (kept for their
        turns): reading turn after turn then costs about what parsing the file costs."""
        self._source.ensure_turn(first + READ_AHEAD)
        turns = range(first, min(first + READ_AHEAD, len(self._index)))
        ranges = [self._index.lines_of(index) for index in turns]
        ranges = [lines for index, lines in zip(turns, ranges, strict=True)
                  if index not in self._turns and (lines.start, lines.stop) not in self._parsed]
        if not ranges:
            return
        entries = self._source.entries(range(ranges[0].start, ranges[-1].stop))
        position = 0
        for lines in ranges:
            while position < len(entries) and entries[position][0] < lines.start:
                position += 1
            end = position
            while end < len(entries) and entries[end][0] < lines.stop:
                end += 1
            self._parsed[(lines.start, lines.stop)] = entries[position:end]
            position = end

    def offered_tools(self) -> tuple[str, ...]:
        """The names of the tools the run offered (``tools.json``), nano's own where it does not say."""
        functions = [tool.get("function") for tool in self.info.tools]
        names = tuple(function["name"] for function in functions
                      if isinstance(function, dict) and isinstance(function.get("name"), str))
        return names or KNOWN_TOOLS

    @property
    def skipped(self) -> list[SkippedLine]:
        """Lines that could not be loaded. Parses every line once (keeping none of it)."""
        self._read_all()
        return sorted(self._source.skipped.values(), key=lambda s: s.line)

    @property
    def damaged(self) -> list[SkippedLine]:
        """Lines that loaded only with invalid UTF-8 bytes replaced (parses every line, as ``skipped``)."""
        self._read_all()
        return sorted(self._source.damaged.values(), key=lambda s: s.line)

    def _read_all(self) -> None:
        """Parse every line once, a stretch at a time, and keep nothing: which lines are unreadable is
        what this is for (a 30 MB log would otherwise stay in memory as parsed messages)."""
        if self._all_read:
            return
        self._source.ensure_all()
        lines = self._index.lines
        for first in range(0, lines, SCAN_LINES):
            self._source.entries(range(first, min(first + SCAN_LINES, lines)))
        if isinstance(self._source, LogFile):
            self._source.release()
        self._all_read = True

    def cumulative_diff(self, index: int) -> str:
        """Every change up to and including turn ``index``; the run's final diff on its last turn."""
        if index < 0:
            index += len(self)
        if self.info.final_diff and index >= len(self) - 1:
            return self.info.final_diff
        return "".join(self.turn(i).diff for i in range(1, index + 1))

    def cumulative_diff_approximate(self, index: int) -> bool:
        """Whether :meth:`cumulative_diff` at ``index`` holds hunks rebuilt from search/replace, whose
        line numbers are unknown (the final ``git diff`` is exact)."""
        if index < 0:
            index += len(self)
        if self.info.final_diff and index >= len(self) - 1:
            return False
        return any(call.diff_approximate for i in range(1, index + 1) for call in self.turn(i).tool_calls
                   if call.diff)

    # -- growing -------------------------------------------------------------------------------

    def refresh(self) -> int:
        """Re-read what was appended to the log (and its sidecar) since; return the number of turns."""
        before = len(self._index)
        self._all_read = False
        self._source.refresh()
        self.read_sidecar()
        for index in range(max(0, before - 1), len(self._index)):
            self._turns.pop(index, None)
        self._parsed.clear()
        return len(self._index)

    def add_message(self, index: int, message: dict[str, Any]) -> None:
        """Append one message (its 0-based line in ``messages.jsonl``), exactly as the loop logged it."""
        if not isinstance(self._source, MessageList):
            raise TypeError("add_message feeds live trajectories only")
        self._source.add(index, message)
        self._parsed.clear()
        self._all_read = False
        self._turns.pop(len(self._index) - 1, None)
        self._turns.pop(len(self._index) - 2, None)
        if len(self._index) == 1:
            self.fill_setup()

    def add_record(self, record: dict[str, Any]) -> None:
        """Take one sidecar record (``events.to_record`` output) into account."""
        if not isinstance(record, dict):
            return
        turn = self._evidence.add_record(record)
        kind = record.get("event")
        if kind in (contract.RUN_STARTED, contract.RUN_ENDED, contract.RESUMED, contract.TURN_ENDED):
            apply_run_records(self.info, self._evidence)
            self._turns.clear()
        if turn is not None:
            self._turns.pop(turn, None)

    def read_sidecar(self) -> None:
        """Read sidecar records appended since the last read (complete lines only)."""
        if self._sidecar is None:
            return
        try:
            data = read_regular(self._sidecar, self._sidecar_offset)
        except Unreadable as why:
            self.info.unread[self._sidecar.name] = str(why)
            return
        if data is None:
            return
        end = data.rfind(b"\n") + 1
        self._sidecar_offset += end
        for raw in data[:end].splitlines():
            record = parse_line(raw)
            if isinstance(record, dict):
                self.add_record(record)

    def fill_setup(self) -> None:
        """System prompt and task from turn 0, where the run info does not have them yet."""
        for message in self.turn(0).messages:
            role = message.get("role")
            if role == "system" and not self.info.system_prompt:
                self.info.system_prompt = content_text(message.get("content"))
            elif role == "user" and not self.info.task:
                self.info.task = content_text(message.get("content"))


def apply_run_records(info: RunInfo, evidence: Evidence) -> None:
    """What nano-tui's run_started / run_ended records say about the run as a whole."""
    started = evidence.run_started
    if started:
        info.source = "nano-tui" if info.source != "live" else info.source
        for key in ("model", "repo", "commit", "task"):
            if isinstance(started.get(key), str) and started[key]:
                setattr(info, key, started[key])
        for key in ("settings", "limits", "backend"):
            if isinstance(started.get(key), dict):
                getattr(info, key).update(started[key])
        if isinstance(info.settings.get("api_base"), str):
            info.api_base = info.settings["api_base"]
        if isinstance(started.get("time"), int | float):
            info.started_at = float(started["time"])
    info.paused = evidence.paused
    if evidence.context_tokens is not None:
        info.context_tokens = evidence.context_tokens
    ended = evidence.run_ended
    if ended:
        if isinstance(ended.get("time"), int | float):
            info.ended_at = float(ended["time"])
        if isinstance(ended.get("reason"), str):
            info.end_reason = ended["reason"]
            info.ended_normally = ended["reason"] != "error"
        if isinstance(ended.get("error"), str):
            info.error = ended["error"]
        if isinstance(ended.get("diff"), str) and ended["diff"]:
            info.final_diff = ended["diff"]
