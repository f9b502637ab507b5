"""This turn's diff, or everything the run changed up to it."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text

from nano_tui.trajectory.patches import without_positions
from nano_tui.ui.highlight import code
from nano_tui.ui.inert import fold
from nano_tui.ui.panels.base import DIFF, Panel
from nano_tui.ui.panels.body import Prepared
from nano_tui.ui.themes import CodeStyle

DIFF_LINES = 200


class DiffPanel(Panel):
    stage = DIFF
    label = "diff"
    tone = "diff"

    def set_diff(self, diff: str, title: str, style: CodeStyle, expanded: bool = False,
                 approximate: bool = False) -> None:
        """``approximate``: rebuilt from search/replace (nano logs without nano-tui's sidecar), so the
        hunks say that their line numbers are unknown instead of showing made-up ones."""
        self.set_title(f"{title} · line numbers unknown" if approximate else title,
                       "d: this turn / cumulative")
        self.show_built(*self.prepare(diff, style, expanded, approximate), diff)

    @staticmethod
    def prepare(diff: str, style: CodeStyle, expanded: bool = False, approximate: bool = False) -> Prepared:
        shown = without_positions(diff) if approximate else diff
        return (shown, style, expanded), lambda: diff_body(shown, style, expanded)


def diff_body(diff: str, style: CodeStyle, expanded: bool) -> RenderableType:
    if not diff.strip():
        return Text("no changes", style="italic dim")
    folded = fold(diff, expanded or diff.count("\n") <= DIFF_LINES)
    body = code(folded.text, "diff", style)
    if folded.hidden_lines:
        note = Text(f"… {folded.hidden_lines:,} more lines folded — press o to expand", style="dim")
        return Group(body, note)
    return body
