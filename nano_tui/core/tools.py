"""The two tools the model may call, ``shell`` and ``apply_patch``, and their usage counters.

Each tool returns a :class:`ToolOutcome`: ``output`` is the text the model reads, with nano-agent 5.0.0's
exact wording, so runs stay comparable with nano's. The descriptions the model sees are our own.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from nano_tui.core.control import RunControl, Stopped
from nano_tui.core.events import ToolState
from nano_tui.core.shell.backends import Backend
from nano_tui.core.workspace import Workspace, replace_file
from nano_tui.trajectory.patches import unified_diff
from nano_tui.trajectory.results import SKIPPED, TIME_LIMIT_REACHED, TOOL_LIMIT_REACHED

SHELL_TOOL: dict[str, Any] = {
    "type": "function",
    "function": {
        "name": "shell",
        "description": (
            "Run one bash command in the repository root and read its combined stdout and stderr. "
            "Good for listing folders, searching code (rg, grep), reading parts of files and running "
            "tests. Long output is cut to about 2000 characters, so ask for just what you need."
        ),
        "parameters": {
            "type": "object",
            "properties": {
                "cmd": {"type": "string", "description": "The bash command, e.g. rg -n 'def parse' src/"},
            },
            "required": ["cmd"],
        },
    },
}

PATCH_TOOL: dict[str, Any] = {
    "type": "function",
    "function": {
        "name": "apply_patch",
        "description": (
            "Edit a file by replacing one exact piece of text. `search` must occur exactly once in the "
            "file, whitespace included; if it is missing or occurs twice, read the file again and retry "
            "with a longer, exact excerpt."
        ),
        "parameters": {
            "type": "object",
            "properties": {
                "search": {"type": "string",
                           "description": "The exact text to replace, indentation included"},
                "replace": {"type": "string", "description": "The text to put in its place"},
                "file": {"type": "string",
                         "description": "Path relative to the repository root, e.g. src/app.py"},
            },
            "required": ["search", "replace", "file"],
        },
    },
}

TOOLS = [SHELL_TOOL, PATCH_TOOL]

#: Commands counted in stats.json, the same set nano counts so the files compare.
MONITORED_COMMANDS = frozenset({
    "rg", "grep", "find", "ls", "cat", "head", "tail", "sed", "awk", "echo", "cd", "pwd", "mkdir", "rm",
    "mv", "cp", "touch", "python", "pip", "npm", "git", "curl", "wget", "diff", "wc",
})

SKIPPED_REPLY = SKIPPED
TOOL_LIMIT_REPLY = TOOL_LIMIT_REACHED
TIME_LIMIT_REPLY = TIME_LIMIT_REACHED


@dataclass
class ToolOutcome:
    output: str
    state: ToolState
    #: For a patch that changed the tree: the file and that patch's own diff.
    file: str | None = None
    diff: str = ""
    #: For a command: what it printed as kept (about a MiB at most), and how many bytes in all.
    printed: str | None = None
    printed_bytes: int | None = None


class ToolStats:
    """Per-tool call counts, success rates and shell command counts, flattened like nano's stats.json."""

    def __init__(self) -> None:
        self.calls = {"shell": 0, "apply_patch": 0}
        self.successes = {"shell": 0, "apply_patch": 0}
        self.commands = Counter(dict.fromkeys(MONITORED_COMMANDS, 0))

    def record(self, tool: str, success: bool, cmd: str | None = None) -> None:
        self.calls[tool] += 1
        self.successes[tool] += int(success)
        if cmd is not None:
            # only the first words: a looping model can repeat one command hundreds of times in a line
            for word in cmd.split(" ")[:10]:
                name = word.split("/")[-1].rstrip("0123456789.")
                if name in MONITORED_COMMANDS:
                    self.commands[name] += 1

    def report(self) -> dict[str, int | float]:
        flat: dict[str, int | float] = {f"tool_calls_{tool}": n for tool, n in self.calls.items()}
        for tool, n in self.calls.items():
            flat[f"tool_success_rate_{tool}"] = self.successes[tool] / n if n else 0.0
        flat.update({f"shell_cmd_{name}": n for name, n in self.commands.items()})
        return flat


def shell(args: dict[str, Any], backend: Backend, stats: ToolStats, timeout: float,
          control: RunControl | None = None) -> ToolOutcome:
    """Run ``args["cmd"]`` where ``backend`` runs commands, answering in nano-agent 5.0.0's words."""
    if "cmd" not in args:
        return ToolOutcome("shell tool missing required 'cmd' parameter", "failed")
    cmd = args["cmd"]
    try:
        result = backend.run(str(cmd), timeout, control)
    except Stopped:
        raise
    except Exception as error:
        stats.record("shell", False, str(cmd))
        return ToolOutcome(f"shell execution failed: {error}", "failed")
    printed = result.output.text()
    output = printed.strip()
    success = result.returncode == 0
    stats.record("shell", success, str(cmd))
    if success:
        reply = output or "command succeeded"
    else:
        head = f"command failed with exit code {result.returncode}"
        reply = f"{head}. Error output:\n{output}" if output else head
    return ToolOutcome(reply, "ok" if success else "failed", printed=printed,
                       printed_bytes=result.output.total)


def apply_patch(args: dict[str, Any], workspace: Workspace, stats: ToolStats) -> ToolOutcome:
    """Replace the single occurrence of ``search`` in ``file``, keeping its encoding and line endings."""
    if not all(key in args for key in ("search", "replace", "file")):
        stats.record("apply_patch", False)
        return ToolOutcome("invalid `apply_patch` arguments", "failed")
    search, replace, file = str(args["search"]), str(args["replace"]), str(args["file"])

    def fail(output: str) -> ToolOutcome:
        stats.record("apply_patch", False)
        return ToolOutcome(output, "failed")

    try:
        target = workspace.inside(file)
        if target is None:
            in_git = (workspace.root / file).resolve().is_relative_to(workspace.root / ".git")
            return fail("Path must be inside the repository" + (", not in .git" if in_git else ""))
        if not target.exists():
            return fail(f"file {file} not found")
        raw = target.read_bytes()
        encoding = _encoding_of(raw)
        text = raw.decode(encoding)
        if search not in text and "\r\n" in text and "\n" in search and "\r\n" not in search:
            # the model writes \n; the file uses \r\n: match and write in the file's own convention
            search, replace = search.replace("\n", "\r\n"), replace.replace("\n", "\r\n")
        count = text.count(search)
        if count == 0:
            return fail("search string not found - try using grep to find the exact text")
        if count > 1:
            return fail(f"search ambiguous: {count} matches - add more context to make search unique")
        new_text = text.replace(search, replace, 1)
        replace_file(target, new_text.encode(encoding))
    except Exception as error:
        return fail(f"patch operation failed: {error}")
    stats.record("apply_patch", True)
    relative = target.relative_to(workspace.root).as_posix()
    return ToolOutcome("patch applied successfully", "ok", relative, unified_diff(relative, text, new_text))


def _encoding_of(raw: bytes) -> str:
    """UTF-8 (with its BOM if present) when the bytes decode, else Latin-1, which round-trips any bytes."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return "latin-1"
    return "utf-8"
