"""An apply_patch call shows its search → replace as a diff highlighted in the patched file's language."""

from __future__ import annotations

from nano_tui.ui.panels.diff import DiffPanel
from nano_tui.ui.panels.tool_call import ToolCallPanel
from nano_tui.ui.themes import syntax_style
from tests.ui.helpers import SIZE, app_for, body_segments, body_text, panel_of
from tests.ui.runlogs import assistant, tool, write_run


def patch_run(tmp_path, file: str):
    return write_run(tmp_path / "run", [
        {"role": "user", "content": "task"},
        assistant(None, [("c", "apply_patch", {"search": "def f():\n    return [a - b]\n",
                                                "replace": "def f():\n    return [a + b]\n", "file": file})]),
        tool("c", "patch applied successfully"),
    ])


async def test_python_patch_is_coloured_as_python_on_change_backgrounds(tmp_path):
    async with app_for(patch_run(tmp_path, "src/calc.py"), turn=1).run_test(size=SIZE) as pilot:
        panel = panel_of(pilot, ToolCallPanel)
        style = syntax_style(pilot.app.current_theme)
        added, removed = style.added, style.removed
        returns = [segment for segment in body_segments(pilot, panel) if segment.text == "return"]
        assert [segment.style.bgcolor.name for segment in returns] == [removed, added]
        plain = next(segment for segment in body_segments(pilot, panel) if "[a" in segment.text)
        assert returns[0].style.color != plain.style.color, "the keyword is coloured as Python"
        drawn = "".join(segment.text for segment in body_segments(pilot, panel))
        assert "[a + b]" in drawn, "brackets stay literal"


async def test_unknown_language_falls_back_to_diff_colours(tmp_path):
    async with app_for(patch_run(tmp_path, "notes.unknownext"), turn=1).run_test(size=SIZE) as pilot:
        panel = panel_of(pilot, ToolCallPanel)
        style = syntax_style(pilot.app.current_theme)
        added, removed = style.added, style.removed
        backgrounds = {segment.style.bgcolor.name for segment in body_segments(pilot, panel)
                       if segment.style and segment.style.bgcolor}
        assert added not in backgrounds and removed not in backgrounds
        assert "-    return [a - b]" in "".join(segment.text for segment in body_segments(pilot, panel))


async def test_rebuilt_diffs_do_not_pretend_to_know_line_numbers(story):
    """A nano-agent log has no per-patch diff: the rebuilt hunks say their line numbers are unknown
    in the call, the turn's diff and the cumulative diff; the final git diff keeps its real ones."""
    async with app_for(story, turn=3).run_test(size=SIZE) as pilot:
        call_text = body_text(pilot, panel_of(pilot, ToolCallPanel))
        diff = panel_of(pilot, DiffPanel)
        for text in (call_text, body_text(pilot, diff)):
            assert "line numbers unknown" in text and "@@ -1" not in text
        assert "line numbers unknown" in diff.title
        await pilot.press("d")
        assert "line numbers unknown" in body_text(pilot, diff) and "up to turn 3" in diff.title
        await pilot.press("end")
        text = body_text(pilot, diff)
        assert diff.title == "final diff" and "@@ -1,2 +1,2 @@" in text and "unknown" not in text
