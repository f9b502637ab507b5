"""This turn's diff, or everything the run changed up to it."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text

from nano_tui.ui.highlight import code
from nano_tui.ui.inert import fold
from nano_tui.ui.panels.base import Panel
from nano_tui.ui.panels.body import Prepared
from nano_tui.ui.themes import CodeStyle

DIFF_LINES = 200


class DiffPanel(Panel):
    stage = 4
    label = "diff"
    tone = "diff"

    def set_diff(self, diff: str, title: str, style: CodeStyle, expanded: bool = False) -> None:
        self.set_title(title, "d: this turn / cumulative")
        self.show_built(*self.prepare(diff, style, expanded), diff)

    @staticmethod
    def prepare(diff: str, style: CodeStyle, expanded: bool = False) -> Prepared:
        return (diff, style, expanded), lambda: diff_body(diff, style, expanded)


def diff_body(diff: str, style: CodeStyle, expanded: bool) -> RenderableType:
    if not diff.strip():
        return Text("no changes", style="italic dim")
    folded = fold(diff, expanded or diff.count("\n") <= DIFF_LINES)
    body = code(folded.text, "diff", style)
    if folded.hidden_lines:
        note = Text(f"… {folded.hidden_lines:,} more lines folded — press o to expand", style="dim")
        return Group(body, note)
    return body
