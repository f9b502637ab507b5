"""A titled block of plain log text: the task, the system prompt, a nudge, an error."""

from __future__ import annotations

from nano_tui.ui.inert import folded_text
from nano_tui.ui.panels.base import CALL, Panel


class NotePanel(Panel):
    stage = CALL

    def __init__(self, name: str, stage: int | None = None, tone: str | None = None,
                 body_tone: str | None = None) -> None:
        super().__init__(label=name, stage=stage, tone=tone, body_tone=body_tone)

    def set_note(self, title: str, text: str, expanded: bool = False, subtitle: str = "") -> None:
        self.set_title(title, subtitle)
        self.show_built((text, expanded), lambda: folded_text(text, expanded), text)
