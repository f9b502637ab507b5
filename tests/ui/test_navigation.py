"""Stepping through a run with keys and the mouse."""

from __future__ import annotations

from nano_tui.ui.panels.answer import AnswerPanel
from nano_tui.ui.panels.thinking import ThinkingPanel
from nano_tui.ui.panels.tool_call import ToolCallPanel
from nano_tui.ui.widgets.timeline import Timeline
from tests.ui.helpers import (
    SIZE,
    app_for,
    body_text,
    notified,
    panel_of,
    run_screen,
    screen_text,
    turn_view,
)


async def test_arrows_vim_keys_home_end(story):
    async with app_for(story).run_test(size=SIZE) as pilot:
        screen = run_screen(pilot)
        assert screen.current == 0
        assert "Fix the failing test in app.py" in screen_text(pilot)
        await pilot.press("right")
        assert screen.current == 1
        assert "ls && cat app.py" in screen_text(pilot)
        await pilot.press("l", "l")
        assert screen.current == 3
        assert "apply_patch · app.py" in screen_text(pilot)
        await pilot.press("h")
        assert screen.current == 2
        await pilot.press("end")
        assert screen.current == 5
        assert "turn 5 of 5" in screen_text(pilot)
        await pilot.press("right")
        assert screen.current == 5, "stays on the last turn"
        await pilot.press("home")
        assert screen.current == 0
        await pilot.press("left")
        assert screen.current == 0


async def test_start_turn_option(story):
    async with app_for(story, turn=4).run_test(size=SIZE) as pilot:
        assert run_screen(pilot).current == 4


async def test_clicking_a_timeline_row_opens_that_turn(story):
    async with app_for(story).run_test(size=SIZE) as pilot:
        # The timeline starts below the two-line header: row 3 is on screen line 5.
        await pilot.click(Timeline, offset=(10, 3))
        assert run_screen(pilot).current == 3
        assert panel_of(pilot, ToolCallPanel).title == "apply_patch · app.py"


async def test_go_to_turn(story):
    async with app_for(story).run_test(size=SIZE) as pilot:
        await pilot.press("g", "4", "enter")
        assert run_screen(pilot).current == 4
        await pilot.press("g", "9", "9", "enter")
        assert run_screen(pilot).current == 4
        await notified(pilot, "There is no turn 99")
        await pilot.press("g", "escape")
        assert run_screen(pilot).current == 4


async def test_panels_follow_the_turn(story):
    async with app_for(story).run_test(size=SIZE) as pilot:
        await pilot.press("right")
        thinking = panel_of(pilot, ThinkingPanel)
        assert thinking.shown and "Let me look at the repository first." in thinking.raw_text
        assert not panel_of(pilot, AnswerPanel).shown, "turn 1 has no text"
        await pilot.press("end")
        assert not thinking.shown, "the answer turn has no thinking"
        answer = panel_of(pilot, AnswerPanel)
        assert answer.shown and answer.raw_text.startswith("Fixed **`add`**")
        text = screen_text(pilot)
        assert "Fixed add in app.py" in text, "Markdown is rendered, not shown raw"


async def test_two_thousand_turns_stay_one_widget(tmp_path):
    from tests.ui.runlogs import write_long_run

    path = write_long_run(tmp_path / "big", 2000)
    async with app_for(path).run_test(size=SIZE) as pilot:
        screen = run_screen(pilot)
        timeline = screen.query_one(Timeline)
        await pilot.pause()  # the rest of the log is indexed once the first turn is on screen
        assert len(timeline.rows) == 2000
        assert not timeline.children, "rows are rendered lines, not widgets"
        await pilot.press("end")
        assert screen.current == 1999
        assert "1999" in screen_text(pilot)
        await pilot.press("left")
        assert screen.current == 1998


async def test_each_turn_opens_at_its_top_or_where_it_was_left(tmp_path):
    """Unfold a long output, scroll far down, step on: the next turn shows from its top (it used to
    stay scrolled past its end, a blank pane); stepping back returns to where that turn was left."""
    from tests.ui.runlogs import assistant, tool, write_run

    long = "\n".join(f"line {number}" for number in range(300))
    path = write_run(tmp_path / "run", [
        {"content": "task", "role": "user"},
        assistant(None, [("c1", "shell", {"cmd": "seq 300"})]), tool("c1", long),
        assistant(None, [("c2", "shell", {"cmd": "echo hi"})]), tool("c2", "hi"),
        assistant("done"),
    ])
    async with app_for(path, turn=1).run_test(size=SIZE) as pilot:
        view = turn_view(pilot)
        await pilot.press("o", "tab", *["pagedown"] * 8)
        left_at = view.scroll_offset.y
        assert left_at > 200 and "line 2" in screen_text(pilot)
        await pilot.press("l")
        assert run_screen(pilot).current == 2
        assert view.scroll_offset.y == 0
        assert "echo hi" in screen_text(pilot)
        await pilot.press("h")
        assert view.expanded and view.scroll_offset.y == left_at
        assert f"line {left_at}"[:7] in screen_text(pilot)


async def test_a_long_command_wraps_in_a_narrow_panel(tmp_path):
    """At 80 columns a command longer than the panel is wrapped, not cut: its end is on screen."""
    from tests.ui.runlogs import assistant, tool, write_run

    command = "ls -R . | grep -v __pycache__ && cat README.md && echo the-very-end"
    path = write_run(tmp_path / "run", [{"role": "user", "content": "task"},
                                        assistant(None, [("c", "shell", {"cmd": command})]), tool("c", "ok")])
    async with app_for(path, turn=1).run_test(size=(80, 24)) as pilot:
        assert "the-very-end" in body_text(pilot, panel_of(pilot, ToolCallPanel)).replace("\n", "")
