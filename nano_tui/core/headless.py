"""Printing a run to a plain stream, turn by turn: the ``--headless`` view.

Model and tool text goes through :func:`~nano_tui.safe_text.printable`, so nothing the model or the
provider writes can move the cursor, recolour or retitle a terminal.
"""

from __future__ import annotations

import sys
from typing import TextIO

from nano_tui.core.events import (
    Event,
    ModelCallStarted,
    PatchApplied,
    Retrying,
    RunEnded,
    RunStarted,
    TextDelta,
    ThinkingDelta,
    ToolFinished,
    ToolStarted,
    TurnEnded,
)
from nano_tui.invocation import command
from nano_tui.safe_text import printable


def _indent(text: str, prefix: str = "  ") -> str:
    return "".join(prefix + line for line in printable(text).splitlines(keepends=True)) + "\n"


class HeadlessPrinter:
    """An ``on_event`` callback that writes a readable transcript to ``out`` (default: stdout)."""

    def __init__(self, out: TextIO | None = None):
        self.out = out or sys.stdout
        self._section: str | None = None
        self.ended: RunEnded | None = None

    def __call__(self, event: Event) -> None:
        handler = getattr(self, f"_on_{type(event).__name__}", None)
        if handler is not None:
            handler(event)
            self.out.flush()

    def _write(self, text: str) -> None:
        self.out.write(text)

    def _open(self, section: str, header: str) -> None:
        if self._section != section:
            if self._section is not None:
                self._write("\n")
            self._write(header)
            self._section = section

    def _close(self) -> None:
        if self._section is not None:
            self._write("\n")
        self._section = None

    def _on_RunStarted(self, event: RunStarted) -> None:
        self._write(f"nano-tui · {printable(event.model)} · {printable(event.repo)}\n")
        if event.run_dir:
            self._write(f"log: {printable(event.run_dir)}\n")
        self._write(f"task: {printable(event.task)}\n")

    def _on_ModelCallStarted(self, event: ModelCallStarted) -> None:
        self._close()
        self._write(f"\n── turn {event.turn} ──\n")

    def _on_ThinkingDelta(self, event: ThinkingDelta) -> None:
        self._open("thinking", "[thinking] ")
        self._write(printable(event.text))

    def _on_TextDelta(self, event: TextDelta) -> None:
        text = event.text if self._section == "text" else event.text.lstrip("\n")
        if text:
            self._open("text", "")
            self._write(printable(text))

    def _on_Retrying(self, event: Retrying) -> None:
        self._close()
        self._write(f"[retry {event.attempt} in {event.wait:g}s] {printable(event.error)}\n")

    def _on_ToolStarted(self, event: ToolStarted) -> None:
        self._close()
        self._write(f"→ {printable(event.name)} {printable(event.arguments)}\n")

    def _on_ToolFinished(self, event: ToolFinished) -> None:
        self._write(f"← {event.state} ({event.duration:.2f}s)\n")
        self._write(_indent(event.output) if event.output else "")

    def _on_PatchApplied(self, event: PatchApplied) -> None:
        self._write(_indent(event.diff, "  │ "))

    def _on_TurnEnded(self, event: TurnEnded) -> None:
        self._close()
        tokens = event.usage.get("total_tokens")
        self._write(f"   ({event.duration:.1f}s{f', {tokens} tokens' if tokens else ''})\n")

    def _on_RunEnded(self, event: RunEnded) -> None:
        self._close()
        self.ended = event
        self._write(f"\n── run ended: {event.reason} ──\n")
        if event.error:
            self._write(f"error: {printable(event.error)}\n")
        self._write(printable(event.diff) if event.diff else "(no changes)\n")
        if event.run_dir:
            self._write(f"log: {printable(event.run_dir)}\n")
            self._write(f"replay: {printable(command('replay', event.run_dir))}\n")
