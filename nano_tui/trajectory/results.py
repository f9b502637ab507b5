"""Reading a tool message's text: did the call fail, and which parts are nano's own notes?

nano-agent recorded no status for most of its life, only the text the model saw, and the wording
changed three times (see NANO_FORMAT.md): ``[bracket notes]`` up to 2.0, ``<nano:…>`` tags in 3.x and
plain sentences from 4.0. The status is inferred from that text; the budget warning and the truncation
marker are split off, and the tag around a 3.x note is dropped, so panels can show the output alone,
while ``ToolCall.result`` keeps every byte.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from nano_tui.trajectory.model import ToolStatus

#: A leading budget warning, per era. Plain-era warnings end with a newline; tag-era ones do not.
#: The patterns of this module are compiled on first use, through ``re``'s cache: a log of one era
#: needs only its own, and compiling them all cost 1.4 ms of every start.
_WARNINGS = (
    r"\A\[SYSTEM (?:WARNING|NOTE): [^\n]*\]\n",
    r"\A<nano:warning>(?:Token limit critical|Tokens low|\d+ tools left|Last tool call)[^<]*</nano:warning>",
    r"\A(?:Token limit critical! Apply your best fix now\.|Tokens low\. Focus on the main issue only\.|"
    r"\d+ tools left\. Prioritize essential changes\.|Last tool call! Make it count\.)\n",
)
_TRUNCATIONS = (
    "\n[output truncated]",
    "<nano:feedback>output truncated</nano:feedback>",
    "... output truncated",
)
_TRUNCATION_ENDS = ("truncated]", "</nano:feedback>", "truncated")
_WARNING_STARTS = set("[<TL0123456789")

#: How a failed call's reply begins, from nano-agent's tools.py and agent.py of every release.
#: 0.1 – 2.0 put nano's notes in brackets: 0.1 – 0.3.4 answer any exception of the command as
#: ``[command failed: {e}]`` (``Command '[…]' returned non-zero exit status 1.``, ``… timed out after 4
#: seconds``), 0.3.5 – 2.0 ``[command failed: exit N]`` and ``[shell failed: {e}]``; patches, ``create``,
#: ``deepwiki`` and unknown tools have their own notes.
_FAILURE_BRACKET = ("[command failed: ", "[shell failed: ", "[search string not found]",
                    "[ambiguous search string: ", "[failed to ", "[unknown tool: ", "[invalid repo format]",
                    "[deepwiki error: ")
_FAILURE_BRACKET_NAMING = r"\[(?:invalid `\w+` arguments|file [^\n]* (?:not found|already exists))\]"
#: 3.2 → write sentences, inside ``<nano:…>`` tags until 3.4 and bare from 4.0; 5.0 words a path outside
#: the repository as ``Path must be…`` and a timeout as exit code 124 (``command failed with…``).
_FAILURE_PLAIN = ("command failed with exit code", "command timed out after", "shell execution failed",
                  "shell tool missing required", "file must be inside the repository",
                  "Path must be inside the repository", "search string not found", "search ambiguous:",
                  "patch operation failed", "Malformed tool arguments JSON:", "unknown tool:",
                  "tool limit reached:", "time limit reached:")
_FAILURE_PLAIN_NAMING = r"(?:invalid `\w+` arguments|file [^\n]* not found)"
#: nano-tui's reply to a call the user skipped in step mode (``core.tools.SKIPPED_REPLY``).
SKIPPED = "The user skipped this tool call; it was not run."
#: nano-tui's replies to the calls of one reply beyond a spent budget (failed: they did not run).
TOOL_LIMIT_REACHED = "tool limit reached: this call was not run"
TIME_LIMIT_REACHED = "time limit reached: this call was not run"
#: nano's note opening a tag-era output; failure wordings sit inside it.
_TAG = r"(?s)\A<nano:(feedback|warning)>(.*?)</nano:\1>"
_RETURNCODE = r"<returncode>\s*(-?\d+)\s*</returncode>"


class ResultReading(NamedTuple):
    status: ToolStatus
    output: str
    warning: str | None
    truncated: bool


def read_result(text: str) -> ResultReading:
    """Split ``text`` (a tool message's content) into warning, output and truncation, and infer status.

    In the tag era the output itself opens with nano's note in a tag
    (``<nano:feedback>patch applied successfully</nano:feedback>``): the output keeps the note's text
    without the tag, as later eras write it."""
    warning = None
    rest = text
    if rest[:1] in _WARNING_STARTS:
        for pattern in _WARNINGS:
            match = re.match(pattern, rest)
            if match:
                warning = match.group(0).strip()
                rest = rest[match.end():]
                break
    truncated = False
    if rest.endswith(_TRUNCATION_ENDS):
        for marker in _TRUNCATIONS:
            if rest.endswith(marker):
                rest = rest[: -len(marker)]
                truncated = True
                break
    tag = re.match(_TAG, rest) if rest.startswith("<nano:") else None
    if tag:
        head = tag.group(2)
        rest = head + rest[tag.end():]
    else:
        head = rest[:400].partition("\n")[0]
    status: ToolStatus = "failed" if _failed(head) else "skipped" if head == SKIPPED else "ok"
    return ResultReading(status, rest, warning, truncated)


def _failed(head: str) -> bool:
    """Whether a reply's first line is one of nano's failure wordings. Most are fixed openings; the two
    that name an argument or a file are patterns, matched only for a line that opens like them."""
    if head.startswith("["):
        return head.startswith(_FAILURE_BRACKET) or (
            head.startswith(("[invalid `", "[file ")) and re.match(_FAILURE_BRACKET_NAMING, head) is not None)
    return head.startswith(_FAILURE_PLAIN) or (
        head.startswith(("invalid `", "file ")) and re.match(_FAILURE_PLAIN_NAMING, head) is not None)


def returncode_status(observation: str) -> ToolStatus:
    """mini-swe-agent observations carry ``<returncode>N</returncode>``."""
    match = re.search(_RETURNCODE, observation)
    if not match:
        return "unknown"
    return "ok" if match.group(1) == "0" else "failed"
