"""What the model was sent for the turn on screen: every message of its request, the part that is new
since the request before marked, the system prompt and the tool list folded (``o`` unfolds)."""

from __future__ import annotations

import json
from typing import Any, ClassVar

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from nano_tui.trajectory.context import Request, new_text, size_text
from nano_tui.ui.inert import first_line, fold, inert
from nano_tui.ui.presenter import tool_list


def _content(message: dict[str, Any]) -> str:
    """A message's text as the model read it: its content, then the calls an assistant made."""
    content = message.get("content")
    text = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False) if content else ""
    for call in message.get("tool_calls") or []:
        function = call.get("function") if isinstance(call, dict) else None
        if isinstance(function, dict):
            text += f"\n→ {function.get('name')}({function.get('arguments', '')})"
    return text.strip("\n")


class ContextScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    ContextScreen { align: center middle; background: $background 60%; }
    ContextScreen > VerticalScroll {
        width: 94%; height: 92%; border: round $primary; background: $surface; padding: 0 1;
    }
    ContextScreen > VerticalScroll > Static { margin: 0 0 1 0; }
    ContextScreen > .context--role { color: $primary; text-style: bold; }
    ContextScreen > .context--new { color: $accent; text-style: bold; }
    ContextScreen > .context--old { color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,c,q", "dismiss", "Close"),
        Binding("o", "unfold", "Unfold", tooltip="unfold the system prompt, the tools and long messages"),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {"context--role", "context--new", "context--old"}

    def __init__(self, request: Request) -> None:
        super().__init__()
        self.request = request
        self.unfolded = False

    def compose(self) -> ComposeResult:
        request = self.request
        with VerticalScroll() as scroll:
            scroll.border_title = Content(f"turn {request.turn} · what the model was sent · "
                                          f"{size_text(request)}")
            scroll.border_subtitle = Content("o unfold · Esc close")
            yield Static(Text(f"New since the last request ({request.new} message"
                              f"{'s' if request.new != 1 else ''}, marked): {new_text(request)}.",
                              style="bold"), id="summary")
            yield Static(id="messages")

    def on_mount(self) -> None:
        self._fill()

    def action_unfold(self) -> None:
        self.unfolded = not self.unfolded
        self._fill()

    def _fill(self) -> None:
        """One Static for every message (a long run sends thousands): one text, styled by part."""
        request, expanded = self.request, self.unfolded
        role_style = self.get_component_rich_style("context--role", partial=True)
        new_style = self.get_component_rich_style("context--new", partial=True)
        # whole, so that the muted colour is blended (a partial style drops its transparency); then
        # only that colour, on the view's own background
        old_style = str(Style(color=self.get_component_rich_style("context--old").color))
        text = Text()
        tools = tool_list(request.tools)
        text.append(f"tools offered ({len(request.tools)})", role_style)
        text.append("\n")
        text.append(inert(tools if expanded else first_line(tools) + (" …" if "\n" in tools else "")))
        for number, message in enumerate(request.messages):
            new = number >= request.new_from
            role = str(message.get("role", "?"))
            if message.get("tool_call_id"):
                role += f" · result of {message['tool_call_id']}"
            body = _content(message)
            if role == "system" and not expanded and "\n" in body:
                body = first_line(body) + f" … ({body.count(chr(10)) + 1} lines; o unfolds)"
            text.append("\n\n")
            text.append(f"{'▌ NEW ' if new else ''}{number + 1}. {role}", new_style if new else role_style)
            text.append("\n")
            folded = fold(body, expanded)
            text.append(inert(folded.text, "" if new else old_style))
            if folded.folded:
                text.append("\n… folded (o unfolds)", style="dim")
        self.query_one("#messages", Static).update(text)
