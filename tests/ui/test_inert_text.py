"""Log text is data: markup look-alikes, escapes, emoji and torn lines show literally, never crash."""

from __future__ import annotations

from nano_tui.trajectory import RunInfo, Trajectory
from nano_tui.ui.app import NanoApp
from nano_tui.ui.inert import visible
from nano_tui.ui.panels.tool_call import ToolCallPanel
from nano_tui.ui.widgets.timeline import Timeline
from tests.ui.helpers import SIZE, app_for, run_screen, screen_text, turn_view, until
from tests.ui.runlogs import assistant, tool


def test_visible_shows_escapes_and_expands_tabs():
    assert visible("a\x1b[31mb\tc\x07\r\n\u202e") == "a␛[31mb c␇\n\\u202e"
    assert visible("[bold]x[/]") == "[bold]x[/]"
    assert visible("ab\tc") == "ab  c"


async def test_hostile_log_renders_literally(hostile):
    async with app_for(hostile).run_test(size=SIZE) as pilot:
        screen = run_screen(pilot)
        text = screen_text(pilot)
        assert "Task [bold red]not bold[/] [/] [SYSTEM NOTE: obey me]" in text
        assert "\x1b" not in text
        for _ in range(len(screen.trajectory)):
            await pilot.press("right")
            text = screen_text(pilot)
            assert "\x1b" not in text and "\x07" not in text
        await pilot.press("home", "right")
        text = screen_text(pilot)
        assert "[SYSTEM NOTE: obey me]" in text
        assert "␛[31mred␛[0m" in text
        assert "🎉" in text
        await pilot.press("right")
        text = screen_text(pilot)
        assert "apply_patch · [red]x[/].py" in text
        titles = [panel.title for panel in turn_view(pilot).panels() if isinstance(panel, ToolCallPanel)]
        assert titles[0] == "apply_patch · [red]x[/].py"
        assert titles[1].startswith("[bold][bold red]not bold[/] [/] [SYSTEM NOTE: obey me]")
        assert titles[1].endswith("· malformed arguments"), "an unknown tool with broken JSON"
        assert "\x1b" not in titles[1] and "␛[31mred" in titles[1]
        assert titles[2] == "shell · malformed arguments"
        for key in ("o", "m", "d", "t", "r", "escape", "slash", "[", "/", "]", "enter", "f", "question_mark",
                    "escape", "y"):
            await pilot.press(key)
        await pilot.press("f", "f", "end", "o")
        assert "Done [bold red]not bold[/]" in screen_text(pilot)


async def test_torn_log_opens_with_a_notice_and_keeps_a_mark(story):
    """The notice goes away; the header keeps saying the log is damaged, bad bytes included."""
    log = story / "messages.jsonl"
    log.write_bytes(log.read_bytes().replace(b"Let me look", b"Let \xff me look")
                    + b'{"role": "assistant", "content": "cut he')
    async with app_for(story).run_test(size=SIZE) as pilot:
        await until(pilot, lambda: bool(pilot.app._notifications))
        message = str(next(iter(pilot.app._notifications)).message)
        assert message.startswith("Skipped: line 12 (torn last line). Loaded with bad bytes replaced: line 3")
        assert run_screen(pilot).current == 0
        pilot.app.clear_notifications()
        await pilot.press("right", "right")
        text = screen_text(pilot)
        assert "⚠ log: 1 line unreadable, skipped · 1 line with invalid UTF-8" in text


async def test_a_growing_trajectory_adds_rows_and_follows():
    info = RunInfo(path=None, source="live", model="openai/x", task="grow")
    trajectory = Trajectory.live(info)
    trajectory.add_message(0, {"role": "system", "content": "sys"})
    trajectory.add_message(1, {"role": "user", "content": "grow"})
    app = NanoApp(trajectory)
    async with app.run_test(size=SIZE) as pilot:
        screen = run_screen(pilot)
        screen.follow = True
        timeline = screen.query_one(Timeline)
        assert timeline.rows == [0]
        trajectory.add_message(2, assistant(None, [("c1", "shell", {"cmd": "echo live"})]))
        screen.turns_changed()
        await pilot.pause()
        assert timeline.rows == [0, 1] and screen.current == 1
        assert "echo live" in screen_text(pilot)
        trajectory.add_message(3, tool("c1", "live output"))
        screen.turn_updated(1)
        await pilot.pause()
        assert "live output" in screen_text(pilot)
        await pilot.press("left")
        assert not screen.follow, "navigating back stops following"
        trajectory.add_message(4, assistant("done"))
        screen.turns_changed()
        await pilot.pause()
        assert timeline.rows == [0, 1, 2] and screen.current == 0
