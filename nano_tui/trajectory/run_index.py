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
from collections.abc import Callable, Iterator
from dataclasses import asdict, fields
from datetime import datetime
from pathlib import Path
from typing import Any

from nano_tui.contract import DIFF, MESSAGES, SIDECAR, STATS
from nano_tui.trajectory.discovery import (
    Located,
    RunSummary,
    locate_for_command,
    newest_first,
    summarize_located,
)

#: Bumped when a summary's fields change: rows of another version are summarised again.
VERSION = 2
#: The files whose size and time say whether a run changed: those a run writes as it goes and at its
#: end (``metadata.json``, ``tools.json`` and ``tool_log.jsonl`` are written with or before them).
WATCHED = (MESSAGES, SIDECAR, STATS, DIFF)
_FIELDS = {field.name for field in fields(RunSummary)}


def _busy(error: sqlite3.OperationalError) -> bool:
    """Whether SQLite failed only because another process held the lock, not because of the file."""
    return "locked" in str(error) or "busy" in str(error)


def index_file() -> Path:
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(cache) / "nano-tui" / "runs.sqlite3"


def fingerprint(run: Path) -> str | None:
    """Size and modification time of each of the run's files (a trajectory file's own); None when
    the run cannot be looked at (it is then summarised every time)."""
    base = os.fspath(run)
    names = WATCHED if not base.endswith(".json") else ("",)
    parts = []
    for name in names:
        try:
            status = os.stat(f"{base}/{name}" if name else base)
        except FileNotFoundError:
            parts.append("-")
        except OSError:
            return None
        else:
            parts.append(f"{status.st_size}:{status.st_mtime_ns}")
    return f"{VERSION}|" + "|".join(parts)


def _to_row(summary: RunSummary) -> str:
    data = asdict(summary)
    data["path"] = str(summary.path)
    data["date"] = summary.date.timestamp() if summary.date else None
    data.pop("location")
    return json.dumps(data)  # ASCII: a lone surrogate in a task is an escape, not unencodable text


def _from_row(text: str, run: Path) -> RunSummary | None:
    try:
        data: dict[str, Any] = json.loads(text)
        data = {key: value for key, value in data.items() if key in _FIELDS}
        data["path"] = run
        data["date"] = datetime.fromtimestamp(data["date"]) if data.get("date") is not None else None
        return RunSummary(**data)
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
            db.execute("SELECT count(*) FROM runs").fetchone()
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

    def summaries(self, runs: list[Path], summarize: Callable[[Path], RunSummary]) -> list[RunSummary]:
        """Each run's summary, in order; changed and new runs are summarised and stored."""
        known = self._rows(runs)
        found, fresh = [], []
        for run in runs:
            mark = fingerprint(run)
            row = known.get(os.fsencode(run))
            unchanged = row is not None and mark is not None and row[0] == mark
            summary = _from_row(row[1], run) if unchanged else None
            if summary is None:
                summary = summarize(run)
                if mark is not None:
                    fresh.append((os.fsencode(run), mark, _to_row(summary)))
            found.append(summary)
        self._store(fresh)
        return found

    def _rows(self, runs: list[Path]) -> dict[bytes, tuple[str, str]]:
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
    """The summaries of runs already located, in batches, through the run index unless not
    ``use_index``. Iterate it where the summaries are wanted (a screen's worker thread): the index
    is opened and closed there. :attr:`notice` is the index's word for the user, once iterated."""

    def __init__(self, located: list[Located], use_index: bool = True) -> None:
        self.located = located
        self.use_index = use_index
        self.notice: str | None = None

    def __len__(self) -> int:
        return len(self.located)

    def __iter__(self) -> Iterator[list[RunSummary]]:
        index = RunIndex() if self.use_index else None
        try:
            yield from summarize_located(self.located, index)
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
