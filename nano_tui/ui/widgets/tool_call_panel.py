"""One tool call as the model made it: a shell command, a patch, or whatever it sent."""

from __future__ import annotations

import json

from rich.console import Group, RenderableType
from rich.text import Text

from nano_tui.trajectory.model import ToolCall
from nano_tui.ui.highlight import code, patch_diff
from nano_tui.ui.inert import fold, inert
from nano_tui.ui.themes import CodeStyle
from nano_tui.ui.widgets.panel import Panel


def _duration(call: ToolCall) -> str:
    return f"{call.duration:.1f}s" if call.duration is not None else ""


class ToolCallPanel(Panel):
    DEFAULT_CSS = """
    ToolCallPanel { border: round $primary 50%; border-title-color: $primary; }
    """

    stage = 2
    label = "tool call"

    def set_call(self, call: ToolCall, style: CodeStyle, expanded: bool = False) -> None:
        title, body = self._describe(call, style, expanded)
        self.set_title(title, _duration(call))
        self.set_class(call.parse_error is not None or not call.known, "-warning")
        self.show((call.name, call.arguments_raw, call.duration, style, expanded), body, call.arguments_raw)

    def _describe(self, call: ToolCall, style: CodeStyle, expanded: bool) -> tuple[str, RenderableType]:
        args = call.arguments
        if call.parse_error is not None or args is None:
            return f"{call.name} · malformed arguments", Group(
                Text.assemble(("could not parse the arguments: ", "bold"), inert(call.parse_error or "")),
                inert(fold(call.arguments_raw, expanded).text),
            )
        if not call.known:
            pretty = json.dumps(args, indent=2, ensure_ascii=False)
            return f"unknown tool · {call.name}", Group(
                Text("the agent offers no tool by this name", style="italic"),
                code(fold(pretty, expanded).text, "json", style),
            )
        if call.name == "shell" and isinstance(args.get("cmd"), str):
            return "shell", code(fold(args["cmd"], expanded).text, "bash", style)
        fields = (args.get("search"), args.get("replace"), args.get("file"))
        if call.name == "apply_patch" and all(isinstance(value, str) for value in fields):
            search, replace, file = fields
            diff = patch_diff(search, replace, file)
            return f"apply_patch · {file}", code(fold(diff, expanded).text, "diff", style)
        pretty = json.dumps(args, indent=2, ensure_ascii=False)
        return f"{call.name} · unexpected arguments", code(fold(pretty, expanded).text, "json", style)
