"""The model's reasoning: quieter than the answer, collapsible with a click or Enter."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.reactive import var

from nano_tui.ui.inert import fold, visible
from nano_tui.ui.widgets.panel import Panel

COLLAPSED_LINES = 3


class ThinkingPanel(Panel):
    DEFAULT_CSS = """
    ThinkingPanel {
        color: $text-muted;
        text-style: italic;
        border: round $foreground 15%;
        border-title-color: $text-muted;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "toggle", "Collapse/expand", show=False)]

    stage = 1
    label = "thinking"
    collapsed = var(False)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._blocks: list[str] = []
        self.expanded = False

    def set_blocks(self, blocks: list[str], expanded: bool = False) -> None:
        self._blocks = blocks
        self.expanded = expanded
        self._refresh_body()

    def _refresh_body(self) -> None:
        raw = "\n\n".join(self._blocks)
        folded = fold(raw, self.expanded)
        lines = folded.text.split("\n")
        hidden = folded.hidden_lines
        if self.collapsed and len(lines) > COLLAPSED_LINES:
            hidden += len(lines) - COLLAPSED_LINES
            lines = lines[:COLLAPSED_LINES]
        text = Text(visible("\n".join(lines)))
        if hidden:
            text.append(f"\n… {hidden:,} more lines", style="not italic dim")
        self.set_title("thinking", "collapsed · click to expand" if self.collapsed else "")
        self.show((raw, self.collapsed, self.expanded), text, raw)

    def watch_collapsed(self) -> None:
        self._refresh_body()

    def action_toggle(self) -> None:
        self.collapsed = not self.collapsed

    def on_click(self) -> None:
        self.action_toggle()
