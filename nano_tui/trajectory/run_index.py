"""The run index: what the run list knows of each run, kept between invocations in a SQLite file in the
user's cache (``$XDG_CACHE_HOME/nano-tui/runs.sqlite3``, default ``~/.cache/nano-tui/``).

A run is summarised again only when one of its files changed (the row's fingerprint is each file's
size and modification time), so listing 10,000 runs costs their ``stat`` calls, not their parsing.
Several nano-tui processes may list at once: the file is in WAL mode, each writes its new rows in one
short transaction, and a writer that cannot get the lock in time simply leaves its rows for the next
listing. A damaged index is set aside and rebuilt, an unusable one (a read-only cache) is bypassed;
either way :attr:`RunIndex.notice` says so and nothing is lost: the runs' own files are the truth.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import fields
from datetime import datetime
from pathlib import Path
from typing import Any

from nano_tui.contract import SIDECAR, STATS
from nano_tui.trajectory.discovery import (
    Located,
    RunSummary,
    locate_for_command,
    newest_first,
    summarize_located,
)

#: Bumped when a summary's fields or the fingerprint change: rows of another version are read again.
VERSION = 3
#: What a row holds of a summary, in order (the path is the row's key; the location depends on
#: where the listing started).
ROW_FIELDS = tuple(field.name for field in fields(RunSummary) if field.name not in ("path", "location"))


def _busy(error: sqlite3.OperationalError) -> bool:
    """Whether SQLite failed only because another process held the lock, not because of the file."""
    return "locked" in str(error) or "busy" in str(error)


def index_file() -> Path:
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(cache) / "nano-tui" / "runs.sqlite3"


def _mark(status: os.stat_result) -> str:
    return f"{status.st_size}:{status.st_mtime_ns}"


def fingerprint(found: Located, stored: str | None = None) -> str | None:
    """What says whether a run changed since ``stored`` (its previous fingerprint), or None when the
    run cannot be looked at (it is then summarised every time).

    Each ``stat`` counts at 10,000 runs, so a run folder costs one or two beyond the walk's: the size
    and time of ``messages.jsonl`` (from the walk), of ``stats.json`` (nano fills it, after
    ``diff.txt``, when a run ends) and of the sidecar, which nano-tui appends to beside the messages:
    looked at when the run had one or the other two changed. A trajectory file is its own size and time."""
    try:
        if found.messages is None:
            return f"{VERSION}|{_mark(os.stat(found.run))}"
        try:
            stats = _mark(os.stat(os.path.join(found.run, STATS)))
        except FileNotFoundError:
            stats = "-"
        prefix = f"{VERSION}|{_mark(found.messages)}|{stats}|"
        if stored == prefix + "-":
            return stored
        try:
            sidecar = _mark(os.stat(os.path.join(found.run, SIDECAR)))
        except FileNotFoundError:
            sidecar = "-"
        return prefix + sidecar
    except OSError:
        return None


def _to_row(summary: RunSummary) -> str:
    values = [getattr(summary, name) for name in ROW_FIELDS]
    values[0] = summary.date.timestamp() if summary.date else None
    return json.dumps(values)  # ASCII: a lone surrogate in a task is an escape, not unencodable text


def _from_row(text: str, found: Located) -> RunSummary | None:
    try:
        values: list[Any] = json.loads(text)
        if len(values) != len(ROW_FIELDS):
            return None
        data = dict(zip(ROW_FIELDS, values, strict=True))
        data["date"] = datetime.fromtimestamp(values[0]) if values[0] is not None else None
        return RunSummary(path=found.run, location=found.location, **data)
    except (ValueError, TypeError, KeyError, OverflowError, OSError):
        return None


class RunIndex:
    """Summaries of runs, from the index when a run is unchanged, else from ``summarize``."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or index_file()
        #: One line for the user when the index could not be used as it was (else None).
        self.notice: str | None = None
        self._db: sqlite3.Connection | None = None
        try:
            self._db = self._open()
        except sqlite3.OperationalError as error:
            if not _busy(error):  # busy: another listing is making it; this one reads the folders
                self.notice = f"the run index cannot be used ({error}): runs are read from their folders"
        except (sqlite3.DatabaseError, OSError) as error:
            self._set_aside(error)

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=5, isolation_level=None)
        try:
            # each step writes only when it must: a listing starting while another writes reads the
            # file as it is rather than waits for the lock
            if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                db.execute("PRAGMA journal_mode=WAL")
            if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'runs'").fetchone() is None:
                # the path is its bytes: a folder name need not be UTF-8
                db.execute("CREATE TABLE IF NOT EXISTS runs (path BLOB PRIMARY KEY, "
                           "fingerprint TEXT NOT NULL, summary TEXT NOT NULL)")
            db.execute("SELECT 1 FROM runs LIMIT 1").fetchone()  # a file that is not a database fails here
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def _set_aside(self, error: Exception) -> None:
        """A damaged file is moved aside and a new one made; an index that cannot be made is bypassed."""
        damaged = isinstance(error, sqlite3.DatabaseError) and self.path.is_file()
        if damaged:
            aside = self.path.with_name(f"{self.path.name}.damaged-{int(time.time())}")
            try:
                os.replace(self.path, aside)
                for suffix in ("-wal", "-shm"):
                    Path(f"{self.path}{suffix}").unlink(missing_ok=True)
                self._db = self._open()
                self.notice = f"the run index was damaged ({error}): rebuilt; the old file is {aside}"
                return
            except (sqlite3.DatabaseError, OSError) as again:
                error = again
        self.notice = f"the run index cannot be used ({error}): runs are read from their folders"

    def summaries(self, located: list[Located],
                  summarize: Callable[[str, str], RunSummary]) -> list[RunSummary]:
        """Each run's summary, in order; changed and new runs are summarised and stored."""
        known = self._rows([found.run for found in located])
        summaries, fresh = [], []
        for found in located:
            row = known.get(os.fsencode(found.run))
            mark = fingerprint(found, row[0] if row is not None else None)
            summary = _from_row(row[1], found) if row is not None and mark == row[0] else None
            if summary is None:
                summary = summarize(found.run, found.location)
                if mark is not None:
                    fresh.append((os.fsencode(found.run), mark, _to_row(summary)))
            summaries.append(summary)
        self._store(fresh)
        return summaries

    def _rows(self, runs: list[str]) -> dict[bytes, tuple[str, str]]:
        if self._db is None or not runs:
            return {}
        rows: dict[bytes, tuple[str, str]] = {}
        names = [os.fsencode(run) for run in runs]
        try:
            for start in range(0, len(names), 500):
                chunk = names[start:start + 500]
                marks = ",".join("?" * len(chunk))
                query = f"SELECT path, fingerprint, summary FROM runs WHERE path IN ({marks})"
                rows.update((path, (mark, summary)) for path, mark, summary in self._db.execute(query, chunk))
        except sqlite3.OperationalError:
            return rows  # busy past the timeout: what was read; the rest is summarised again
        except sqlite3.DatabaseError as error:
            self._db.close()
            self._db = None
            self._set_aside(error)
        return rows

    def _store(self, rows: list[tuple[bytes, str, str]]) -> None:
        if self._db is None or not rows:
            return
        try:
            with self._db:
                self._db.execute("BEGIN IMMEDIATE")
                self._db.executemany("INSERT OR REPLACE INTO runs VALUES (?, ?, ?)", rows)
        except sqlite3.OperationalError:
            return  # busy past the timeout, or a read-only file: the next listing stores them
        except sqlite3.DatabaseError as error:
            self._db.close()
            self._db = None
            self._set_aside(error)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


class Listing:
    """The summaries of the runs a walk finds, in batches, through the run index unless not
    ``use_index``. Iterate it where the summaries are wanted (a screen's worker thread): the walk goes
    on and the index is opened and closed there. :attr:`found` counts the runs found so far;
    :attr:`notice` is the index's word for the user, once iterated."""

    def __init__(self, located: Iterable[Located], use_index: bool = True) -> None:
        self.located = located
        self.use_index = use_index
        self.found = 0
        self.notice: str | None = None

    def _counted(self) -> Iterator[Located]:
        for found in self.located:
            self.found += 1
            yield found

    def __iter__(self) -> Iterator[list[RunSummary]]:
        index = RunIndex() if self.use_index else None
        try:
            yield from summarize_located(self._counted(), index)
        finally:
            if index is not None:
                self.notice = index.notice
                index.close()


def find_indexed_runs(paths: list[Path], use_index: bool = True) -> tuple[list[RunSummary], str | None]:
    """Every run under ``paths``, summarised through the run index (unless not ``use_index``),
    newest first, and the index's notice, if it has one for the user."""
    listing = Listing(locate_for_command(paths), use_index)
    runs = newest_first([run for batch in listing for run in batch])
    return runs, listing.notice
