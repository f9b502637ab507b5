"""The turn's messages exactly as the log holds them, pretty-printed."""

from __future__ import annotations

import json
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from nano_tui.ui.highlight import code
from nano_tui.ui.inert import fold, inert
from nano_tui.ui.themes import syntax_style

#: Larger dumps are shown without highlighting, which would take seconds.
HIGHLIGHT_LIMIT = 200_000


class RawJsonScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    RawJsonScreen { align: center middle; background: $background 60%; }
    RawJsonScreen > VerticalScroll {
        width: 90%; height: 90%; border: round $primary; background: $surface; padding: 0 1;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,r,q", "dismiss", "Close"),
        Binding("y", "copy", "Copy JSON"),
    ]

    def __init__(self, turn: int, messages: list[dict[str, Any]], lines: list[int]) -> None:
        super().__init__()
        self.turn = turn
        self.lines = lines
        self.dump = "\n".join(json.dumps(message, indent=2, ensure_ascii=False) for message in messages)

    def compose(self) -> ComposeResult:
        with VerticalScroll() as scroll:
            where = ", ".join(str(line + 1) for line in self.lines) or "none"
            scroll.border_title = Content(f"turn {self.turn} · raw messages · messages.jsonl lines {where}")
            scroll.border_subtitle = Content("y copy · Esc close")
            if len(self.dump) > HIGHLIGHT_LIMIT:
                folded = fold(self.dump, expanded=True)
                yield Static(inert(folded.text))
            elif self.dump:
                style = syntax_style(self.app.current_theme, self.app.theme_variables)
                yield Static(code(self.dump, "json", style))
            else:
                yield Static(Text("no messages", style="italic"))

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.dump)
        self.notify(f"Copied {len(self.dump):,} characters of JSON", markup=False)
