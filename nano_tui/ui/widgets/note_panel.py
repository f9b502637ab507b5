"""A titled block of plain log text: the task, the system prompt, a nudge, an error."""

from __future__ import annotations

from nano_tui.ui.inert import folded_text
from nano_tui.ui.widgets.panel import Panel


class NotePanel(Panel):
    DEFAULT_CSS = """
    NotePanel.-error { border: round $error; border-title-color: $error; }
    NotePanel.-nudge { border: round $warning 60%; border-title-color: $warning; }
    NotePanel.-quiet { color: $text-muted; }
    """

    def __init__(self, label: str, stage: int = 2, **kwargs) -> None:
        super().__init__(**kwargs)
        self.label = label
        self.stage = stage

    def set_note(self, title: str, text: str, expanded: bool = False, subtitle: str = "") -> None:
        self.set_title(title, subtitle)
        self.show_built((text, expanded), lambda: folded_text(text, expanded), text)
