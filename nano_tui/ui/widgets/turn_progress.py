"""Presenter mode's stand-in for the timeline: one line saying where the run is, as a bar."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.widgets import Static


class TurnProgress(Static):
    DEFAULT_CSS = """
    TurnProgress { height: 1; padding: 0 1; background: $panel; text-wrap: nowrap; }
    TurnProgress > .turn-progress--done { color: $accent; }
    TurnProgress > .turn-progress--ahead { color: $text-muted; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"turn-progress--done", "turn-progress--ahead"}

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.state: tuple[int, int | None, str] = (0, None, "")

    def set_position(self, turn: int, turns: int | None, playing: str = "") -> None:
        """At ``turn`` of ``turns`` (None while a long log is still being indexed); ``playing`` says
        how autoplay goes ("▶ 1×"), or nothing."""
        if (turn, turns, playing) != self.state:
            self.state = (turn, turns, playing)
            if self.is_mounted:  # else drawn when first sized
                self.update(self._text(), layout=False)

    def on_resize(self) -> None:
        self.update(self._text(), layout=False)

    def _text(self) -> Text:
        turn, turns, playing = self.state
        label = f"turn {turn} of {turns - 1}" if turns else f"turn {turn}"
        right = f"  {playing}" if playing else ""
        text = Text(label + "  ")
        if turns is None:  # the end is not known yet (a live run, a long log still being indexed)
            return text.append(right)
        width = max(0, self.size.width - 2 - len(label) - len(right) - 2)
        done = round(width * turn / (turns - 1)) if turns > 1 else width
        text.append("━" * done, self.get_component_rich_style("turn-progress--done", partial=True))
        text.append("─" * (width - done), self.get_component_rich_style("turn-progress--ahead", partial=True))
        text.append(right)
        return text
