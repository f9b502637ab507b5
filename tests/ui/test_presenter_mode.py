"""Presenter mode and the loop strip: the five steps lit in order as autoplay plays a turn, what each
request sent, and a layout for a projector."""

from __future__ import annotations

from textual.widget import Widget
from textual.widgets import Static

from nano_tui.ui.screens.context import ContextScreen
from nano_tui.ui.widgets.loop_strip import CONTEXT, MODEL, RESULT, RUNS, TOOL, LoopStrip
from nano_tui.ui.widgets.timeline import Timeline
from tests.ui.helpers import SIZE, app_for, notified, run_screen, screen_text, until


def record_steps(monkeypatch) -> list[tuple[int, int | None, bool]]:
    """Every (turn, step, final) the strip lights, once per change."""
    seen: list[tuple[int, int | None, bool]] = []
    original = LoopStrip.show_step

    def record(strip: LoopStrip, step: int | None, final: bool = False) -> None:
        turn = strip.screen.current
        if not seen or seen[-1] != (turn, step, final):
            seen.append((turn, step, final))
        original(strip, step, final)

    monkeypatch.setattr(LoopStrip, "show_step", record)
    return seen


def shown(widget: Widget) -> bool:
    """On the screen: mounted (the presenter bands are mounted when first shown) and displayed."""
    return widget.is_attached and widget.display


async def test_autoplay_walks_the_loop_strip_through_each_turn(story, monkeypatch):
    seen = record_steps(monkeypatch)
    async with app_for(story, autoplay=True, speed=64, present=True).run_test(size=SIZE) as pilot:
        screen = run_screen(pilot)
        await until(pilot, lambda: not screen.playing)
    steps = {turn: [(step, final) for index, step, final in seen if index == turn] for turn in range(6)}
    loop = [(CONTEXT, False), (MODEL, False), (TOOL, False), (RUNS, False), (RESULT, False)]
    assert steps[1] == loop, "a turn with a call goes once round the loop"
    assert steps[3] == loop
    assert steps[5] == [(CONTEXT, False), (MODEL, True)], "the final answer ends the loop"


async def test_each_turn_says_what_its_request_sent(story):
    async with app_for(story, turn=3).run_test(size=SIZE) as pilot:
        await pilot.press("v")
        await pilot.pause()
        text = screen_text(pilot)
        assert "sent to the model" in text and "6 messages, ≈" in text and "(estimated)" in text
        assert "New since the last request: the model's last reply and 1 tool result" in text
        await pilot.press("left", "left")
        await pilot.pause()
        assert "2 messages, ≈" in screen_text(pilot) and "the first request" in screen_text(pilot)
        await pilot.press("v")
        await pilot.pause()
        assert "sent to the model" not in screen_text(pilot), "without the strip, no request note"


async def test_p_swaps_the_timeline_for_a_progress_line_and_back(story):
    async with app_for(story, turn=2).run_test(size=(80, 24)) as pilot:
        screen = run_screen(pilot)
        assert screen.query_one(Timeline).display and not shown(screen.loop_strip)
        await pilot.press("P")
        await pilot.pause()
        assert not screen.query_one(Timeline).display and not screen.query_one("#header", Static).display
        assert screen.loop_strip.display and screen.progress.display
        text = screen_text(pilot)
        assert "turn 2 of 5" in text and "2 model" in text and "5 result" in text
        await pilot.press("right")
        await pilot.pause()
        assert "turn 3 of 5" in screen_text(pilot), "the turn keys move in presenter mode"
        await pilot.press("P")
        await pilot.pause()
        assert screen.query_one(Timeline).display and not shown(screen.progress)


async def test_c_shows_what_the_model_was_sent_the_new_part_marked(story):
    async with app_for(story, turn=3).run_test(size=(100, 40)) as pilot:
        await pilot.press("c")
        await until(pilot, lambda: isinstance(pilot.app.screen, ContextScreen))
        context = pilot.app.screen
        assert [message["role"] for message in context.request.messages] == \
            ["system", "user", "assistant", "tool", "assistant", "tool"]
        text = screen_text(pilot)
        assert "turn 3 · what the model was sent · 6 messages, ≈" in text
        assert "▌ NEW 5. assistant" in text and "▌ NEW 6. tool · result of call_2" in text
        assert "NEW 4." not in text and "4. tool · result of call_1" in text, "only the last reply's part"
        assert "1 failed in 0.01s" in text and "tools offered (2)" in text
        await pilot.press("escape")
        await pilot.press("home", "c")
        await pilot.pause()
        assert not isinstance(pilot.app.screen, ContextScreen)
        await notified(pilot, "Turn 0 is the setup")


async def test_in_presenter_mode_a_note_is_a_caption_that_stays_in_view(story):
    from nano_tui.trajectory import load

    load(story).set_note(3, "Watch the patch: one exact piece of text replaced.")
    async with app_for(story, turn=3, present=True).run_test(size=(80, 24)) as pilot:
        screen = run_screen(pilot)
        assert screen.caption.has_class("-shown") and screen.caption.region.y == 1, "under the strip"
        assert "Watch the patch" in screen_text(pilot) and "note · A edits" not in screen_text(pilot)
        screen.view.scroll_end(animate=False)
        await pilot.pause()
        assert "Watch the patch" in screen_text(pilot), "scrolling the turn leaves the caption"
        await pilot.press("right")
        await pilot.pause()
        assert not screen.caption.has_class("-shown"), "turn 4 has no note"
        await pilot.press("left", "P")
        await pilot.pause()
        assert screen.view.presenter.user_note.shown and not screen.caption.has_class("-shown"), \
            "out of presenter mode it is the note panel again"
