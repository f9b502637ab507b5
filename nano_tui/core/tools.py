"""The two tools the model may call, ``shell`` and ``apply_patch``, and their usage counters.

Each tool returns a :class:`ToolOutcome`: ``output`` is the text the model reads, with nano-agent 5.0.0's
exact wording, so runs stay comparable with nano's. The descriptions the model sees are our own.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

from nano_tui.core.control import RunControl, Stopped
from nano_tui.core.environment import scrubbed_environment
from nano_tui.core.events import ToolState
from nano_tui.core.workspace import Workspace, patch_diff
from nano_tui.trajectory.results import SKIPPED

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


@dataclass
class ToolOutcome:
    output: str
    state: ToolState
    #: For a patch that changed the tree: the file and that patch's own diff.
    file: str | None = None
    diff: str = ""


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


@dataclass
class ShellResult:
    output: str
    returncode: int


def run_command(cmd: str, root: os.PathLike[str] | str, timeout: float, control: RunControl | None = None
                ) -> ShellResult:
    """Run ``bash -rc cmd`` in its own process group with a scrubbed environment.

    On timeout, and when the run is stopped, the whole group is killed, so background children die too.
    Raises :class:`Stopped` when the run was stopped.
    """
    proc = subprocess.Popen(
        ["bash", "-rc", cmd], cwd=root, env=scrubbed_environment(), stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
    )
    chunks: list[bytes] = []
    reader = threading.Thread(target=lambda: chunks.extend(iter(lambda: proc.stdout.read1(65536), b"")),
                              daemon=True)
    reader.start()
    deadline = time.monotonic() + timeout
    timed_out = stopped = False
    while True:
        try:
            proc.wait(timeout=0.05)
            break
        except subprocess.TimeoutExpired:
            stopped = control is not None and control.stopped
            timed_out = time.monotonic() >= deadline
            if stopped or timed_out:
                _kill_group(proc)
                break
    # a grandchild that left the group may hold the pipe open: never wait on it for long
    reader.join(timeout=1.0)
    proc.stdout.close()
    if stopped:
        raise Stopped()
    if timed_out:
        return ShellResult(f"Command timed out after {timeout:g}s", 124)
    return ShellResult(b"".join(chunks).decode("utf-8", errors="ignore"), proc.returncode)


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def shell(args: dict[str, Any], workspace: Workspace, stats: ToolStats, timeout: float,
          control: RunControl | None = None) -> ToolOutcome:
    if "cmd" not in args:
        return ToolOutcome("shell tool missing required 'cmd' parameter", "failed")
    cmd = args["cmd"]
    try:
        result = run_command(str(cmd), workspace.root, timeout, control)
    except Stopped:
        raise
    except Exception as error:
        stats.record("shell", False, str(cmd))
        return ToolOutcome(f"shell execution failed: {error}", "failed")
    output = result.output.strip()
    success = result.returncode == 0
    stats.record("shell", success, str(cmd))
    if success:
        return ToolOutcome(output or "command succeeded", "ok")
    head = f"command failed with exit code {result.returncode}"
    return ToolOutcome(f"{head}. Error output:\n{output}" if output else head, "failed")


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
            return fail("Path must be inside the repository")
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
        target.write_bytes(new_text.encode(encoding))
    except Exception as error:
        return fail(f"patch operation failed: {error}")
    stats.record("apply_patch", True)
    relative = target.relative_to(workspace.root).as_posix()
    return ToolOutcome("patch applied successfully", "ok", relative, patch_diff(relative, text, new_text))


def _encoding_of(raw: bytes) -> str:
    """UTF-8 (with its BOM if present) when the bytes decode, else Latin-1, which round-trips any bytes."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return "latin-1"
    return "utf-8"
