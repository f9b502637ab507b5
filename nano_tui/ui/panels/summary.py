"""How a live run ended, in numbers, and the command that reopens it."""

from __future__ import annotations

from collections import defaultdict

from rich.text import Text

from nano_tui.invocation import command
from nano_tui.ui.live_feed import RunStatus
from nano_tui.ui.panels.base import Panel
from nano_tui.ui.widgets.status_line import clock

ENDINGS = {
    "finished": "The run finished: the model gave its final answer.",
    "tool limit": "The run ended: the tool-call budget is spent.",
    "token limit": "The run ended: the token budget is spent.",
    "time limit": "The run ended: the time limit was reached.",
    "stopped": "The run was stopped.",
    "error": "The run failed.",
}


def tool_rates(status: RunStatus) -> list[str]:
    """One phrase per tool, e.g. "shell 3/4 ok (75%), 1 failed"."""
    by_tool: dict[str, dict[str, int]] = defaultdict(dict)
    for (name, state), count in sorted(status.outcomes.items()):
        by_tool[name][state] = count
    phrases = []
    for name, states in by_tool.items():
        total = sum(states.values())
        ok = states.get("ok", 0)
        phrase = f"{name or '?'} {ok}/{total} ok ({ok / total:.0%})"
        for state in ("failed", "skipped"):
            if states.get(state):
                phrase += f", {states[state]} {state}"
        phrases.append(phrase)
    return phrases


def replay_command(run_dir: str) -> str:
    return command("replay", run_dir)


class SummaryPanel(Panel):
    stage = 1
    label = "summary"
    tone = "success"

    def set_status(self, status: RunStatus, turns: int) -> None:
        reason = status.end_reason or "finished"
        self.state = "error" if reason == "error" else "stopped" if reason == "stopped" else None
        self.set_title("summary", reason)
        text = Text()
        text.append(ENDINGS.get(reason, f"The run ended: {reason}."), style="bold")
        calls = sum(status.outcomes.values())
        text.append(f"\nturns {max(turns - 1, 0)}  ·  tool calls {calls}")
        rates = tool_rates(status)
        if rates:
            text.append(f": {', '.join(rates)}")
        if status.tokens is not None:
            text.append(f"  ·  tokens {status.tokens:,}")
            if status.token_limit:
                text.append(f" of {status.token_limit:,}")
        text.append(f"  ·  time {clock(status.elapsed())}")
        paused = status.paused_time()
        if paused >= 1:
            text.append(f" (and {clock(paused)} paused in step mode, not counted)")
        if status.diff.strip():
            files = sum(1 for line in status.diff.splitlines() if line.startswith("diff --git"))
            text.append(f"\nchanged {files} file{'s' if files != 1 else ''}: the final diff is below "
                        "(d: this turn's diff)")
        else:
            text.append("\nno changes to the repository")
        if status.run_dir:
            text.append("\nlog folder  ")
            text.append(status.run_dir)
            text.append("\nreopen it   ")
            text.append(replay_command(status.run_dir), style="bold")
        else:
            text.append("\nnot logged (--no-log): this run cannot be replayed")
        self.show(text.plain, text, text.plain)
