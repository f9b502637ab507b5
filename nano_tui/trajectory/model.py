"""The one trajectory model shared by the live view, replay and export.

A turn looks the same whether a live worker produced it a moment ago or a file written last year
did: widgets and exporters read only these classes, never the source. The fields named in
``derived_on_read`` may be computed on first read (see :mod:`nano_tui.trajectory.derived`): reading
them is all it takes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, NamedTuple

from nano_tui.errors import UserError
from nano_tui.trajectory import derived

ToolStatus = Literal["ok", "failed", "skipped", "unknown", "running", "no result"]
#: The tools nano offers, assumed offered where a log does not say (no ``tools.json``).
KNOWN_TOOLS = ("shell", "apply_patch")
#: Tools whose ``cmd`` argument is a shell command: nano's ``shell``, mini-swe-agent's ``bash``.
SHELL_TOOLS = ("shell", "bash")
_TAG_ONLY = re.compile(r"</?[\w:.-]+>")


class Patch(NamedTuple):
    """An ``apply_patch`` call's arguments: replace ``search`` by ``replace`` in ``file``."""

    file: str
    search: str
    replace: str


@derived.derived_on_read(
    arguments=derived.call_arguments, parse_error=derived.call_arguments,
    output=derived.call_reading, warning=derived.call_reading, truncated=derived.call_reading,
    status=derived.call_reading, diff=derived.call_diff, diff_approximate=derived.call_diff,
)
@dataclass
class ToolCall:
    """One tool call of an assistant message, paired with the tool message that answered it."""

    call_id: str | None
    name: str
    arguments_raw: str
    arguments: dict[str, Any] | None = None
    parse_error: str | None = None
    #: Exactly the content of the answering tool message, as the model saw it (None: no result).
    result: str | None = None
    #: ``result`` without the budget warning and truncation marker; what panels show by default.
    output: str = ""
    warning: str | None = None
    truncated: bool = False
    status: ToolStatus = "unknown"
    duration: float | None = None
    #: This call's own diff (a patch), from the sidecar or rebuilt from search/replace.
    diff: str = ""
    #: True when ``diff`` was rebuilt from search/replace: exact change, approximate line numbers.
    diff_approximate: bool = False
    result_index: int | None = None
    #: Whether the run offered a tool by this name (a model may call tools that do not exist).
    known: bool = True
    #: What the command printed, when the model saw only the start of it: kept by nano-tui's sidecar
    #: (about a MiB; a longer output keeps its start and end), and how many bytes it printed in all.
    printed: str | None = None
    printed_bytes: int | None = None

    @property
    def failed(self) -> bool:
        return self.status == "failed"

    @property
    def command(self) -> str | None:
        """The shell command, for a shell call whose arguments hold one (nano's ``cmd``, or the
        ``command`` of other agents' bash tools)."""
        arguments = self.arguments
        if self.name.lower() not in SHELL_TOOLS or arguments is None:
            return None
        command = arguments.get("cmd", arguments.get("command"))
        return command if isinstance(command, str) else None

    @property
    def summary(self) -> str:
        """What the call did, in the words a reader expects: the command, the patched file, else the
        arguments as sent."""
        if self.command is not None:
            return self.command
        if self.patch is not None:
            return self.patch.file
        return self.arguments_raw

    @property
    def patch(self) -> Patch | None:
        """File, search and replace, for an ``apply_patch`` call whose arguments hold all three."""
        arguments = self.arguments
        if self.name != "apply_patch" or arguments is None:
            return None
        fields = (arguments.get("file"), arguments.get("search"), arguments.get("replace"))
        return Patch(*fields) if all(isinstance(value, str) for value in fields) else None  # type: ignore[arg-type]


