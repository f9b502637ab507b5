"""Runs side by side: one column per run, one row per aligned step (see
:mod:`nano_tui.trajectory.alignment`), opened at the first row where the runs part. Up and down move
every column at once; left and right pick a run, whose turn Enter opens in the normal replay."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Static

from nano_tui.trajectory.alignment import LETTERS, Comparison
from nano_tui.trajectory.trajectory import Trajectory
from nano_tui.ui.inert import first_line, turn_line, visible
from nano_tui.ui.key_commands import KeyCommands
from nano_tui.ui.textual_seam import StyledScreen
from nano_tui.ui.widgets.key_bar import KeyBar

#: The row mark and number columns before the runs' own.
LEADING = 2


class CompareScreen(StyledScreen):
    COMPONENT_CLASSES: ClassVar[set[str]] = {"compare--divergence"}
    DEFAULT_CSS = """
    CompareScreen > .compare--divergence { color: $warning; text-style: bold; }
    CompareScreen #heads { height: auto; padding: 0 1; background: $panel; }
    CompareScreen DataTable { height: 1fr; }
    CompareScreen #detail { height: auto; max-height: 12; padding: 0 1; border-top: solid $foreground 20%; }
    """
    COMMANDS = Screen.COMMANDS | {KeyCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", tooltip="open the selected run at this turn"),
        Binding("n", "next_difference", "Next ≠", tooltip="the next row where the runs differ"),
        Binding("escape", "back", "Back", tooltip="back to the run list (or quit)"),
        Binding("q", "quit", "Quit", tooltip="quit"),
    ]

    def __init__(self, comparison: Comparison, open_run: Callable[[Trajectory, int], Screen]) -> None:
        super().__init__()
        self.comparison = comparison
        self._open_run = open_run

    def compose(self) -> ComposeResult:
        yield Static(self._heads(), id="heads")
        yield DataTable(cursor_type="cell", zebra_stripes=False)
        yield Static(id="detail")
        yield KeyBar()

    def _heads(self) -> Text:
        text = Text()
        for number, trajectory in enumerate(self.comparison.trajectories):
            outcome = self.comparison.outcome(number)
            tokens = f"{outcome.tokens:,} tokens · " if outcome.tokens else ""
            text.append(f"{LETTERS[number]} ", style="bold")
            text.append(f"{outcome.end} · {outcome.turns} turns · {outcome.calls} calls · "
                        f"{outcome.failed} failed · {tokens}diff {outcome.diff_bytes:,} B  ")
            text.append(visible(str(trajectory.info.path)), style="dim")
            text.append("\n")
        divergence = self.comparison.first_divergence
        text.append("the runs never part" if divergence is None else f"▶ first divergence: row {divergence}",
                    style="bold")
        text.append("  ·  ≠ differs  ·  · a gap: this run had no such turn", style="dim")
        return text

    def on_mount(self) -> None:
        self._fill(self.app.size.width)
        table = self.query_one(DataTable)
        row = self.comparison.first_divergence or 0
        table.move_cursor(row=row, column=LEADING)
        self._show_detail(row)  # in the first frame, not the next
        table.focus()

    def on_resize(self, event: events.Resize) -> None:
        table = self.query_one(DataTable)
        row, column = table.cursor_coordinate
        self._fill(event.size.width)
        table.move_cursor(row=row, column=column)

    def _fill(self, width: int) -> None:
        comparison = self.comparison
        count = len(comparison.trajectories)
        column_width = max(10, (width - 12) // count - 2)
        table = self.query_one(DataTable)
        marked = self.get_component_rich_style("compare--divergence")
        table.clear(columns=True)
        table.add_column("", key="mark", width=1)
        table.add_column("row", key="row")
        for number in range(count):
            table.add_column(LETTERS[number], key=str(number), width=column_width)
        for number, row in enumerate(comparison.rows):
            mark = (Text("▶", style=marked) if number == comparison.first_divergence
                    else Text("") if row.same else Text("≠", style="dim"))
            cells = [Text(first_line(turn_line(run[turn]), column_width)) if turn is not None
                     else Text("·", style="dim")
                     for run, turn in zip(comparison.turns, row.turns, strict=True)]
            for cell in cells:
                cell.truncate(column_width, overflow="ellipsis")
            table.add_row(mark, Text(str(number), style="dim"), *cells, key=str(number))

    @on(DataTable.CellHighlighted)
    def _highlighted(self, event: DataTable.CellHighlighted) -> None:
        self._show_detail(event.coordinate.row)

    def _show_detail(self, row_number: int) -> None:
        self.query_one("#detail", Static).update(self._detail(row_number))

    def _detail(self, row_number: int) -> Text:
        """The row's turns, call by call, for each run."""
        text = Text()
        row = self.comparison.rows[row_number]
        for number, (run, turn) in enumerate(zip(self.comparison.turns, row.turns, strict=True)):
            text.append(f"{LETTERS[number]} ", style="bold")
            if turn is None:
                text.append("no such turn\n", style="dim")
                continue
            shown = run[turn]
            calls = [f"{call.name}: {first_line(call.summary, 300)}"
                     + (" (failed)" if call.failed else "") for call in shown.tool_calls]
            said = "  ·  ".join(calls) if calls else first_line(shown.text, 300)
            text.append(f"turn {turn}  {said}\n")
        text.rstrip()
        return text

    @on(DataTable.CellSelected)
    def _selected(self, _event: DataTable.CellSelected) -> None:
        self.action_open()

    def action_next_difference(self) -> None:
        table = self.query_one(DataTable)
        row, column = table.cursor_coordinate
        later = [n for n, shown in enumerate(self.comparison.rows) if n > row and not shown.same]
        if later:
            table.move_cursor(row=later[0], column=column)

    def action_open(self) -> None:
        """The selected run at the row's turn (or, on a gap, at its turn before it)."""
        table = self.query_one(DataTable)
        row, column = table.cursor_coordinate
        run = max(0, column - LEADING)
        turns = [shown.turns[run] for shown in self.comparison.rows[:row + 1]]
        turn = next((number for number in reversed(turns) if number is not None), 0)
        self.app.push_screen(self._open_run(self.comparison.trajectories[run], turn))

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()
        else:
            self.app.exit()

    def action_quit(self) -> None:
        self.app.exit()
