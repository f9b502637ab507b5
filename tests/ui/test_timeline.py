"""The timeline's rows: whole tool names, aligned numbers, and room for the panels at 80 columns."""

from __future__ import annotations

import pytest

from nano_tui.ui.app import NanoApp
from nano_tui.ui.widgets.timeline import Timeline
from nano_tui.ui.widgets.turn_view import TurnView
from tests.ui.helpers import SIZE, app_for, run_screen, screen_text, until
from tests.ui.runlogs import assistant, tool, write_long_run, write_run


def rows(pilot) -> list[str]:
    timeline = pilot.app.screen.query_one(Timeline)
    return [timeline.render_line(y).text for y in range(min(timeline.size.height, len(timeline.rows)))]


async def test_a_multi_call_turn_keeps_the_tool_name_whole(tmp_path):
    patch = {"search": "a", "replace": "b", "file": "app.py"}
    path = write_run(tmp_path / "run", [
        {"role": "user", "content": "task"},
        assistant(None, [("c1", "apply_patch", patch), ("c2", "shell", {"cmd": "pytest"})]),
        tool("c1", "patch applied successfully"), tool("c2", "ok"),
    ])
    async with app_for(path).run_test(size=SIZE) as pilot:
        row = rows(pilot)[1]
        assert "apply_patch +1 app.py" in row


async def test_long_runs_keep_their_turn_numbers_aligned(tmp_path):
    """The number column is as wide as the largest turn number: 9,999 and 10,000 line up."""
    async with app_for(write_long_run(tmp_path / "long", 10_010), turn=9_995).run_test(size=SIZE) as pilot:
        shown = [row for row in rows(pilot) if "shell" in row]
        assert any(" 9999 " in row for row in shown) and any("10000 " in row for row in shown)
        assert len({row.index("shell") for row in shown}) == 1, shown


async def test_at_80_columns_the_timeline_narrows_and_z_hides_it(story):
    async with app_for(story, turn=1).run_test(size=(80, 24)) as pilot:
        screen = run_screen(pilot)
        timeline, view = screen.query_one(Timeline), screen.query_one(TurnView)
        assert timeline.size.width <= 30 and view.size.width >= 48
        assert "ls && cat" in rows(pilot)[1]
        await pilot.press("z")
        await pilot.pause()
        assert not timeline.display and view.size.width == 80
        await pilot.press("l")
        assert screen.current == 2, "the turn keys still move with the timeline hidden"
        await pilot.press("z")
        await pilot.pause()
        assert timeline.display and timeline.size.width <= 30


def contrast(one, other) -> float:
    """WCAG contrast ratio of two Rich colours."""

    def luminance(colour) -> float:
        channels = [value / 255 for value in colour.get_truecolor()]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("theme", ["nano-dark", "nano-light", "nano-high-contrast", "textual-light"])
async def test_the_selected_row_reads_in_every_theme(story, theme):
    """The cursor row of a failed call and of a patch reads (contrast ≥ 4.5) on the cursor's colour."""
    for turn in (2, 3):
        async with app_for(story, turn=turn, theme=theme).run_test(size=SIZE) as pilot:
            timeline = pilot.app.screen.query_one(Timeline)
            strip = timeline.render_line(timeline.rows.index(turn))
            for text, style, _ in strip:
                if text.strip() and style is not None and style.color is not None and style.bgcolor:
                    assert contrast(style.color, style.bgcolor) >= 4.5, (theme, turn, text)



async def test_a_long_log_opens_on_its_first_turns_and_then_lists_them_all(tmp_path):
    """The first turn is shown before the whole log is indexed; the rest of the rows follow."""
    from nano_tui.trajectory import load

    trajectory = load(write_long_run(tmp_path / "long", 500))
    assert trajectory.has_turn(3) and not trajectory.is_last(3)
    assert 60 <= trajectory.whole_turns(60) < 500 and not trajectory.indexed, "only the first turns read"
    app = NanoApp(trajectory)
    async with app.run_test(size=SIZE) as pilot:
        screen = run_screen(pilot)
        await until(pilot, lambda: len(screen.timeline.rows) == 500)
        assert trajectory.indexed and "turn 0 of 499" in screen_text(pilot)
        await pilot.press("end")
        assert screen.current == 499 and trajectory.is_last(499)
