"""The key bar: the keys that apply now, clickable, with what each does on hover."""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType

from nano_tui.ui.widgets.key_bar import KeyBar, Spot
from tests.ui.helpers import SIZE, app_for, run_screen, screen_text, until


def spot(bar: KeyBar, action: str) -> Spot:
    return next(spot for spot in bar.spots if spot.binding.action == action)


def cells(bar: KeyBar, action: str) -> list[Style]:
    """The styles the bar draws a key's label in."""
    where = spot(bar, action)
    return [segment.style for segment in bar.render_line(0).crop(where.start, where.end)]


async def test_lists_the_keys_and_a_click_presses_one(story):
    async with app_for(story, turn=1).run_test(size=SIZE) as pilot:
        bar = pilot.app.screen.query_one(KeyBar)
        bottom = screen_text(pilot).splitlines()[-1]
        for label in ("h Prev", "l Next", "/ Search", "? Help", "q Quit"):
            assert label in bottom
        assert bottom.rstrip().endswith("^p palette")
        next_key = spot(bar, "next_turn")
        await pilot.click(KeyBar, offset=(next_key.start + 1, 0))
        await until(pilot, lambda: run_screen(pilot).current == 2)


async def test_hover_shows_what_a_key_does(story):
    async with app_for(story, turn=1).run_test(size=SIZE) as pilot:
        bar = pilot.app.screen.query_one(KeyBar)
        plain = {style.bgcolor for style in cells(bar, "search")}
        await pilot.hover(KeyBar, offset=(spot(bar, "search").start + 1, 0))
        assert bar.tooltip == "search all turns"
        assert not plain & {style.bgcolor for style in cells(bar, "search")}, "the hovered key is highlighted"
        await pilot.hover(KeyBar, offset=(spot(bar, "quit").start + 1, 0))
        assert bar.tooltip == "quit"


class Counter(App):
    """A key that applies (count) and one that is shown but does not apply now (reset)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("c", "count", "Count"), Binding("r", "reset", "Reset")]

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def compose(self) -> ComposeResult:
        yield KeyBar()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return None if action == "reset" else True

    def action_count(self) -> None:
        self.count += 1

    def action_reset(self) -> None:
        self.count = 0


async def test_a_key_that_does_not_apply_now_is_dimmed_and_a_click_on_it_does_nothing():
    app = Counter()
    async with app.run_test(size=(60, 3)) as pilot:
        bar = app.query_one(KeyBar)
        await pilot.click(KeyBar, offset=(spot(bar, "count").start + 1, 0))
        await until(pilot, lambda: app.count == 1)
        reset = spot(bar, "reset")
        assert not reset.enabled and spot(bar, "count").enabled
        assert all(style.dim for style in cells(bar, "reset"))
        assert not any(style.dim for style in cells(bar, "count")[1:]), "a live key: only its lead-in is dim"
        await pilot.click(KeyBar, offset=(reset.start + 1, 0))
        await pilot.pause()
        assert app.count == 1


async def test_a_narrow_terminal_drops_whole_keys_not_halves(story):
    async with app_for(story, turn=1).run_test(size=(60, 30)) as pilot:
        bar = pilot.app.screen.query_one(KeyBar)
        bottom = screen_text(pilot).splitlines()[-1]
        assert "…" not in bottom and bottom.rstrip().endswith("^p palette")
        assert all(spot.end <= 60 for spot in bar.spots)
        shown = [spot.binding.description for spot in bar.spots]
        assert shown[:2] == ["Prev", "Next"] and "Quit" not in shown
