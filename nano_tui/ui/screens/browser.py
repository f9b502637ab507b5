"""The run browser: every saved run in a sortable table; Enter opens one."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, Static

from nano_tui.contract import LISTED_ENDS
from nano_tui.trajectory import LogError, RunSummary, load
from nano_tui.trajectory.alignment import LETTERS, Comparison
from nano_tui.trajectory.discovery import newest_first
from nano_tui.trajectory.run_index import Listing
from nano_tui.ui.inert import first_line
from nano_tui.ui.key_commands import KeyCommands
from nano_tui.ui.textual_seam import StyledScreen
from nano_tui.ui.widgets.key_bar import KeyBar
from nano_tui.ui.widgets.row_table import PADDING, RowTable, TableColumn


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    return f"{size / 1024:.1f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"


def _end(end: str) -> Text:
    """How a run ended: finishing is good news, a crash or an error bad, the rest neither."""
    style = "green" if end == "finished" else "bold red" if end in ("crashed", "error") else \
        "dim" if end == "unknown" else ""
    return Text(end, style=style)


#: The widest a model's column grows (longer names end in an ellipsis).
MODEL_WIDTH = 28


def _short(text: str, width: int = MODEL_WIDTH) -> str:
    line = first_line(text, width + 1)
    return line if len(line) <= width else line[:width - 1] + "…"


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
    #: Numbers line up on the right.
    right: bool = False


COLUMNS = [
    Column("date", lambda r: r.date.timestamp() if r.date else 0.0,
           lambda r: Text(r.date.strftime("%Y-%m-%d %H:%M") if r.date else "?"), 9, descending=True),
    Column("model", lambda r: r.model or "", lambda r: Text(_short(r.model or "?")), 5),
    Column("task", lambda r: r.task_line.casefold(),
           lambda r: Text(first_line(r.error), style="red") if r.error else Text(first_line(r.task_line)), 10,
           flexible=12),
    Column("turns", lambda r: r.turns, lambda r: Text(str(r.turns)), 8, descending=True, right=True),
    Column("calls", lambda r: r.tool_calls, lambda r: Text(str(r.tool_calls)), 3, descending=True,
           right=True),
    Column("failed", lambda r: r.failed_calls,
           lambda r: Text(str(r.failed_calls), style="bold red" if r.failed_calls else ""),
           7, descending=True, right=True),
    Column("diff", lambda r: r.diff_size, lambda r: Text(_size(r.diff_size)), 2, descending=True, right=True),
    Column("end", lambda r: r.end, lambda r: _end(r.end), 4),
    Column("location", lambda r: r.location, lambda r: Text(first_line(r.location, 1000)), 6, flexible=10),
]


@dataclass(frozen=True)
class Group:
    """The runs of one task (the same task text): a group of rollouts."""

    runs: tuple[RunSummary, ...]

    @property
    def task_line(self) -> str:
        return self.runs[0].task_line

    @property
    def outcomes(self) -> str:
        """``5 runs · 3 finished · 1 crashed``: how the group's runs ended, most common first."""
        counts = Counter(run.end for run in self.runs)
        size = len(self.runs)
        return " · ".join([_count(size, "run"), *(f"{count:,} {end}" for end, count in counts.most_common())])

    @property
    def latest(self) -> float:
        return max(run.date.timestamp() if run.date else 0.0 for run in self.runs)

    @property
    def models(self) -> str:
        return ", ".join(sorted({run.model or "?" for run in self.runs}))


def _count(number: int, thing: str) -> str:
    """``1 run``, ``10,000 runs``."""
    return f"{number:,} {thing}{'s' if number != 1 else ''}"


def _date(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp).strftime("%Y-%m-%d %H:%M") if timestamp else "?"


def groups(runs: list[RunSummary]) -> list[Group]:
    """The runs by task, each group's runs newest first."""
    by_task: dict[str, list[RunSummary]] = {}
    for run in runs:
        by_task.setdefault(run.group, []).append(run)
    return [Group(tuple(sorted(members, key=lambda r: r.date.timestamp() if r.date else 0.0, reverse=True)))
            for members in by_task.values()]


def _identity(item: RunSummary | Group) -> str:
    return f"group {item.runs[0].group}" if isinstance(item, Group) else f"run {item.path}"


def _outcomes(item: RunSummary | Group) -> frozenset[str]:
    """How the item's runs ended: what the outcome filter reads."""
    return frozenset(run.end for run in item.runs) if isinstance(item, Group) else frozenset((item.end,))


