"""What a tool answered, as inert text: failures, truncation and budget warnings marked."""

from __future__ import annotations

from rich.text import Text

from nano_tui.trajectory.model import ToolCall
from nano_tui.ui.inert import fold, inert
from nano_tui.ui.prerendered import Prepared
from nano_tui.ui.widgets.panel import Panel

STATUS_LABELS = {
    "ok": "✓ ok",
    "failed": "✗ failed",
    "skipped": "skipped by the user",
    "unknown": "status unknown",
    "running": "running…",
    "no result": "no result",
}


class ToolOutputPanel(Panel):
    DEFAULT_CSS = """
    ToolOutputPanel { border-subtitle-color: $success; }
    """

    stage = 3
    label = "tool output"

    def set_call(self, call: ToolCall, expanded: bool = False) -> None:
        status = _status(call)
        self.set_title("output", STATUS_LABELS.get(status, status))
        self.set_class(status == "failed", "-failed")
        self.set_class(status in ("no result", "skipped"), "-warning")
        self.show_built(*self._prepared(call, expanded), call.result or "")

    def warm_call(self, call: ToolCall, expanded: bool = False) -> None:
        self.warm(*self._prepared(call, expanded))

    def _prepared(self, call: ToolCall, expanded: bool) -> Prepared:
        status, warning = _status(call), self.app.current_theme.warning or "yellow"
        key = (call.result, call.output, call.warning, call.truncated, status, expanded, warning)
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
    if call.truncated:
        body.append("\n✂ cut here by the agent: the model saw no more of this output",
                    style=f"bold {warning}")
    if folded.hidden_lines:
        body.append(f"\n… {folded.hidden_lines:,} more lines folded — press o to expand", style="dim")
    elif folded.clipped_lines:
        body.append(f"\n… {folded.clipped_lines:,} long lines clipped — press o to expand", style="dim")
    return body
