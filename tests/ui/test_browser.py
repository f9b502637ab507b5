"""The run browser: a sortable table of runs; Enter opens one, Escape returns."""

from __future__ import annotations

from pathlib import Path

from nano_tui.trajectory import discover
from nano_tui.ui.app import NanoApp
from nano_tui.ui.screens.browser import BrowserScreen
from nano_tui.ui.widgets.row_table import PADDING, RowTable
from tests.ui.helpers import SIZE, notified, run_screen, screen_text
from tests.ui.runlogs import story, write_long_run, write_run


def make_runs(root: Path) -> Path:
    write_run(root / "2025-12-01T09:00:00-00000001", story(), model="openai/gpt-4.1-mini")
    write_long_run(root / "2025-12-02T09:00:00-00000002", 30)
    write_run(root / "2025-12-03T09:00:00-00000003", story()[:3], diff="", model="hosted_vllm/Qwen/Qwen3-8B")
    return root


def first_column(pilot, column: int = 1) -> list[str]:
    """The text of the ``column``-th shown column, row by row, as the table draws it."""
    screen = pilot.app.screen
    table = screen.query_one(RowTable)
    return [screen._cells(key)[column].plain for key in table.keys]


async def test_lists_runs_newest_first_and_sorts(tmp_path):
    app = NanoApp(runs=discover([make_runs(tmp_path / "runs")]))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(pilot.app.screen, BrowserScreen)
        dates = first_column(pilot, 0)
        assert dates == ["2025-12-03 09:00", "2025-12-02 09:00", "2025-12-01 09:00"]
        text = screen_text(pilot)
        assert "Fix the failing" in text and "Count the files" in text
        await pilot.press("s")
        assert first_column(pilot) == ["openai/gpt-4.1-mini", "openai/gpt-4.1-mini",
                                       "hosted_vllm/Qwen/Qwen3-8B"]
        await pilot.press("S")
        assert first_column(pilot)[0] == "hosted_vllm/Qwen/Qwen3-8B"
        table = pilot.app.screen.query_one(RowTable)
        turns_x = sum(column.width + 2 * PADDING for column in table.columns[:3]) + 1
        await pilot.click(RowTable, offset=(turns_x, 0))  # the "turns" header
        turns = [int(value) for value in first_column(pilot, 3)]
        assert turns == sorted(turns, reverse=True)


async def test_enter_opens_and_escape_returns(tmp_path):
    app = NanoApp(runs=discover([make_runs(tmp_path / "runs")]))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "enter")
        screen = run_screen(pilot)
        assert screen.trajectory.info.path.name == "2025-12-02T09:00:00-00000002"
        assert "Count the files, slowly" in screen_text(pilot)
        await pilot.press("escape")
        assert isinstance(pilot.app.screen, BrowserScreen)
        await pilot.press("enter")
        assert run_screen(pilot).trajectory.info.path.name == "2025-12-02T09:00:00-00000002"


async def test_run_opened_directly_has_no_back(story):
    from tests.ui.helpers import app_for

    async with app_for(story).run_test(size=SIZE) as pilot:
        await pilot.press("escape")
        assert run_screen(pilot)
        assert "Runs" not in screen_text(pilot).splitlines()[-1]


async def test_every_column_fits_at_120_columns_with_the_task_cut_short(tmp_path):
    root = make_runs(tmp_path / "runs")
    long_task = "Refactor the parser " + "and then keep going " * 20
    write_run(root / "2025-12-04T09:00:00-00000004", [{"content": long_task, "role": "user"}])
    app = NanoApp(runs=discover([root]))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        table = pilot.app.screen.query_one(RowTable)
        assert sum(column.width + 2 * PADDING for column in table.columns) < 120, "no horizontal scrolling"
        text = screen_text(pilot)
        for title in ("date", "model", "task", "turns", "calls", "failed", "diff", "end", "location"):
            assert title in text, title
        assert "Refactor the parser" in text and "…" in text
        assert "2025-12-04 09:00" in text


async def test_at_80_columns_the_least_needed_columns_go(tmp_path):
    root = make_runs(tmp_path / "runs")
    app = NanoApp(runs=discover([root]))
    async with app.run_test(size=(80, 24)) as pilot:
        table = pilot.app.screen.query_one(RowTable)
        assert sum(column.width + 2 * PADDING for column in table.columns) < 80, "no horizontal scrolling"
        titles = [column.title for column in table.columns]
        assert titles == ["date", "task", "turns", "failed", "location"]
        await pilot.press("s")
        assert "sorted by task" in screen_text(pilot)


async def test_location_tells_apart_runs_of_one_task(tmp_path):
    """Runs kept as ``runs/<model>/<task>/<run>`` show where each one is, relative to the folder opened."""
    root = tmp_path / "runs"
    for model in ("qwen", "gpt"):
        for seed in (1, 2):
            write_run(root / model / "fix-add" / f"seed-{seed}", story())
    app = NanoApp(runs=discover([root]))
    async with app.run_test(size=(160, 36)) as pilot:
        locations = first_column(pilot, 8)
        assert sorted(locations) == ["gpt/fix-add/seed-1", "gpt/fix-add/seed-2", "qwen/fix-add/seed-1",
                                     "qwen/fix-add/seed-2"]


async def test_typing_filters_and_e_shows_one_outcome_at_a_time(tmp_path):
    app = NanoApp(runs=discover([make_runs(tmp_path / "runs")]))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"count")
        assert first_column(pilot, 0) == ["2025-12-02 09:00"]
        assert "1 of 3 runs" in screen_text(pilot)
        await pilot.press("escape", "slash", *["backspace"] * 5, "enter")
        assert len(first_column(pilot, 0)) == 3
        await pilot.press("e")
        assert "only finished" in screen_text(pilot) and len(first_column(pilot, 0)) == 2
        await pilot.press("e")
        assert "only crashed" in screen_text(pilot) and first_column(pilot, 0) == ["2025-12-03 09:00"]
        await pilot.press("e")
        assert len(first_column(pilot, 0)) == 3, "then every outcome again"


