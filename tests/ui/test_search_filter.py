"""`/` search with n/N, and the `f` filter."""

from __future__ import annotations

from nano_tui.ui.panels.tool_call import ToolCallPanel
from nano_tui.ui.panels.tool_output import ToolOutputPanel
from nano_tui.ui.widgets.timeline import Timeline
from tests.ui.helpers import SIZE, app_for, body_segments, panel_of, run_screen, screen_text, turn_view


async def search(pilot, query: str) -> None:
    await pilot.press("slash")
    for char in query:
        await pilot.press(char if char != " " else "space")
    await pilot.press("enter")


async def test_search_jumps_between_hits(story):
    async with app_for(story).run_test(size=SIZE) as pilot:
        screen = run_screen(pilot)
        await search(pilot, "pytest")
        assert screen.finder.hits == [2, 4]
        assert screen.current == 2
        assert "search pytest 1/2" in screen_text(pilot)
        await pilot.press("n")
        assert screen.current == 4
        await pilot.press("n")
        assert screen.current == 2, "n wraps around"
        await pilot.press("N")
        assert screen.current == 4
        await pilot.press("N")
        assert screen.current == 2


async def test_search_finds_text_in_outputs_and_thinking_case_blind(story):
    async with app_for(story).run_test(size=SIZE) as pilot:
        screen = run_screen(pilot)
        await search(pilot, "SUBTRACTS")
        assert screen.finder.hits == [3]
        await search(pilot, "where -1")
        assert screen.finder.hits == [2]


async def test_search_without_hits_says_so(story):
    async with app_for(story).run_test(size=SIZE) as pilot:
        screen = run_screen(pilot)
        await search(pilot, "zebra")
        assert screen.finder.hits == []
        assert screen.current == 0
        assert "no hits" in screen_text(pilot)


async def test_filter_cycles_failed_patches_all(long_run):
    async with app_for(long_run).run_test(size=SIZE) as pilot:
        screen = run_screen(pilot)
        timeline = screen.query_one(Timeline)
        await pilot.press("f")
        assert timeline.rows == [7, 14, 21, 28, 35, 42, 49, 56]
        assert screen.current == 7
        assert "filter: failed calls only (8 turns)" in screen_text(pilot)
        await pilot.press("right")
        assert screen.current == 14, "next skips the turns the filter hides"
        await pilot.press("end")
        assert screen.current == 56
        await pilot.press("f")
        assert timeline.rows == []
        await pilot.press("f")
        assert len(timeline.rows) == 60
        await pilot.press("right")
        assert screen.current == 57


async def test_patch_filter(story):
    async with app_for(story).run_test(size=SIZE) as pilot:
        screen = run_screen(pilot)
        await pilot.press("f", "f")
        assert screen.query_one(Timeline).rows == [3]
        assert screen.current == 3


def highlighted(pilot, panel) -> list[str]:
    """The pieces of a panel drawn on the search highlight's background."""
    warning = turn_view(pilot).colours().hit.bgcolor.name
    return [segment.text for segment in body_segments(pilot, panel)
            if segment.style and segment.style.bgcolor and segment.style.bgcolor.name.lower() == warning]


async def test_search_highlights_the_hits_inside_the_panels(story):
    async with app_for(story).run_test(size=SIZE) as pilot:
        await search(pilot, "WHERE -1")
        assert run_screen(pilot).current == 2
        output = panel_of(pilot, ToolOutputPanel)
        assert highlighted(pilot, output) == ["where -1"]
        assert highlighted(pilot, panel_of(pilot, ToolCallPanel)) == []
        await pilot.press("slash", *["backspace"] * 8, *"exit", "space", *"code", "enter")
        assert run_screen(pilot).current == 2
        assert highlighted(pilot, output) == ["exit code"], "a new search replaces the old highlight"


async def test_search_highlight_takes_markup_like_queries_literally(hostile):
    async with app_for(hostile, turn=1).run_test(size=SIZE) as pilot:
        await search(pilot, "[/] [/]")
        panels = run_screen(pilot).view.panels()
        assert run_screen(pilot).current == 1
        assert any("[/] [/]" in highlighted(pilot, panel) for panel in panels)
