"""The model's reasoning: quieter than the answer, a few lines until opened with a click, Enter or o."""

from __future__ import annotations

from rich.text import Text

from nano_tui.ui.inert import fold, visible
from nano_tui.ui.panels.base import THINKING, Panel
from nano_tui.ui.panels.body import Prepared

#: Reasoning runs to pages; a closed panel shows its start and leaves room for the call and output.
COLLAPSED_LINES = 6


def thinking_body(raw: str, collapsed: bool, expanded: bool) -> Text:
    folded = fold(raw, expanded)
    lines = folded.text.split("\n")
    hidden = folded.hidden_lines
    if collapsed and len(lines) > COLLAPSED_LINES:
        hidden += len(lines) - COLLAPSED_LINES
        lines = lines[:COLLAPSED_LINES]
    text = Text(visible("\n".join(lines)))
    if hidden:
        text.append(f"\n… {hidden:,} more lines", style="not italic dim")
    return text


class ThinkingPanel(Panel):
    stage = THINKING
    label = "thinking"
    tone = "thinking"
    body_tone = "thinking"

    def __init__(self) -> None:
        super().__init__()
        #: Closed by default; opening it (click, Enter) keeps it open on the following turns.
        self.collapsed = True
        self._blocks: list[str] = []
        self.expanded = False

    def set_blocks(self, blocks: list[str], expanded: bool = False) -> None:
        self._blocks = blocks
        self.expanded = expanded
        self._refresh_body()

    def toggle(self) -> bool:
        self.collapsed = not self.collapsed
        self._refresh_body()
        return True

    def prepare(self, blocks: list[str], expanded: bool = False) -> Prepared:
        raw = "\n\n".join(blocks)
        collapsed = self.collapsed and not expanded
        return (raw, collapsed, expanded), lambda: thinking_body(raw, collapsed, expanded)

    def _refresh_body(self) -> None:
        raw = "\n\n".join(self._blocks)
        long = raw.count("\n") >= COLLAPSED_LINES
        if self.expanded:
            subtitle = ""
        elif self.collapsed:
            subtitle = "click or o to expand" if long else ""
        else:
            subtitle = "click to collapse" if long else ""
        self.set_title("thinking", subtitle)
        self.show_built(*self.prepare(self._blocks, self.expanded), raw)