async def test_runs_being_read_fill_in_and_a_damaged_index_says_so(tmp_path, monkeypatch):
    from nano_tui.trajectory.discovery import locate
    from nano_tui.trajectory.run_index import Listing

    root = tmp_path / "runs"
    for number in range(300):
        write_run(root / f"2025-12-01T09:00:00-{number:08x}", story())
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    (tmp_path / "cache" / "nano-tui").mkdir(parents=True)
    (tmp_path / "cache" / "nano-tui" / "runs.sqlite3").write_text("not a database")
    app = NanoApp(runs=Listing(locate([root])))
    async with app.run_test(size=SIZE) as pilot:
        while "reading" in screen_text(pilot) or not pilot.app.screen.query_one(RowTable).row_count:
            await pilot.pause(0.05)
        assert "300 runs" in screen_text(pilot) and len(pilot.app.screen.runs) == 300
        await notified(pilot, "the run index was damaged")


async def test_thousands_of_rows_page_and_a_click_opens_the_run_under_it(tmp_path):
    """Every run is a row (no cap), drawn only when on screen; paging keeps the cursor in view."""
    root = tmp_path / "runs"
    model = write_run(root / "model", story())
    for number in range(1, 1200):
        folder = root / f"2025-12-01T09:00:00-{number:08x}"
        folder.mkdir()
        for path in model.iterdir():
            (folder / path.name).hardlink_to(path)
    app = NanoApp(runs=discover([root]))
    async with app.run_test(size=(120, 24)) as pilot:
        table = pilot.app.screen.query_one(RowTable)
        assert table.row_count == 1200 and "1,200 runs" in screen_text(pilot)
        await pilot.press("pagedown", "pagedown")
        assert table.cursor == 2 * (table.size.height - 2)
        await pilot.press("end")
        assert table.cursor == 1199
        last = pilot.app.screen._cells(table.cursor_key)[-1].plain  # its location, the middle left out
        assert last.endswith("4af") and last in screen_text(pilot), "the last row is on screen"
        await pilot.press("home", "down")
        second = pilot.app.screen.items[table.keys[1]].path
        await pilot.click(RowTable, offset=(5, 2))  # the header, then the first two rows
        assert run_screen(pilot).trajectory.info.path == Path(second)


def test_what_the_task_does_not_need_goes_to_the_location():
    from nano_tui.ui.screens.browser import COLUMNS, fit

    titles = [column.title for column in COLUMNS]
    natural = [16, 19, 30, 5, 5, 6, 5, 8, 37]  # a short task, a long location
    widths = fit(COLUMNS, natural, 160, 2)
    assert widths["task"] >= 30 and widths["location"] == 37, "both whole when there is room"
    assert sum(widths.values()) + 2 * len(widths) <= 160
    natural[titles.index("task")] = 200  # a long task keeps most of the room; the location a third
    widths = fit(COLUMNS, natural, 160, 2)
    assert widths["location"] < 37 < widths["task"]


async def test_the_cursor_moves_as_drawn_when_the_table_is_scrolled(tmp_path):
    """Moving the cursor within the page repaints its old and new rows, wherever the table is scrolled."""
    from textual.geometry import Region

    root = tmp_path / "runs"
    for number in range(80):
        write_run(root / f"2025-12-01T09:00:00-{number:08x}", story())
    async with NanoApp(runs=discover([root])).run_test(size=(120, 24)) as pilot:
        table = pilot.app.screen.query_one(RowTable)
        await pilot.press("pagedown", "pagedown", "up", "up")
        await pilot.pause()
        cursor = table.get_component_rich_style("row-table--cursor").bgcolor
        drawn = table.render_lines(Region(0, 0, table.size.width, table.size.height))
        marked = [y for y, strip in enumerate(drawn)
                  if any(style is not None and style.bgcolor == cursor for _, style, _ in strip)]
        assert marked == [table.cursor - table.scroll_offset.y + 1], "one cursor row, where the cursor is"


async def test_runs_arriving_between_refills_can_be_filtered_and_sorted(tmp_path):
    """A batch lands; before the next refill the user sorts with a filter typed: every run is found."""
    root = make_runs(tmp_path / "runs")
    later = discover([write_run(tmp_path / "more" / "2025-12-04T09:00:00-00000004", story())])
    app = NanoApp(runs=discover([root]))
    async with app.run_test(size=SIZE) as pilot:
        screen = pilot.app.screen
        await pilot.press("slash", *"fix", "enter")
        screen._arrived(later)
        await pilot.press("s")
        assert len(screen.query_one(RowTable).keys) == 3, "two of the first runs and the new one"


async def test_the_cursor_stays_on_its_task_and_its_run_through_refills_and_resizes(tmp_path):
    root = make_runs(tmp_path / "runs")
    async with NanoApp(runs=discover([root])).run_test(size=(160, 36)) as pilot:
        screen = pilot.app.screen
        table = screen.query_one(RowTable)
        await pilot.press("down", "down")
        chosen = screen.items[table.cursor_key].path
        await pilot.resize_terminal(80, 24)  # fewer columns: the table is made again
        assert screen.items[table.cursor_key].path == chosen
        await pilot.press("g", "down")
        task = screen.items[table.cursor_key].task_line
        screen._refresh_rows()  # as while runs are read
        assert screen.items[table.cursor_key].task_line == task