def _haystack(item: RunSummary | Group) -> str:
    """What the filter looks in: the task, the model and the place (a group's every model)."""
    first = item.runs[0] if isinstance(item, Group) else item
    haystack = f"{first.task_line} {first.model or ''} {first.location}"
    if isinstance(item, Group):
        haystack += " " + item.models
    return haystack.casefold()


GROUP_COLUMNS = [
    Column("runs", lambda g: len(g.runs), lambda g: Text(f"{len(g.runs):,}"), 9, descending=True, right=True),
    Column("task", lambda g: g.task_line.casefold(), lambda g: Text(first_line(g.task_line)), 10,
           flexible=12),
    Column("outcomes", lambda g: g.outcomes, lambda g: Text(g.outcomes), 8),
    Column("models", lambda g: g.models, lambda g: Text(_short(g.models)), 5),
    Column("latest", lambda g: g.latest, lambda g: Text(_date(g.latest)), 6, descending=True),
]
#: Seconds between rebuilds of the rows while runs are still being read.
REFILL_DELAY = 0.3
#: The longest the reading waits for the first rows to be drawn.
FIRST_ROWS_WAIT = 1.0
#: The rows whose cells the columns' widths are fitted to (the first ones: later, longer cells are cut).
MEASURED_ROWS = 200
#: The most runs the compare screen takes (one letter names each).
MOST_COMPARED = len(LETTERS)


def _middle(text: str, width: int) -> str:
    """A long location with its middle left out: where it starts and the run's own name both tell."""
    if len(text) <= width:
        return text
    head = (width - 1) // 3
    return text[:head] + "…" + text[len(text) - (width - 1 - head):]


def fit(columns: list[Column], natural: list[int], width: int, padding: int) -> dict[str, int]:
    """Each column that fits in ``width`` cells and its width: the lowest-priority columns go first;
    the flexible ones share what the others leave (a location a third at first, and more of what the
    task does not need)."""
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
        first = flexible[0]
        widths[columns[first].title] = max(columns[first].flexible, room)
        spare = room - natural[first]
        for n in flexible[1:]:  # what the first does not need goes to the others that want more
            more = max(0, min(spare, natural[n] - widths[columns[n].title]))
            widths[columns[n].title] += more
            widths[columns[first].title] -= more
            spare -= more
    return widths


