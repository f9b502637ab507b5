"""Generated nano-agent run folders for benchmarks: one long log, or many small runs.

The logs have nano-agent 5.0.0's shape (sorted keys, litellm's assistant message keys, plain-era
tool results with truncation markers and budget warnings), filled with deterministic pseudo-text.
"""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

_WORDS = ("the", "file", "function", "returns", "value", "test", "error", "patch", "line", "module",
          "check", "call", "output", "import", "class", "self", "result", "fix", "bug", "add")
_TOOLS = [{"function": {"name": "shell"}, "type": "function"},
          {"function": {"name": "apply_patch"}, "type": "function"}]


def _text(rng: random.Random, chars: int) -> str:
    words: list[str] = []
    size = 0
    while size < chars:
        word = rng.choice(_WORDS)
        words.append(word + ("\n" if rng.random() < 0.08 else " "))
        size += len(word) + 1
    return "".join(words)


def _assistant(rng: random.Random, turn: int, reasoning: int, calls: int) -> dict[str, Any]:
    tool_calls = []
    for n in range(calls):
        if n % 2:
            arguments = {"file": f"src/mod_{turn % 7}.py", "search": _text(rng, 200),
                         "replace": _text(rng, 220)}
            name = "apply_patch"
        else:
            arguments = {"cmd": f"grep -n '{rng.choice(_WORDS)}' src/mod_{turn % 7}.py"}
            name = "shell"
        tool_calls.append({"function": {"arguments": json.dumps(arguments), "name": name},
                           "id": f"call_{turn}_{n}", "type": "function"})
    return {"content": _text(rng, 300), "function_call": None,
            "provider_specific_fields": {"refusal": None}, "reasoning_content": _text(rng, reasoning),
            "role": "assistant", "tool_calls": tool_calls or None}


def _tool(rng: random.Random, call: dict[str, Any], turn: int) -> dict[str, Any]:
    if call["function"]["name"] == "apply_patch":
        output = "patch applied successfully" if rng.random() < 0.8 else "search string not found"
    else:
        output = _text(rng, 2000) + "... output truncated"
    if turn % 50 == 49:
        output = "3 tools left. Prioritize essential changes.\n" + output
    return {"content": output, "role": "tool", "tool_call_id": call["id"]}


def write_run(folder: Path, turns: int, *, reasoning: int = 300, calls: int = 1, seed: int = 0,
              model: str = "openai/gpt-4.1-mini") -> Path:
    """A complete run folder with ``turns`` assistant turns (the last one a final answer)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "messages.jsonl").open("w", encoding="utf-8") as out:
        def write(message: dict[str, Any]) -> None:
            out.write(json.dumps(message, ensure_ascii=False, sort_keys=True) + "\n")

        write({"content": "You are a careful coding agent. " + _text(rng, 2000), "role": "system"})
        write({"content": f"Fix the failing test number {seed}.\n" + _text(rng, 200), "role": "user"})
        for turn in range(1, turns):
            message = _assistant(rng, turn, reasoning, calls)
            write(message)
            for call in message["tool_calls"]:
                write(_tool(rng, call, turn))
        write({"content": "Done: the test passes now.", "function_call": None, "role": "assistant",
               "tool_calls": None})
    (folder / "tools.json").write_text(json.dumps(_TOOLS, indent=4, sort_keys=True))
    (folder / "metadata.json").write_text(json.dumps({"model": model, "api_base": None, "temperature": 0.7}))
    (folder / "diff.txt").write_text("--- a/src/mod_1.py\n+++ b/src/mod_1.py\n@@ -1 +1 @@\n-a\n+b\n")
    return folder


def write_big_log(folder: Path, turns: int = 2000) -> Path:
    """A ~30 MB run of ``turns`` turns (each: long reasoning, a command and a patch) under ``folder``."""
    return write_run(folder / "2025-01-01T00:00:00-0b16b16b", turns, reasoning=11500, calls=2, seed=1)


def write_small_log(folder: Path, turns: int = 10) -> Path:
    """A run with the same turn shape as :func:`write_big_log`, only ``turns`` long."""
    return write_run(folder / "2025-01-01T00:00:00-05a11005", turns, reasoning=11500, calls=2, seed=1)


def write_many_runs(root: Path, count: int = 1000, turns: int = 10) -> Path:
    """``count`` small run folders named as nano names them, one minute apart."""
    start = datetime(2025, 1, 1)
    for n in range(count):
        stamp = (start + timedelta(minutes=n)).isoformat(timespec="seconds")
        write_run(root / f"{stamp}-{n:08x}", turns, seed=n)
    return root
