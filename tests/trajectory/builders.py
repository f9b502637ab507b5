"""Writes run folders the way each nano-agent version did (NANO_FORMAT.md), for the loader tests."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from nano_tui.contract import SIDECAR
from nano_tui.core import events

Era = Literal["0.3", "2.0", "3.4", "5.0"]

_OK_PATCH = {"0.3": "[patch applied successfully]", "2.0": "[patch applied successfully]",
             "3.4": "<nano:feedback>patch applied successfully</nano:feedback>",
             "5.0": "patch applied successfully"}
_NOT_FOUND = {"0.3": "[search string not found]", "2.0": "[search string not found]",
              "3.4": "<nano:feedback>search string not found - try using grep to find the exact text"
                     "</nano:feedback>",
              "5.0": "search string not found - try using grep to find the exact text"}
_WARNING = {"0.3": "[SYSTEM WARNING: Only 3 tool calls remaining. Finish your task soon!]\n",
            "2.0": "[SYSTEM NOTE: Only 3 tool calls remaining. Please finish soon.]\n",
            "3.4": "<nano:warning>3 tools left. Prioritize essential changes.</nano:warning>",
            "5.0": "3 tools left. Prioritize essential changes.\n"}
_TRUNCATED = {"0.3": "\n[output truncated]", "2.0": "\n[output truncated]",
              "3.4": "<nano:feedback>output truncated</nano:feedback>", "5.0": "... output truncated"}
_NUDGE = {"0.3": "Use shell to explore.", "2.0": "Use shell to explore.",
          "3.4": "<nano:warning>Use shell to explore or apply_patch to make changes. Do not stop working."
                 "</nano:warning>",
          "5.0": "Use shell to explore or apply_patch to make changes. Do not stop working."}


def shell_failure(era: Era, output: str) -> str:
    if era in ("0.3", "2.0"):
        return f"[command failed: exit 1]\n{output}"
    if era == "3.4":
        return f"<nano:feedback>command failed with exit code 1. Error output:</nano:feedback>\n{output}"
    return f"command failed with exit code 1. Error output:\n{output}"


@dataclass
class Call:
    name: str
    arguments: dict[str, Any] | str
    call_id: str

    @property
    def raw(self) -> str:
        return self.arguments if isinstance(self.arguments, str) else json.dumps(self.arguments)


@dataclass
class RunBuilder:
    """Append messages with the helpers, then :meth:`write` the folder."""

    era: Era = "5.0"
    task: str = "Fix add() in app.py"
    system: str = "You are a coding agent."
    messages: list[dict[str, Any]] = field(default_factory=list)
    tool_log: list[dict[str, Any]] = field(default_factory=list)
    _ids: int = 0

    def __post_init__(self) -> None:
        self.messages += [{"content": self.system, "role": "system"}, {"content": self.task, "role": "user"}]

    def call(self, name: str, arguments: dict[str, Any] | str) -> Call:
        self._ids += 1
        return Call(name, arguments, f"call_{self._ids}")

    def assistant(self, content: str | None = None, calls: list[Call] = (), **extra: Any) -> None:
        message = {"content": content, "function_call": None, "role": "assistant",
                   "tool_calls": [{"function": {"arguments": c.raw, "name": c.name}, "id": c.call_id,
                                   "type": "function"} for c in calls] or None, **extra}
        if self.era == "5.0":
            message.setdefault("provider_specific_fields", {"refusal": None})
        self.messages.append(message)

    def tool(self, call: Call, output: str, *, warning: bool = False, truncated: bool = False,
             success: bool = True) -> str:
        content = (_WARNING[self.era] if warning else "") + output
        content += _TRUNCATED[self.era] if truncated else ""
        self.messages.append({"content": content, "role": "tool", "tool_call_id": call.call_id})
        self.tool_log.append({"arguments": call.raw, "function_name": call.name, "output": output,
                              "success": success, "tool_call_id": call.call_id, "truncated": truncated})
        return content

    def patch_ok(self, call: Call) -> str:
        return self.tool(call, _OK_PATCH[self.era])

    def patch_not_found(self, call: Call) -> str:
        return self.tool(call, _NOT_FOUND[self.era], success=False)

    def nudge(self) -> None:
        self.messages.append({"content": _NUDGE[self.era], "role": "user"})

    def write(self, home: Path, *, stamp: str = "2025-06-01T10:00:00", diff: str | None = None,
              crashed: bool = False) -> Path:
        name = stamp if self.era == "0.3" else f"{stamp}-0badc0de"
        folder = home / ".nano" / name
        folder.mkdir(parents=True)
        lines = [json.dumps(m, ensure_ascii=False, sort_keys=True) + "\n" for m in self.messages]
        (folder / "messages.jsonl").write_text("".join(lines), encoding="utf-8")
        tools = [{"function": {"name": name}, "type": "function"} for name in ("shell", "apply_patch")]
        (folder / "tools.json").write_text(json.dumps(tools, indent=4, sort_keys=True))
        (folder / "metadata.json").write_text(json.dumps({"model": "openai/test-model", "api_base": None,
                                                          "temperature": 0.7}, indent=4))
        final = "" if crashed else (diff if diff is not None else _DIFF)
        (folder / "diff.txt").write_text(final)
        if self.era == "2.0":
            (folder / "tool_log.jsonl").write_text(
                "".join(json.dumps(e, sort_keys=True) + "\n" for e in self.tool_log))
        if self.era in ("3.4", "5.0") and not crashed:
            (folder / "stats.json").write_text(json.dumps({"tool_calls_shell": 1}, indent=2))
        return folder


_DIFF = "diff --git a/app.py b/app.py\n--- a/app.py\n+++ b/app.py\n@@ -1,2 +1,2 @@\n def add(a, b):\n" \
        "-    return a - b\n+    return a + b\n"


def typical_run(era: Era) -> RunBuilder:
    """Thinking, a command, a failing command with a warning, a failed and a good patch, a final answer."""
    run = RunBuilder(era)
    ls, cat = run.call("shell", {"cmd": "ls"}), run.call("shell", {"cmd": "cat missing.py"})
    run.assistant("<think>Where is add?</think>Let me look.", [ls, cat])
    run.tool(ls, "app.py\nREADME.md")
    run.tool(cat, shell_failure(era, "cat: missing.py: No such file"), warning=True, success=False)
    bad = run.call("apply_patch", {"search": "a * b", "replace": "a + b", "file": "app.py"})
    run.assistant(None, [bad], reasoning_content="The operator is wrong.")
    run.patch_not_found(bad)
    good = run.call("apply_patch", {"search": "return a - b", "replace": "return a + b", "file": "app.py"})
    run.assistant("Fixing the operator.", [good])
    run.patch_ok(good)
    big = run.call("shell", {"cmd": "seq 1000"})
    run.assistant(None, [big])
    run.tool(big, "\n".join(str(n) for n in range(1, 400)), truncated=True)
    run.assistant("The bug is fixed.")
    return run


PATCH_DIFF = "--- a/app.py\n+++ b/app.py\n@@ -2 +2 @@\n-    return a - b\n+    return a + b\n"


def sidecar_records(run_dir: Path) -> list[dict]:
    """What the loop would have recorded for :func:`typical_run`."""
    evs = [
        events.RunStarted("Fix add() in app.py", "/repo", "abc123", "openai/test-model", str(run_dir),
                          {"tool_limit": 50}, {"temperature": 0.7, "api_base": "http://127.0.0.1:1/v1"}),
        events.ToolFinished(1, "call_1", "shell", "app.py\nREADME.md", "failed", 0.25),
        events.ToolFinished(3, "call_4", "apply_patch", "patch applied successfully", "ok", 0.01),
        events.PatchApplied(3, "call_4", "app.py", PATCH_DIFF),
        events.TurnEnded(1, 2.5, {"prompt_tokens": 100, "completion_tokens": 20}),
        events.RunEnded("finished", "the final diff\n", str(run_dir)),
    ]
    return [events.to_record(e, 1_700_000_000.0 + n) for n, e in enumerate(evs)]


def write_sidecar(folder: Path) -> Path:
    """Add the sidecar of :func:`sidecar_records` to a :func:`typical_run` folder."""
    with (folder / SIDECAR).open("w") as out:
        out.writelines(json.dumps(record) + "\n" for record in sidecar_records(folder))
    return folder
