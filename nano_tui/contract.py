"""What nano-tui shares with nano-agent and with itself across processes: the ground floor every
package may import and that imports nothing of nano-tui.

- the run folder's files, as nano-agent names them, and nano-tui's sidecar;
- the sidecar's record names (``{"event": <name>, ...}``, see ``core/runlog.py``);
- the thinking tags: where a model's reasoning sits in its text when no field holds it;
- the kinds of provider failure, carried from the loop to the screen with the error;
- the exit codes of a run.
"""

from __future__ import annotations

import re
from typing import Literal

# -- the run folder -----------------------------------------------------------------------------------

MESSAGES = "messages.jsonl"
TOOLS = "tools.json"
METADATA = "metadata.json"
DIFF = "diff.txt"
STATS = "stats.json"
#: nano-agent 1.1.0 and 2.0.0 only: one line per tool call, with its success.
TOOL_LOG = "tool_log.jsonl"
#: nano-tui's own: what nano does not record (timings, usage, per-patch diffs, the backend…).
SIDECAR = "nano-tui.jsonl"
#: nano-tui's own: the user's notes on turns (see :mod:`nano_tui.trajectory.notes`).
NOTES = "nano-tui-notes.json"
#: Created (empty) when a run starts, as nano-agent does; diff.txt and stats.json are filled at its end.
RUN_FILES = (MESSAGES, TOOLS, METADATA, DIFF, SIDECAR)

# -- the sidecar's records --------------------------------------------------------------------------

RUN_STARTED = "run_started"
MESSAGE = "message"
RETRYING = "retrying"
TOOL_STARTED = "tool_started"
TOOL_FINISHED = "tool_finished"
PATCH_APPLIED = "patch_applied"
TURN_ENDED = "turn_ended"
RESUMED = "resumed"
RUN_ENDED = "run_ended"

# -- thinking ---------------------------------------------------------------------------------------

#: The tags a model's reasoning comes in when it is left in the text (litellm moves a leading, closed
#: block of any of them to ``reasoning_content``; other tools keep them inline).
THINK_TAGS = ("think", "thinking", "budget:thinking")
_NAMES = "|".join(re.escape(tag) for tag in THINK_TAGS)
#: A block of thinking anywhere in a text, closed or cut off at the end. The patterns are compiled on
#: first use, through ``re``'s cache: most logs hold no tags, and compiling both cost 0.4 ms of every start.
THINK_BLOCK = rf"(?s)<(?:{_NAMES})>(.*?)(?:</(?:{_NAMES})>|\Z)"
_LEADING = rf"(?s)<(?:{_NAMES})>(.*?)</(?:{_NAMES})>(.*)"
OPEN_TAGS = tuple(f"<{tag}>" for tag in THINK_TAGS)
CLOSE_TAGS = tuple(f"</{tag}>" for tag in THINK_TAGS)


def split_leading_thinking(text: str | None) -> tuple[str | None, str | None]:
    """(reasoning, the rest) of a text that opens with a closed thinking block, else (None, text):
    what litellm does to a whole response, so streamed replies are logged as unstreamed ones."""
    if not text:
        return None, text
    match = re.match(_LEADING, text)
    return (match.group(1), match.group(2)) if match else (None, text)


# -- how a run ended, as the run list says it -------------------------------------------------------

#: The loop's own end reasons (nano-tui records them), and what the list says of a run that recorded
#: none: ``crashed`` (it did not end normally: no ``stats.json`` nor final diff, or a nano-tui run with
#: no end record) or ``unknown``.
END_REASONS = ("finished", "tool limit", "token limit", "time limit", "error", "stopped")
LISTED_ENDS = (*END_REASONS, "crashed", "unknown")

# -- provider failures ------------------------------------------------------------------------------

#: Why a model call failed, as far as the advice to the user goes.
ErrorKind = Literal["key", "connection", "model", "busy", "other"]

# -- exit codes ---------------------------------------------------------------------------------------

EXIT_OK, EXIT_FAILED, EXIT_STOPPED = 0, 1, 130


def exit_code(end_reason: str | None) -> int:
    """A run's exit code, headless or full screen: 0 when it ended on its own (finished or a limit),
    1 when it failed, 130 when it was stopped or never ran to a reason."""
    if end_reason == "error":
        return EXIT_FAILED
    return EXIT_STOPPED if end_reason in ("stopped", None) else EXIT_OK
