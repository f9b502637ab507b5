"""The compare screen and the browser's groups: a task's runs side by side, opened where they part."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable

from nano_tui.trajectory import discover, load
from nano_tui.trajectory.alignment import Comparison
from nano_tui.ui.app import NanoApp
from nano_tui.ui.screens.browser import BrowserScreen
from nano_tui.ui.screens.compare import CompareScreen
from tests.ui.helpers import SIZE, run_screen, screen_text
from tests.ui.runlogs import assistant, write_before_and_after, write_run


def compare_app(root: Path) -> NanoApp:
    return NanoApp(comparison=Comparison([load(path) for path in write_before_and_after(root)]))


async def test_opens_at_the_first_divergence_and_moves_all_columns(tmp_path):
    async with compare_app(tmp_path / "runs").run_test(size=SIZE) as pilot:
        assert isinstance(pilot.app.screen, CompareScreen)
        table = pilot.app.screen.query_one(DataTable)
        assert table.cursor_coordinate.row == 2
        text = screen_text(pilot)
        assert "▶ first divergence: row 2" in text and "A no such turn" in text
        assert "B turn 2  shell: grep -n add app.py" in text
        await pilot.press("n")
        assert table.cursor_coordinate.row == 2, "no other row differs"
        await pilot.press("down")
        assert "A turn 2  shell: python -m pytest -q test_app.py (failed)" in screen_text(pilot)
        assert "B turn 3  shell: python -m pytest -q test_app.py (failed)" in screen_text(pilot)


async def test_enter_opens_the_chosen_run_at_that_turn_and_escape_comes_back(tmp_path):
    async with compare_app(tmp_path / "runs").run_test(size=SIZE) as pilot:
        await pilot.press("right", "enter")
        screen = run_screen(pilot)
        assert screen.trajectory.info.path.name.endswith("b2") and screen.current == 2
        await pilot.press("escape")
        assert isinstance(pilot.app.screen, CompareScreen)
        await pilot.press("left", "enter")
        screen = run_screen(pilot)
        assert screen.trajectory.info.path.name.endswith("a1")
        assert screen.current == 1, "on a gap, the run's turn before it"


async def test_the_browser_groups_runs_by_task_and_compares_a_group(tmp_path):
    root = tmp_path / "runs"
    write_before_and_after(root)
    write_run(root / "2025-12-03T09:00:00-000000c3", [{"content": "Add a --verbose flag", "role": "user"},
                                                      assistant("Done.")])
    async with NanoApp(runs=discover([root])).run_test(size=SIZE) as pilot:
        await pilot.press("g")
        text = screen_text(pilot)
        assert "2 tasks (3 runs)" in text
        assert "2 runs · 2 finished" in text and "1 run · 1 finished" in text
        await pilot.press("enter")
        screen = pilot.app.screen
        assert isinstance(screen, CompareScreen) and len(screen.comparison.trajectories) == 2
        await pilot.press("escape")
        assert isinstance(pilot.app.screen, BrowserScreen) and pilot.app.screen.grouped
        await pilot.press("down", "enter")
        assert run_screen(pilot).trajectory.info.task == "Add a --verbose flag", "one run opens as itself"
        await pilot.press("escape", "g")
        assert "3 runs · sorted" in screen_text(pilot)
