"""How a run ended, in numbers, and the command that reopens it: the same panel atop the last turn
whether the run just finished live or was replayed from its log (a figure the log does not hold is
left out, never made up)."""

from __future__ import annotations

from collections import defaultdict

from rich.text import Text

from nano_tui.trajectory import RunInfo, Trajectory
from nano_tui.ui.inert import first_line, visible
from nano_tui.ui.panels.base import DIFF, Panel

ENDINGS = {
    "finished": "The run finished: the model gave its final answer.",
    "tool limit": "The run ended: the tool-call budget is spent.",
    "token limit": "The run ended: the token budget is spent.",
    "time limit": "The run ended: the time limit was reached.",
    "stopped": "The run was stopped.",
    "error": "The run failed.",
}
#: nano-agent's own logs record no reason, only whether the final diff was written.
UNKNOWN_ENDINGS = {
    True: "The run ended normally (nano-agent records no reason).",
    False: "The run did not end normally: no final diff was written (it crashed or was stopped).",
}


def clock(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


def tool_rates(trajectory: Trajectory) -> tuple[int, list[str]]:
    """The calls answered and one phrase per tool, e.g. "shell 3/4 ok (75%), 1 failed"."""
    by_tool: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for turn in trajectory.stream():
        for call in turn.tool_calls:
            if call.result is not None:
                by_tool[call.name][call.status] += 1
    phrases = []
    for name, states in sorted(by_tool.items()):
        total = sum(states.values())
        ok = states.get("ok", 0)
        phrase = f"{first_line(name, 40) or '?'} {ok}/{total} ok ({ok / total:.0%})"
        for state in ("failed", "skipped"):
            if states.get(state):
                phrase += f", {states[state]} {state}"
        phrases.append(phrase)
    return sum(sum(states.values()) for states in by_tool.values()), phrases


def replay_command(run_dir: str) -> str:
    from nano_tui.invocation import command  # only once a run has ended: not part of opening one

    return command("replay", run_dir)


def has_ended(trajectory: Trajectory) -> bool:
    info = trajectory.info
    return info.end_reason is not None or info.ended_normally is not None


def summary_text(trajectory: Trajectory) -> Text:
    """The summary of a run that has ended (see :func:`has_ended`)."""
    info = trajectory.info
    reason = info.end_reason
    text = Text()
    text.append(ENDINGS.get(reason, f"The run ended: {reason}.") if reason
                else UNKNOWN_ENDINGS[bool(info.ended_normally)], style="bold")
    calls, rates = tool_rates(trajectory)
    text.append(f"\nturns {max(len(trajectory) - 1, 0)}  ·  tool calls {calls}")
    if rates:
        text.append(f": {', '.join(rates)}")
    if info.context_tokens is not None:
        limit = info.limits.get("token_limit")
        text.append(f"  ·  tokens {info.context_tokens:,}")
        if isinstance(limit, int):
            text.append(f" of {limit:,}")
    worked = info.agent_time()
    if worked is not None:
        text.append(f"  ·  time {clock(worked)}")
        if info.paused >= 1:
            text.append(f" (and {clock(info.paused)} paused in step mode, not counted)")
    if info.final_diff.strip():
        files = sum(1 for line in info.final_diff.splitlines() if line.startswith("diff --git"))
        text.append(f"\nchanged {files} file{'s' if files != 1 else ''}: the final diff is below "
                    "(d: this turn's diff)")
    elif reason is not None or info.ended_normally:
        text.append("\nno changes to the repository")
    if info.error:
        text.append(f"\nerror: {first_line(info.error, 300)}")
    if info.path is not None and info.source != "mini-swe-agent":
        text.append("\nlog folder  ")
        text.append(visible(str(info.path)))
        text.append("\nreopen it   ")
        text.append(visible(replay_command(str(info.path))), style="bold")
    elif info.source == "live":
        text.append("\nnot logged (--no-log): this run cannot be replayed")
    return text


class SummaryPanel(Panel):
    #: Atop the last turn, but revealed last by autoplay: the run's end comes after its answer.
    stage = DIFF
    label = "summary"
    tone = "success"

    def set_summary(self, info: RunInfo, text: Text) -> None:
        reason = info.end_reason
        failed = reason == "error" or (reason is None and info.ended_normally is False)
        self.state = "error" if failed else "stopped" if reason == "stopped" else None
        self.set_title("summary", reason or ("ended normally" if info.ended_normally else "crashed"))
        self.show(text.plain, text, text.plain)
