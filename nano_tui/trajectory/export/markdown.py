"""A readable Markdown transcript: a heading per turn, every log text in a fenced block whose fence
is longer than any backtick run inside it, so no log text can close it or turn into markup."""

from __future__ import annotations

import re
from collections.abc import Iterator

from nano_tui.trajectory.export.text import APPROXIMATE_DIFF, run_facts, turn_facts
from nano_tui.trajectory.model import ToolCall, Turn
from nano_tui.trajectory.trajectory import Trajectory

_BACKTICKS = re.compile(r"`+")
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~])")


def fenced(text: str, language: str = "text") -> str:
    longest = max((len(run) for run in _BACKTICKS.findall(text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{text}\n{fence}\n\n"


def code_span(text: str) -> str:
    """One line of log text as inline code, delimited by more backticks than it contains."""
    text = " ".join(text.split())
    longest = max((len(run) for run in _BACKTICKS.findall(text)), default=0)
    ticks = "`" * (longest + 1)
    return f"{ticks} {text} {ticks}"


def inline(text: str) -> str:
    """One line of log text made inert in running Markdown."""
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", " ".join(text.split()))


def markdown_chunks(trajectory: Trajectory) -> Iterator[str]:
    """The transcript, a turn at a time."""
    info = trajectory.info
    name = info.path.name if info.path else "live run"
    yield f"# Run {inline(name)}\n"
    yield "".join(f"- **{label}**: {inline(value)}\n" for label, value in run_facts(info))
    yield "\n## Task\n\n" + fenced(info.task)
    if info.system_prompt:
        yield ("\n<details><summary>System prompt</summary>\n\n" + fenced(info.system_prompt)
               + "\n</details>\n")
    notes = trajectory.notes
    for turn in trajectory.stream():
        if turn.index:
            yield _turn(turn, notes.get(turn.index))
    for title, lines in (("Skipped lines", trajectory.skipped), ("Damaged lines", trajectory.damaged)):
        if lines:
            yield f"\n## {title}\n\n" + "".join(f"- line {s.line}: {inline(s.reason)}\n" for s in lines)
    yield "\n## Final diff\n\n"
    yield fenced(info.final_diff, "diff") if info.final_diff else "_No final diff._\n"


def _turn(turn: Turn, note: str | None) -> str:
    facts = turn_facts(turn)
    parts = [f"\n## Turn {turn.index}{f' ({facts})' if facts else ''}\n\n"]
    if note:
        parts.append("".join(f"> {line}\n" if line else ">\n" for line in f"**Note:** {note}".split("\n"))
                     + "\n")
    if turn.error:
        parts.append("**Error**\n\n" + fenced(turn.error))
    for block in turn.thinking:
        parts.append("**Thinking**\n\n" + fenced(block))
    if turn.text:
        parts.append("**Reply**\n\n" + fenced(turn.text, "markdown"))
    for call in turn.tool_calls:
        parts.append(_call(call))
    for nudge in turn.nudges:
        parts.append("**Nudge**\n\n" + fenced(nudge))
    return "".join(parts)


def _call(call: ToolCall) -> str:
    heading = f"### {code_span(call.name) if call.name else 'unnamed call'} — {call.status}"
    if call.duration is not None:
        heading += f" ({call.duration:.2f} s)"
    parts = [heading + "\n\n"]
    patch = call.patch
    if call.command is not None:
        parts.append(fenced(call.command, "bash"))
    elif patch is not None:
        parts.append(f"File: {code_span(patch.file)}\n\nSearch:\n\n" + fenced(patch.search))
        parts.append("Replace:\n\n" + fenced(patch.replace))
    else:
        parts.append(fenced(call.arguments_raw, "json"))
    if call.parse_error:
        parts.append(f"Arguments are not valid JSON: {inline(call.parse_error)}\n\n")
    if call.warning:
        parts.append("Warning:\n\n" + fenced(call.warning))
    if call.result is None:
        parts.append("_No result: nothing answered this call._\n\n")
    else:
        label = "Output (truncated)" if call.truncated else "Output"
        parts.append(f"{label}:\n\n" + fenced(call.output))
    if call.diff:
        label = f"Diff ({APPROXIMATE_DIFF})" if call.diff_approximate else "Diff"
        parts.append(f"{label}:\n\n" + fenced(call.diff, "diff"))
    return "".join(parts)
