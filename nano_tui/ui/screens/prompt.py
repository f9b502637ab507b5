"""A one-line question at the bottom of the screen: go to turn, search."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label


class PromptScreen(ModalScreen[str | None]):
    DEFAULT_CSS = """
    PromptScreen { align: center bottom; background: $background 40%; }
    PromptScreen > Vertical {
        width: 100%; height: auto; background: $panel; border-top: tall $primary; padding: 0 1;
    }
    PromptScreen Label { color: $text-muted; }
    PromptScreen Input { border: none; height: 1; padding: 0; background: $panel; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, question: str, value: str = "", integer: bool = False) -> None:
        super().__init__()
        self.question = question
        self.value = value
        self.integer = integer

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.question, markup=False)
            yield Input(self.value, type="integer" if self.integer else "text", select_on_focus=True)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