class BrowserScreen(StyledScreen):
    DEFAULT_CSS = """
    BrowserScreen #title { height: 1; padding: 0 1; background: $panel; }
    BrowserScreen RowTable { height: 1fr; }
    BrowserScreen #filter { height: 1; border: none; padding: 0 1; }
    """
    COMMANDS = Screen.COMMANDS | {KeyCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", tooltip="open the selected run, or compare a group's runs"),
        Binding("g", "toggle_groups", "Groups", tooltip="one row per task, with how its runs ended"),
        Binding("slash", "filter", "Filter", tooltip="show only the runs whose task, model or place hold it"),
        Binding("escape", "leave_filter", "Back to the list", show=False),
        Binding("e", "cycle_end", "Outcome", tooltip="show only the runs that ended one way, then the next"),
        Binding("s", "cycle_sort", "Sort", tooltip="sort by the next column (or click a header)"),
        Binding("S", "reverse_sort", "Reverse", tooltip="reverse the sort order"),
        Binding("q", "quit", "Quit", tooltip="quit"),
    ]

    def __init__(self, runs: list[RunSummary] | Listing, open_run: Callable[[Any], Screen],
                 open_comparison: Callable[[Comparison], Screen]) -> None:
        super().__init__()
        #: Runs summarised so far; a :class:`Listing` is found and read on a worker thread, batch by batch.
        self.runs: list[RunSummary] = [] if isinstance(runs, Listing) else runs
        self._listing = runs if isinstance(runs, Listing) else None
        self._refill: Timer | None = None
        self._open_run = open_run
        self._open_comparison = open_comparison
        #: One row per task instead of one per run.
        self.grouped = False
        self._groups = groups(self.runs)
        self.sort_column = 0
        self.reverse = True
        #: The shown columns' widths at the current screen width, by title.
        self._widths: dict[str, int] = {}
        #: What the filter box holds, and the one outcome shown (None: every outcome).
        self.filter_text = ""
        self.end: str | None = None
        #: The items' numbers in the current sort order; what the filter looks in and how the item's
        #: runs ended, by number.
        self._order: list[int] | None = None
        self._haystacks: list[str] = []
        self._outcomes: list[frozenset[str]] = []
        self._items_changed()

    def compose(self) -> ComposeResult:
        yield Static(id="title")
        yield Input(placeholder="/ filter: task, model or place", id="filter")
        yield RowTable(self._cells)
        yield KeyBar()

    def on_mount(self) -> None:
        self._fit_columns(self.app.size.width)
        self.query_one(RowTable).focus()
        if self._listing is not None:
            self._read(self._listing)

    @work(thread=True, exclusive=True, group="listing")
    def _read(self, listing: Listing) -> None:
        """Summaries as they come (from the run index: thousands a second; new runs are parsed). The
        rest waits until the first rows are drawn: reading alongside, it slowed their drawing by half."""
        shown = threading.Event()
        for batch in listing:
            first = not self.runs
            self.app.call_from_thread(self._arrived, batch)
            if first:
                self.app.call_from_thread(self.call_after_refresh, shown.set)
                shown.wait(FIRST_ROWS_WAIT)
        self.app.call_from_thread(self._all_read, listing.notice)

    def _arrived(self, batch: list[RunSummary]) -> None:
        first = not self.runs
        self.runs.extend(batch)
        if not self.grouped:  # what the filter reads covers every run, even before the next refill
            self._haystacks += [_haystack(run) for run in batch]
            self._outcomes += [_outcomes(run) for run in batch]
            self._order = None
        if first:
            self._refresh_rows()  # the first rows at once
        elif self._refill is None:  # then rebuilt at most a few times a second while runs arrive
            self._refill = self.set_timer(REFILL_DELAY, self._refresh_rows)

    def _all_read(self, notice: str | None) -> None:
        self._listing = None
        if self._refill is not None:
            self._refill.stop()
        self._refresh_rows()
        if notice:
            self.notify(notice, severity="warning", timeout=10, markup=False)

    def _refresh_rows(self) -> None:
        current = self._cursor_identity()
        self._refill = None
        self.runs = newest_first(self.runs)
        self._groups = groups(self.runs)
        self._items_changed()
        self._fit_columns(self.app.size.width, force=True)
        self._restore_cursor(current)

    def _cursor_identity(self) -> str | None:
        """What the cursor is on, in words that survive a re-sort: the run's path, the group's id."""
        key = self.query_one(RowTable).cursor_key
        return _identity(self.items[key]) if key is not None and key < len(self.items) else None

    def _restore_cursor(self, identity: str | None) -> None:
        table = self.query_one(RowTable)
        for row, number in enumerate(table.keys):
            if identity is not None and _identity(self.items[number]) == identity:
                table.move_to(row)
                return

    def _items_changed(self) -> None:
        """The runs or the grouping changed: the sort order and what the filters read go too."""
        self._order = None
        self._haystacks = [_haystack(item) for item in self.items]
        self._outcomes = [_outcomes(item) for item in self.items]

    def on_resize(self, event: events.Resize) -> None:
        self._fit_columns(event.size.width)

    @property
    def columns(self) -> list[Column]:
        return GROUP_COLUMNS if self.grouped else COLUMNS

    @property
    def items(self) -> list[Any]:
        """What the rows show: the runs, or their groups."""
        return self._groups if self.grouped else self.runs

    def _fit_columns(self, screen_width: int, force: bool = False) -> None:
        """Every column that fits, so the table never scrolls sideways (see :func:`fit`); the last
        cell of a line is the scroll mark's."""
        columns = self.columns
        cells = [[column.cell(item) for column in columns] for item in self.items[:MEASURED_ROWS]]
        natural = [max([len(column.title), *(row[number].cell_len for row in cells)])
                   for number, column in enumerate(columns)]
        widths = fit(columns, natural, screen_width - 1, 2 * PADDING)
        if widths != self._widths or force:
            current = None if force else self._cursor_identity()  # a resize keeps the cursor's row
            self._widths = widths
            self.query_one(RowTable).set_columns([
                TableColumn(column.title, widths[column.title], column.right)
                for column in columns if column.title in widths])
            self._fill()
            self._restore_cursor(current)

    def _cells(self, number: int) -> list[Text]:
        """The shown cells of item ``number``: what the table asks for, for the rows on screen."""
        item = self.items[number]
        cells = []
        for column in self.columns:
            width = self._widths.get(column.title)
            if width is not None:
                cell = column.cell(item)
                cells.append(Text(_middle(cell.plain, width)) if column.title == "location" else cell)
        return cells

    def _fill(self) -> None:
        columns = self.columns
        items = self.items
        if self._order is None:
            key = columns[self.sort_column].key
            self._order = sorted(range(len(items)), key=lambda number: key(items[number]),
                                 reverse=self.reverse)
        shown = self._order
        haystacks, outcomes = self._haystacks, self._outcomes
        if self.end is not None:
            shown = [number for number in shown if self.end in outcomes[number]]
        for word in self.filter_text.casefold().split():  # every word, anywhere in the task, model or place
            shown = [number for number in shown if word in haystacks[number]]
        self.query_one(RowTable).set_rows(shown)
        arrow = "↓" if self.reverse else "↑"
        total = len(items)
        what = _count(total, "task" if self.grouped else "run")
        found = f"  {len(shown):,} of {what}" if len(shown) != total else f"  {what}"
        if self.grouped:
            found += f" ({_count(len(self.runs), 'run')})"
        if self.end is not None:
            found += f" · only {self.end}"
        if self._listing is not None:
            found += f" · reading: {self._listing.found:,} found so far…"
        opens = "Enter compares a task's runs · g: every run" if self.grouped else "Enter opens · g: by task"
        title = Text.assemble(("runs", "bold"), f"{found} · sorted by ",
                              (f"{columns[self.sort_column].title} {arrow}", "bold"),
                              f"  ·  {opens} · s / click a header sorts")
        self.query_one("#title", Static).update(title, layout=False)  # one line, whatever it says

    def _sort(self, column: int, reverse: bool) -> None:
        self.sort_column, self.reverse = column, reverse
        self._order = None
        self._fill()

    @on(RowTable.HeaderClicked)
    def _header(self, event: RowTable.HeaderClicked) -> None:
        columns = self.columns
        column = next(n for n, c in enumerate(columns) if c.title == event.title)
        self._sort(column, not self.reverse if column == self.sort_column else columns[column].descending)

    def action_cycle_sort(self) -> None:
        """Sort by the next column on screen."""
        shown = [n for n, column in enumerate(self.columns) if column.title in self._widths]
        later = [n for n in shown if n > self.sort_column]
        self._sort(later[0] if later else shown[0], self.reverse)

    def action_reverse_sort(self) -> None:
        self._sort(self.sort_column, not self.reverse)

    @on(RowTable.RowClicked)
    def _clicked(self, event: RowTable.RowClicked) -> None:
        self._open(event.key)

    def action_open(self) -> None:
        number = self.query_one(RowTable).cursor_key
        if number is not None:
            self._open(number)

    def _open(self, number: int) -> None:
        if self.grouped:
            self._compare(self._groups[number])
            return
        run = self.runs[number]
        try:
            trajectory = load(run.path)
        except LogError as error:
            self.notify(str(error), title="Cannot open this run", severity="error", markup=False)
            return
        self.app.push_screen(self._open_run(trajectory))

    def _compare(self, group: Group) -> None:
        """A task's runs side by side (the newest :data:`MOST_COMPARED`); one run opens as itself."""
        loaded, failed = [], 0
        for run in group.runs[:MOST_COMPARED]:
            try:
                loaded.append(load(run.path))
            except LogError:
                failed += 1
        if failed or len(group.runs) > MOST_COMPARED:
            left_out = failed + max(0, len(group.runs) - MOST_COMPARED)
            self.notify(f"{left_out} of the task's runs left out ({failed} unreadable; at most "
                        f"{MOST_COMPARED} side by side)", severity="warning", markup=False)
        if len(loaded) == 1:
            self.app.push_screen(self._open_run(loaded[0]))
        elif loaded:
            self.app.push_screen(self._open_comparison(Comparison(loaded)))

    def action_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.filter_text = event.value
        self._fill()

    @on(Input.Submitted, "#filter")
    def action_leave_filter(self) -> None:
        self.query_one(RowTable).focus()

    def action_cycle_end(self) -> None:
        """Every outcome, then each one the runs have in turn, then every outcome again."""
        present = [end for end in LISTED_ENDS if any(run.end == end for run in self.runs)]
        position = present.index(self.end) + 1 if self.end in present else 0
        self.end = present[position] if position < len(present) else None
        self._fill()

    def action_toggle_groups(self) -> None:
        self.grouped = not self.grouped
        self.sort_column = 0
        self.reverse = self.columns[0].descending
        self._items_changed()
        self._fit_columns(self.app.size.width, force=True)

    def action_quit(self) -> None:
        self.app.exit()
