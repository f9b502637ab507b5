"""Autoplay reveals thinking, call, output and diff in order, turn after turn."""

from __future__ import annotations

from nano_tui.ui.panels.base import CALL, DIFF, OUTPUT, THINKING
from nano_tui.ui.widgets.turn_view import TurnView
from tests.ui.helpers import SIZE, app_for, notified, run_screen, screen_text, until


def record_stages(monkeypatch) -> list[tuple[int, int]]:
    """Every (turn, stage) the turn view reveals, in order."""
    seen: list[tuple[int, int]] = []
    original = TurnView.set_stage

    def record(view: TurnView, stage: int) -> None:
        seen.append((view.turn.index if view.turn else -1, stage))
        original(view, stage)

    monkeypatch.setattr(TurnView, "set_stage", record)
    return seen


async def test_autoplay_reveals_each_turn_in_order(story, monkeypatch):
    seen = record_stages(monkeypatch)
    async with app_for(story, autoplay=True, speed=64).run_test(size=SIZE) as pilot:
        screen = run_screen(pilot)
        await until(pilot, lambda: not screen.playing)
        assert screen.current == 5
    stages = {turn: [stage for index, stage in seen if index == turn] for turn in range(6)}
    assert stages[1][:3] == [THINKING, CALL, OUTPUT]
    assert stages[3][:4] == [THINKING, CALL, OUTPUT, DIFF], "a patch turn ends on its diff"
    assert stages[5][0] == CALL, "the answer turn has no thinking: its text comes first"


async def test_space_pauses_and_resumes_and_speed_keys(story):
    async with app_for(story, speed=2).run_test(size=SIZE) as pilot:
        screen = run_screen(pilot)
        await pilot.press("space")
        assert screen.playing
        assert "▶ autoplay 2×" in screen_text(pilot)
        await pilot.press("space")
        assert not screen.playing
        assert screen.view.stage == DIFF, "pausing shows the whole turn"
        for _ in range(5):
            await pilot.press("plus")
        assert screen.speed == 64
        await pilot.press("minus")
        assert screen.speed == 32
        await pilot.pause()
        assert screen.current == 0, "nothing moves while paused"
        await pilot.press("space")
        await until(pilot, lambda: not screen.playing)
        assert screen.current == 5
        await notified(pilot, "End of the run.")


async def test_hidden_thinking_is_not_waited_for(story, monkeypatch):
    seen = record_stages(monkeypatch)
    async with app_for(story, speed=64).run_test(size=SIZE) as pilot:
        screen = run_screen(pilot)
        await pilot.press("t", "space")
        await until(pilot, lambda: not screen.playing)
    assert [stage for index, stage in seen if index == 1][:2] == [CALL, OUTPUT]