@derived.derived_on_read(thinking=derived.turn_thinking, text=derived.turn_thinking, diff=derived.turn_diff)
@dataclass
class Turn:
    """Turn 0 is the setup (system prompt, task); each later turn is one assistant message
    with the tool results that answer it and any nudge the loop added after it."""

    index: int
    thinking: list[str] = field(default_factory=list)
    text: str = ""
    tool_calls: list[ToolCall] = field(default_factory=list)
    nudges: list[str] = field(default_factory=list)
    #: This turn's changes to the tree (concatenated patch diffs).
    diff: str = ""
    duration: float | None = None
    usage: dict[str, int] = field(default_factory=dict)
    #: Set when the run failed in this turn (provider error, crash) — shown as an error panel.
    error: str | None = None
    #: The raw messages this turn was built from, unaltered, with their 0-based line numbers.
    messages: list[dict[str, Any]] = field(default_factory=list)
    message_indices: list[int] = field(default_factory=list)
    #: Extra assistant keys nano-tui does not interpret (annotations, audio, …), kept for display.
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def failed_calls(self) -> int:
        return sum(1 for c in self.tool_calls if c.failed)

    @property
    def has_patch(self) -> bool:
        return any(c.name == "apply_patch" for c in self.tool_calls)


@dataclass
class RunInfo:
    """What is known about a run as a whole. Fields nano-agent never recorded stay None."""

    path: Path | None
    source: Literal["nano-agent", "nano-tui", "mini-swe-agent", "atif", "live"] = "nano-agent"
    model: str | None = None
    api_base: str | None = None
    settings: dict[str, Any] = field(default_factory=dict)
    limits: dict[str, Any] = field(default_factory=dict)
    system_prompt: str = ""
    task: str = ""
    tools: list[dict[str, Any]] = field(default_factory=list)
    started_at: float | None = None
    repo: str | None = None
    commit: str | None = None
    #: "finished", "tool limit", …, or None when unknown (old logs record no reason).
    end_reason: str | None = None
    #: False when ``diff.txt`` is empty/missing (nano writes it only at a normal end).
    ended_normally: bool | None = None
    error: str | None = None
    final_diff: str = ""
    stats: dict[str, Any] = field(default_factory=dict)
    #: Where the model's shell ran (nano-tui's runs): ``name``, ``image``, ``workdir``, ``network``,
    #: ``confined``, ``description``, and ``warning`` when it was not confined by choice.
    backend: dict[str, Any] = field(default_factory=dict)
    #: When the run ended (Unix seconds) and the seconds the user kept it paused in step mode, which
    #: are not the agent's time (nano-tui's runs).
    ended_at: float | None = None
    paused: float = 0.0
    #: The conversation's size at the last model call, in the loop's own count (``--token-limit``'s).
    context_tokens: int | None = None
    #: Files of the run folder that are there but were not read, and why (``metadata.json``: ``a named
    #: pipe, not a file``): the run opens without them and the screen says so.
    unread: dict[str, str] = field(default_factory=dict)

    def agent_time(self, now: float | None = None, paused: float | None = None) -> float | None:
        """Seconds the agent worked, pauses left out (until ``now`` for a run still going, with
        ``paused`` counting a pause going on); None when the log did not record it."""
        end = self.ended_at if self.ended_at is not None else now
        if self.started_at is None or end is None:
            return None
        return max(0.0, end - self.started_at - (self.paused if paused is None else paused))

    @property
    def task_line(self) -> str:
        """The task's first line that says something: lines that only open or close a tag, as
        ``<pr_description>`` in mini-swe-agent's task, are passed over."""
        for line in self.task.splitlines():
            line = line.strip()
            if line and not _TAG_ONLY.fullmatch(line):
                return line
        return ""


@dataclass(frozen=True)
class SkippedLine:
    """A line of ``messages.jsonl`` (1-based, as editors count) that could not be loaded as written, and
    why: skipped as unreadable, or (in ``Trajectory.damaged``) loaded with bad bytes replaced."""

    line: int
    reason: str


class LogError(UserError):
    """The one error the loader raises: not a run folder, no such path, empty or unreadable log."""
