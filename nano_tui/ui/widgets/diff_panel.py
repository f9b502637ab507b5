"""This turn's diff, or everything the run changed up to it."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text

from nano_tui.ui.highlight import code
from nano_tui.ui.inert import fold
from nano_tui.ui.themes import CodeStyle
from nano_tui.ui.widgets.panel import Panel

DIFF_LINES = 200


class DiffPanel(Panel):
    DEFAULT_CSS = """
    DiffPanel { border: round $accent 60%; border-title-color: $accent; }
    """

    stage = 4
    label = "diff"

    def set_diff(self, diff: str, title: str, style: CodeStyle, expanded: bool = False) -> None:
        self.set_title(title, "d: this turn / cumulative")
        if not diff.strip():
            self.show(("", title), Text("no changes", style="italic dim"), "")
            return
        folded = fold(diff, expanded or diff.count("\n") <= DIFF_LINES)
        body = code(folded.text, "diff", style)
        if folded.hidden_lines:
            note = Text(f"… {folded.hidden_lines:,} more lines folded — press o to expand", style="dim")
            body = Group(body, note)
        self.show((diff, title, style, expanded), body, diff)
