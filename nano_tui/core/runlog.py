"""The run folder: nano-agent 5.0.0's files, byte-compatible, plus nano-tui's sidecar.

``<log_dir>/<iso-seconds>-<uuid8>/`` (``log_dir`` defaults to ``~/.nano``) holds, as nano writes them:

- ``messages.jsonl`` — one ``json.dumps(message, ensure_ascii=False, sort_keys=True)`` line per message,
  appended and flushed the moment the message exists;
- ``tools.json`` (``indent=4, sort_keys=True``) and ``metadata.json`` (the litellm settings, ``indent=4``),
  written at the start;
- ``diff.txt`` and ``stats.json`` (``indent=2``), created empty at the start and filled when the run ends.

``nano-tui.jsonl`` — the sidecar — holds everything nano does not record. One JSON object per line,
appended and flushed, each ``{"event": <name>, "time": <unix seconds>, ...fields}``
(see :func:`nano_tui.core.events.to_record`):

- ``run_started``: ``task``, ``repo`` (absolute root), ``commit`` (HEAD at start), ``model``,
  ``run_dir``, ``limits`` (token/tool/time/response limits, shell timeout), ``settings`` (sampling),
  ``backend`` (where the shell ran: ``name``, ``image``, ``workdir``, ``network``, ``confined``,
  ``description``, ``warning``);
- ``message``: ``index`` (0-based line in messages.jsonl), ``turn`` — when each message was written;
- ``retrying``: ``turn``, ``attempt``, ``error``, ``wait`` — a transient provider failure;
- ``tool_started`` / ``tool_finished``: ``turn``, ``call_id``, ``name``, ``arguments`` /
  ``output``, ``state`` (ok, failed, skipped), ``duration`` seconds, ``printed_bytes`` (what a
  command printed, in bytes) and ``printed`` (that output, about a MiB at most, when the model saw
  only the start of it);
- ``patch_applied``: ``turn``, ``call_id``, ``file``, ``diff`` — that one patch's unified diff;
- ``resumed``: ``turn``, ``paused`` — seconds the user kept the loop paused in step mode (time that is
  not the agent's: neither the time limit nor the turn's duration counts it);
- ``turn_ended``: ``turn``, ``duration`` seconds (model call + tools), ``usage`` (the provider's token
  counts for that call);
- ``run_ended``: ``reason`` (finished, tool limit, token limit, time limit, stopped, error), ``diff``
  (the final cumulative diff), ``run_dir``, ``error`` (one line, or null).

A run killed at any moment leaves complete lines only up to the last flush, so every line parses.
"""

from __future__ import annotations

import json
import time
import uuid
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from nano_tui.contract import DIFF, MESSAGES, METADATA, RUN_FILES, SIDECAR, STATS, TOOLS
from nano_tui.core.events import TRANSIENT, Event, to_record
from nano_tui.safe_text import json_text


def default_log_dir() -> Path:
    return Path("~/.nano").expanduser()


class RunLog:
    """Writes one run's folder. With ``enabled=False`` every method is a no-op and ``run_dir`` is None."""

    def __init__(self, enabled: bool = True, log_dir: str | Path | None = None):
        self.enabled = enabled
        self.parent = Path(log_dir).expanduser() if log_dir is not None else default_log_dir()
        self.run_dir: Path | None = None
        self._messages: IO[bytes] | None = None
        self._sidecar: IO[bytes] | None = None

    def start(self, tools: list[dict[str, Any]], metadata: dict[str, Any]) -> None:
        if not self.enabled:
            return
        stamp = datetime.now().isoformat(timespec="seconds")
        self.run_dir = self.parent / f"{stamp}-{str(uuid.uuid4())[:8]}"
        self.run_dir.mkdir(parents=True, exist_ok=True)
        for name in RUN_FILES:
            (self.run_dir / name).touch()
        tools_text = json.dumps(tools, ensure_ascii=False, indent=4, sort_keys=True)
        (self.run_dir / TOOLS).write_text(tools_text)
        (self.run_dir / METADATA).write_text(json.dumps(metadata, ensure_ascii=False, indent=4))
        # unbuffered appends: a line goes to the file whole, in as few writes as the system allows
        self._messages = (self.run_dir / MESSAGES).open("ab", buffering=0)
        self._sidecar = (self.run_dir / SIDECAR).open("ab", buffering=0)

    def append_message(self, message: dict[str, Any]) -> None:
        self._append(self._messages, json.dumps(message, ensure_ascii=False, sort_keys=True))

    def record(self, event: Event, at: float | None = None) -> None:
        """Append ``event`` to the sidecar unless it is a transient one (deltas, pauses)."""
        if isinstance(event, TRANSIENT):
            return
        record = to_record(event, time.time() if at is None else at)
        self._append(self._sidecar, json.dumps(record, ensure_ascii=False))

    def finish(self, diff: str, stats: dict[str, Any]) -> None:
        """Write diff.txt and stats.json and close the files."""
        if self.run_dir is not None:
            (self.run_dir / DIFF).write_text(diff, encoding="utf-8")
            (self.run_dir / STATS).write_text(json.dumps(stats, indent=2))
        self.close()

    def close(self) -> None:
        for handle in (self._messages, self._sidecar):
            if handle is not None:
                handle.close()
        self._messages = self._sidecar = None

    @staticmethod
    def _append(handle: IO[bytes] | None, line: str) -> None:
        """Append one line, whole: a system call may write less than it is given (a signal, a full
        disk), so the rest follows until all of it is written. A kill mid-line can still leave a torn
        last line (the kernel stops between pages); the loader reports it and reads the rest. A lone
        surrogate (a model can send ``"\\ud800"``) cannot be UTF-8, where nano would crash: that line
        spells it as a JSON escape, the same value."""
        if handle is None:
            return
        try:
            data = (line + "\n").encode("utf-8")
        except UnicodeEncodeError:
            data = (json_text(line) + "\n").encode("utf-8")
        view = memoryview(data)
        while view:
            written = handle.write(view)
            if not written:
                raise OSError(f"{handle.name} takes no more bytes")
            view = view[written:]
