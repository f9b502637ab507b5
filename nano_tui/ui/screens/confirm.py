"""A yes/no question at the bottom of the screen, e.g. before quitting a run that is still going."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label


class ConfirmScreen(ModalScreen[bool]):
    DEFAULT_CSS = """
    ConfirmScreen { align: center bottom; background: $background 40%; }
    ConfirmScreen > Vertical {
        width: 100%; height: auto; background: $panel; border-top: tall $warning; padding: 0 1;
    }
    ConfirmScreen #keys { color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.question, markup=False)
            yield Label("y: yes   n or Esc: no", id="keys", markup=False)

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
