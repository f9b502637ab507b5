"""Turning text from a log into inert, visible, bounded text for the screen.

Log text is data: it may hold Rich markup look-alikes, terminal escapes, tabs, bidi overrides and
multi-megabyte lines. Everything shown from a log goes through :func:`visible` (and usually
:func:`fold`), and reaches the screen as ``Text``/``Content``, never as markup.
"""

from __future__ import annotations

from typing import NamedTuple

from rich.text import Text

from nano_tui.safe_text import cell_stable, printable
from nano_tui.trajectory.model import Turn

TAB_SIZE = 4
#: A folded panel shows at most this many lines and characters per line.
FOLD_LINES = 40
FOLD_LINE_CHARS = 400
#: Even expanded, nothing longer than this is laid out: a 5 MB line would stall the screen.
EXPANDED_LINE_CHARS = 20_000
EXPANDED_CHARS = 2_000_000


def visible(text: str) -> str:
    """Text made safe to print (:func:`~nano_tui.safe_text.printable`), laid out for cells: tabs
    expanded, characters whose width terminals disagree on dropped."""
    text = cell_stable(printable(text))
    return text.expandtabs(TAB_SIZE) if "\t" in text else text


def inert(text: str, style: str = "") -> Text:
    """Log text as a plain ``Text``: no markup, no escapes, no emoji codes interpreted."""
    return Text(visible(text), style=style)


class Folded(NamedTuple):
    text: str
    hidden_lines: int = 0
    clipped_lines: int = 0

    @property
    def folded(self) -> bool:
        return bool(self.hidden_lines or self.clipped_lines)


def fold(text: str, expanded: bool = False) -> Folded:
    """Bound what gets laid out: a fold keeps the first lines and clips long ones."""
    max_lines = None if expanded else FOLD_LINES
    line_chars = EXPANDED_LINE_CHARS if expanded else FOLD_LINE_CHARS
    if len(text) > EXPANDED_CHARS:
        text = text[:EXPANDED_CHARS]
    lines = text.split("\n")
    hidden = 0
    if max_lines is not None and len(lines) > max_lines:
        hidden = len(lines) - max_lines
        lines = lines[:max_lines]
    clipped = 0
    for number, line in enumerate(lines):
        if len(line) > line_chars:
            clipped += 1
            lines[number] = f"{line[:line_chars]} … ({len(line) - line_chars:,} more characters)"
    return Folded("\n".join(lines), hidden, clipped)


def folded_text(text: str, expanded: bool) -> Text:
    """Inert, folded text with a hint when something was folded away."""
    folded = fold(text, expanded)
    body = inert(folded.text)
    if folded.folded:
        body.append("\n… folded — press o to expand", style="dim")
    return body


def first_line(text: str, limit: int = 200) -> str:
    """A one-line summary of a text, for titles and table cells."""
    for line in text.splitlines():
        if line.strip():
            return visible(line.strip()[:limit])
    return ""


#: The widest tool name a turn's line shows whole.
NAME_WIDTH = 11


def call_summary(turn: Turn) -> tuple[str, str]:
    """(tool name, one line about the call): a turn as the timeline and ``compare`` list it."""
    if turn.index == 0:
        return "setup", "system prompt and task"
    if not turn.tool_calls:
        if turn.error:
            return "error", first_line(turn.error)
        if turn.extra.get("streaming") and not turn.text.strip():
            return "model", "thinking…" if turn.thinking else "…"
        return "answer", first_line(turn.text)
    call = turn.tool_calls[0]
    summary = first_line(call.summary)
    if len(turn.tool_calls) > 1:
        # the name stays whole (apply_patch fills the column); the count leads the summary
        summary = f"+{len(turn.tool_calls) - 1} {summary}"
    return first_line(call.name, NAME_WIDTH) or "?", summary


def turn_line(turn: Turn) -> str:
    """A turn in one line for a compare row: its number, a failure mark, the tool and the call."""
    name, summary = call_summary(turn)
    failed = "✗ " if turn.failed_calls or turn.error else ""
    return f"{turn.index} {failed}{name} {summary}"
