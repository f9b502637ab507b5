"""What a tool answered, as inert text: failures, truncation and budget warnings marked."""

from __future__ import annotations

from rich.text import Text

from nano_tui.trajectory.model import ToolCall
from nano_tui.ui.inert import fold, inert
from nano_tui.ui.panels.base import OUTPUT, Panel
from nano_tui.ui.panels.body import Prepared

STATUS_LABELS = {
    "ok": "✓ ok",
    "failed": "✗ failed",
    "skipped": "skipped by the user",
    "unknown": "status unknown",
    "running": "running…",
    "no result": "no result",
}


class ToolOutputPanel(Panel):
    stage = OUTPUT
    label = "tool output"
    tone = "output"

    def __init__(self, number: int) -> None:
        super().__init__(f"output {number}")

    def set_call(self, call: ToolCall, warning: str, expanded: bool = False, printed: bool = False) -> None:
        """``warning`` is the theme's warning colour, for the budget and truncation marks; ``printed``
        shows what the command printed instead of what the model saw, where the two differ."""
        status = _status(call)
        printed = printed and call.printed is not None
        self.set_title("what the command printed" if printed else "output", STATUS_LABELS.get(status, status))
        self.state = ("failed" if status == "failed"
                      else "warning" if status in ("no result", "skipped") else None)
        self.show_built(*self.prepare(call, warning, expanded, printed),
                        (call.printed if printed else call.result) or "")

    @staticmethod
    def prepare(call: ToolCall, warning: str, expanded: bool = False, printed: bool = False) -> Prepared:
        status = _status(call)
        printed = printed and call.printed is not None
        key = (call.result, call.output, call.warning, call.truncated, status, expanded, warning, printed,
               call.printed_bytes)
        if printed:
            return key, lambda: printed_body(call, expanded)
        return key, lambda: output_body(call, status, expanded, warning)


def _status(call: ToolCall) -> str:
    return call.status if call.result is not None or call.status == "running" else "no result"


def output_body(call: ToolCall, status: str, expanded: bool, warning: str) -> Text:
    body = Text()
    if status == "no result":
        body.append("The run ended before this call was answered.", style="italic")
        return body
    if status == "running":
        body.append("running…", style="italic")
    if call.warning:
        body.append("⚠ budget: ", style=f"bold {warning}")
        body.append_text(inert(call.warning.strip(), style=warning))
        body.append("\n")
    folded = fold(call.output, expanded)
    body.append_text(inert(folded.text))
    if folded.hidden_lines:
        body.append(f"\n… {folded.hidden_lines:,} more lines the model saw are folded here — "
                    "press o to expand", style="dim")
    elif folded.clipped_lines:
        body.append(f"\n… {folded.clipped_lines:,} long lines clipped — press o to expand", style="dim")
    if call.truncated:
        where = f"after line {call.output.count(chr(10)) + 1:,}" if folded.hidden_lines else "here"
        body.append(f"\n✂ the agent cut the output {where}: the model saw no more of it",
                    style=f"bold {warning}")
        if call.printed is not None:
            body.append(f"\nthe model saw {len(call.output):,} characters of the {_printed(call)} the "
                        "command printed — O shows them all", style="dim")
    return body


def printed_body(call: ToolCall, expanded: bool) -> Text:
    """What the command printed, as nano-tui kept it (O again shows what the model saw)."""
    folded = fold(call.printed or "", expanded)
    body = inert(folded.text)
    if folded.hidden_lines:
        body.append(f"\n… {folded.hidden_lines:,} more lines folded here — press o to expand", style="dim")
    body.append(f"\n{_printed(call)} printed in all · O: what the model saw", style="dim")
    return body


def _printed(call: ToolCall) -> str:
    return f"{call.printed_bytes:,} bytes" if call.printed_bytes is not None else "output"
