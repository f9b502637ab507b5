"""One tool call as the model made it: a shell command, a patch, or whatever it sent."""

from __future__ import annotations

import json

from rich.console import Group, RenderableType
from rich.text import Text

from nano_tui.trajectory.model import ToolCall
from nano_tui.trajectory.patches import rebuild_patch_diff, without_positions
from nano_tui.ui.highlight import code, patch_code
from nano_tui.ui.inert import fold, inert
from nano_tui.ui.panels.base import CALL, Panel
from nano_tui.ui.panels.body import Prepared
from nano_tui.ui.themes import CodeStyle


def _duration(call: ToolCall) -> str:
    return f"{call.duration:.1f}s" if call.duration is not None else ""


class ToolCallPanel(Panel):
    stage = CALL
    label = "tool call"
    tone = "call"

    def __init__(self, number: int) -> None:
        super().__init__(f"call {number}")

    def set_call(self, call: ToolCall, style: CodeStyle, expanded: bool = False) -> None:
        self.set_title(call_title(call), _duration(call))
        self.state = "warning" if call.parse_error is not None or not call.known else None
        self.show_built(*self.prepare(call, style, expanded), call.arguments_raw)

    @staticmethod
    def prepare(call: ToolCall, style: CodeStyle, expanded: bool = False) -> Prepared:
        key = (call.name, call.arguments_raw, call.known, style, expanded)
        return key, lambda: call_body(call, style, expanded)


def _arriving(call: ToolCall) -> bool:
    """A call still streaming whose arguments do not read as an object yet (not malformed)."""
    return call.arguments is None and call.parse_error is None


def call_title(call: ToolCall) -> str:
    args = call.arguments
    if _arriving(call):
        return f"{call.name or 'tool call'} · arguments arriving…"
    if call.parse_error is not None or args is None:
        return f"{call.name} · malformed arguments"
    if not call.known:
        return f"unknown tool · {call.name}"
    if call.command is not None:
        return call.name
    if call.patch is not None:
        return f"apply_patch · {call.patch.file}"
    return f"{call.name} · unexpected arguments"


def call_body(call: ToolCall, style: CodeStyle, expanded: bool) -> RenderableType:
    """The call's arguments as the model sent them, highlighted by what they are."""
    args = call.arguments
    if _arriving(call):
        return inert(fold(call.arguments_raw, expanded).text, style="dim")
    if call.parse_error is not None or args is None:
        return Group(
            Text.assemble(("could not parse the arguments: ", "bold"), inert(call.parse_error or "")),
            inert(fold(call.arguments_raw, expanded).text),
        )
    if not call.known:
        pretty = json.dumps(args, indent=2, ensure_ascii=False)
        return Group(
            Text("the agent offers no tool by this name", style="italic"),
            code(fold(pretty, expanded).text, "json", style),
        )
    if call.command is not None:
        return code(fold(call.command, expanded).text, "bash", style)
    patch = call.patch
    if patch is not None:
        diff = without_positions(rebuild_patch_diff(patch))  # a search text has no position
        return patch_code(fold(diff, expanded).text, patch.file, style)
    pretty = json.dumps(args, indent=2, ensure_ascii=False)
    return code(fold(pretty, expanded).text, "json", style)
