"""The run browser: every saved run in a sortable table; Enter opens one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Column:
    title: str
    key: Callable[[RunSummary], Any]
    cell: Callable[[RunSummary], Text]
    #: Columns go, lowest first, when the screen is too narrow for all of them.
    priority: int
    #: Takes a share of the width the others leave (at least this many cells), else its content's width.
    flexible: int = 0
    #: Sorted largest first when its header is first clicked.
    descending: bool = False


COLUMNS = [
    Column("date", lambda r: r.date.timestamp() if r.date else 0.0,
           lambda r: Text(r.date.strftime("%Y-%m-%d %H:%M") if r.date else "?"), 9, descending=True),
    Column("model", lambda r: r.model or "", lambda r: Text(first_line(r.model or "?", 28)), 5),
    Column("task", lambda r: r.task_line.casefold(),
           lambda r: Text(first_line(r.error), style="red") if r.error else Text(first_line(r.task_line)), 10,
           flexible=12),
    Column("turns", lambda r: r.turns, lambda r: Text(str(r.turns), justify="right"), 8, descending=True),
    Column("calls", lambda r: r.tool_calls, lambda r: Text(str(r.tool_calls), justify="right"), 3,
           descending=True),
    Column("failed", lambda r: r.failed_calls,
           lambda r: Text(str(r.failed_calls), justify="right", style="bold red" if r.failed_calls else ""),
           7, descending=True),
    Column("diff", lambda r: r.diff_size, lambda r: Text(_size(r.diff_size), justify="right"), 2,
           descending=True),
    Column("ended", lambda r: {True: 2, None: 1, False: 0}[r.ended_normally],
           lambda r: _ended(r.ended_normally), 4),
    Column("location", lambda r: r.location, lambda r: Text(first_line(r.location, 1000)), 6, flexible=10),
]


def _middle(text: str, width: int) -> str:
    """A long location with its middle left out: where it starts and the run's own name both tell."""
    if len(text) <= width:
        return text
    head = (width - 1) // 3
    return text[:head] + "…" + text[len(text) - (width - 1 - head):]


def fit(columns: list[Column], natural: list[int], width: int, padding: int) -> dict[str, int]:
    """Each column that fits in ``width`` cells and its width: the lowest-priority columns go first;
    the flexible ones share what the others leave (a location at most a third, and what it needs)."""
    shown = list(range(len(columns)))
    while True:
        fixed = sum(natural[n] for n in shown if not columns[n].flexible)
        least = sum(columns[n].flexible for n in shown if columns[n].flexible)
        room = width - fixed - padding * len(shown)
        if room >= least or len(shown) == 1:
            break
        shown.remove(min(shown, key=lambda n: columns[n].priority))
    widths = {columns[n].title: natural[n] for n in shown if not columns[n].flexible}
    flexible = [n for n in shown if columns[n].flexible]
    for n in flexible[1:]:
        share = max(columns[n].flexible, min(natural[n], room // 3))
        widths[columns[n].title] = share
        room -= share
    if flexible:
        widths[columns[flexible[0]].title] = max(columns[flexible[0]].flexible, room)
    return widths


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
        #: The shown columns' widths at the current screen width, by title.
        self._widths: dict[str, int] = {}

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
        """Every column that fits, so the table never scrolls sideways (see :func:`fit`)."""
        table = self.query_one(DataTable)
        cells = [[column.cell(run) for column in COLUMNS] for run in self.runs]
        natural = [max([len(column.title), *(row[number].cell_len for row in cells)])
                   for number, column in enumerate(COLUMNS)]
        widths = fit(COLUMNS, natural, screen_width - table.styles.scrollbar_size_vertical,
                     2 * table.cell_padding)
        if widths != self._widths:
            self._widths = widths
            table.clear(columns=True)
            for column in COLUMNS:
                if column.title in widths:
                    table.add_column(column.title, key=column.title,
                                     width=widths[column.title] if column.flexible else None)
            self._fill()

    def _fill(self) -> None:
        table = self.query_one(DataTable)
        key = COLUMNS[self.sort_column].key
        table.clear()
        for number, run in sorted(enumerate(self.runs), key=lambda pair: key(pair[1]), reverse=self.reverse):
            row = []
            for column in COLUMNS:
                width = self._widths.get(column.title)
                if width is None:
                    continue
                cell = column.cell(run)
                if column.title == "location":
                    cell = Text(_middle(cell.plain, width))
                cell.truncate(width, overflow="ellipsis")
                row.append(cell)
            table.add_row(*row, key=str(number))
        arrow = "↓" if self.reverse else "↑"
        title = Text.assemble(("runs", "bold"), f"  {len(self.runs)} found · sorted by ",
                              (f"{COLUMNS[self.sort_column].title} {arrow}", "bold"),
                              "  ·  Enter opens · s / click a header sorts")
        self.query_one("#title", Static).update(title)

    @on(DataTable.HeaderSelected)
    def _header(self, event: DataTable.HeaderSelected) -> None:
        column = next(n for n, c in enumerate(COLUMNS) if c.title == event.column_key.value)
        self.reverse = not self.reverse if column == self.sort_column else COLUMNS[column].descending
        self.sort_column = column
        self._fill()

    def action_cycle_sort(self) -> None:
        """Sort by the next column on screen."""
        shown = [n for n, column in enumerate(COLUMNS) if column.title in self._widths]
        later = [n for n in shown if n > self.sort_column]
        self.sort_column = later[0] if later else shown[0]
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
