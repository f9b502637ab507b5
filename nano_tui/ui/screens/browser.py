"""The run browser: every saved run in a sortable table; Enter opens one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Static

from nano_tui.trajectory import LogError, RunSummary, load
from nano_tui.ui.inert import first_line
from nano_tui.ui.key_commands import KeyCommands
from nano_tui.ui.widgets.key_bar import KeyBar


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    return f"{size / 1024:.1f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"


def _ended(value: bool | None) -> Text:
    if value is None:
        return Text("?", style="dim")
    return Text("yes", style="green") if value else Text("no", style="bold red")


#: (column title, sort key, cell) for every column, in order.
COLUMNS: list[tuple[str, Callable[[RunSummary], Any], Callable[[RunSummary], Text]]] = [
    ("date", lambda r: r.date.timestamp() if r.date else 0.0,
     lambda r: Text(r.date.strftime("%Y-%m-%d %H:%M") if r.date else "?")),
    ("model", lambda r: r.model or "", lambda r: Text(first_line(r.model or "?", 28))),
    ("task", lambda r: r.task_line.casefold(),
     lambda r: Text(first_line(r.error), style="red") if r.error else Text(first_line(r.task_line))),
    ("turns", lambda r: r.turns, lambda r: Text(str(r.turns), justify="right")),
    ("tool calls", lambda r: r.tool_calls, lambda r: Text(str(r.tool_calls), justify="right")),
    ("failed", lambda r: r.failed_calls,
     lambda r: Text(str(r.failed_calls), justify="right", style="bold red" if r.failed_calls else "")),
    ("diff", lambda r: r.diff_size, lambda r: Text(_size(r.diff_size), justify="right")),
    ("ended", lambda r: {True: 2, None: 1, False: 0}[r.ended_normally], lambda r: _ended(r.ended_normally)),
]
TASK = 2
MIN_TASK_WIDTH = 12


class BrowserScreen(Screen):
    CSS_PATH = "browser.tcss"
    COMMANDS = Screen.COMMANDS | {KeyCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", tooltip="open the selected run"),
        Binding("s", "cycle_sort", "Sort", tooltip="sort by the next column (or click a header)"),
        Binding("S", "reverse_sort", "Reverse", tooltip="reverse the sort order"),
        Binding("q", "quit", "Quit", tooltip="quit"),
    ]

    def __init__(self, runs: list[RunSummary], open_run: Callable[[Any], Screen]) -> None:
        super().__init__()
        self.runs = runs
        self._open_run = open_run
        self.sort_column = 0
        self.reverse = True
        self._task_width = 0

    def compose(self) -> ComposeResult:
        yield Static(id="title")
        yield DataTable(cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self._fit_columns(self.app.size.width)
        self.query_one(DataTable).focus()

    def on_resize(self, event: events.Resize) -> None:
        self._fit_columns(event.size.width)

    def _fit_columns(self, screen_width: int) -> None:
        """The task column takes the width the others leave, so every column fits without scrolling."""
        table = self.query_one(DataTable)
        cells = [[cell(run) for _, _, cell in COLUMNS] for run in self.runs]
        others = sum(max([len(title), *(row[number].cell_len for row in cells)])
                     for number, (title, _, _) in enumerate(COLUMNS) if number != TASK)
        gutter = 2 * table.cell_padding * len(COLUMNS) + table.styles.scrollbar_size_vertical
        width = max(MIN_TASK_WIDTH, screen_width - others - gutter)
        if width != self._task_width:
            self._task_width = width
            table.clear(columns=True)
            for number, (title, _, _) in enumerate(COLUMNS):
                table.add_column(title, key=title, width=width if number == TASK else None)
            self._fill()

    def _fill(self) -> None:
        table = self.query_one(DataTable)
        _, key, _ = COLUMNS[self.sort_column]
        table.clear()
        for number, run in sorted(enumerate(self.runs), key=lambda pair: key(pair[1]), reverse=self.reverse):
            cells = [cell(run) for _, _, cell in COLUMNS]
            cells[TASK].truncate(self._task_width, overflow="ellipsis")
            table.add_row(*cells, key=str(number))
        arrow = "↓" if self.reverse else "↑"
        title = Text.assemble(("runs", "bold"), f"  {len(self.runs)} found · sorted by ",
                              (f"{COLUMNS[self.sort_column][0]} {arrow}", "bold"),
                              "  ·  Enter opens · s / click a header sorts")
        self.query_one("#title", Static).update(title)

    @on(DataTable.HeaderSelected)
    def _header(self, event: DataTable.HeaderSelected) -> None:
        column = event.column_index
        self.reverse = not self.reverse if column == self.sort_column else column in (0, 3, 4, 5, 6)
        self.sort_column = column
        self._fill()

    def action_cycle_sort(self) -> None:
        self.sort_column = (self.sort_column + 1) % len(COLUMNS)
        self._fill()

    def action_reverse_sort(self) -> None:
        self.reverse = not self.reverse
        self._fill()

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        self._open(int(event.row_key.value))

    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if table.row_count:
            self._open(int(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value))

    def _open(self, number: int) -> None:
        run = self.runs[number]
        try:
            trajectory = load(run.path)
        except LogError as error:
            self.notify(str(error), title="Cannot open this run", severity="error", markup=False)
            return
        self.app.push_screen(self._open_run(trajectory))

    def action_quit(self) -> None:
        self.app.exit()
