"""Every key of the run screen, built from its bindings so it cannot drift from them."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from nano_tui.ui.key_commands import key_label

#: Keys bound outside the run screen's own bindings, and the mouse.
EXTRA = [
    ("↑ ↓ j k", "previous / next turn (in the turn list)"),
    ("PgUp PgDn", "page through the turn list"),
    ("Tab", "from the turn list to the panels, then panel by panel (selects it for y)"),
    ("↑ ↓ PgUp PgDn", "scroll the panels (when they have the focus)"),
    ("Enter", "collapse / expand a selected thinking panel"),
    ("click a turn", "open it"),
    ("click a panel", "select it for y (copy); click thinking to collapse it"),
    ("wheel", "scroll the turn list or the panels"),
    ("Ctrl+P", "command palette: every action, and the theme switcher"),
]


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; background: $background 60%; }
    HelpScreen > VerticalScroll {
        width: 72; height: auto; max-height: 90%; border: round $primary; background: $surface;
        padding: 0 1;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,question_mark,q", "dismiss", "Close")]

    def __init__(self, bindings: list[BindingType]) -> None:
        super().__init__()
        self.bindings = [binding for binding in bindings if isinstance(binding, Binding)]

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", min_width=12)
        table.add_column()
        for binding in self.bindings:
            table.add_row(Text(key_label(binding.key)), Text(binding.tooltip or binding.description))
        table.add_row("", "")
        for what, does in EXTRA:
            table.add_row(Text(what), Text(does))
        with VerticalScroll() as scroll:
            scroll.border_title = Content("keys")
            scroll.border_subtitle = Content("Esc close")
            yield Static(table)
