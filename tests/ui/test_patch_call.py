"""An apply_patch call shows its search → replace as a diff highlighted in the patched file's language."""

from __future__ import annotations

from textual.geometry import Region

from nano_tui.ui.highlight import CHANGE_BACKGROUNDS
from nano_tui.ui.widgets.tool_call_panel import ToolCallPanel
from tests.ui.helpers import SIZE, app_for
from tests.ui.runlogs import assistant, tool, write_run


def segments(panel) -> list:
    strips = panel.render_lines(Region(0, 0, panel.outer_size.width, panel.outer_size.height))
    return [segment for strip in strips for segment in strip]


def patch_run(tmp_path, file: str):
    return write_run(tmp_path / "run", [
        {"role": "user", "content": "task"},
        assistant(None, [("c", "apply_patch", {"search": "def f():\n    return [a - b]\n",
                                                "replace": "def f():\n    return [a + b]\n", "file": file})]),
        tool("c", "patch applied successfully"),
    ])


async def test_python_patch_is_coloured_as_python_on_change_backgrounds(tmp_path):
    async with app_for(patch_run(tmp_path, "src/calc.py"), turn=1).run_test(size=SIZE) as pilot:
        panel = pilot.app.screen.query_one(ToolCallPanel)
        added, removed = CHANGE_BACKGROUNDS[True]
        returns = [segment for segment in segments(panel) if segment.text == "return"]
        assert [segment.style.bgcolor.name for segment in returns] == [removed, added]
        plain = next(segment for segment in segments(panel) if segment.text == "a")
        assert returns[0].style.color != plain.style.color, "the keyword is coloured as Python"
        assert "[a + b]" in "".join(segment.text for segment in segments(panel)), "brackets stay literal"


async def test_unknown_language_falls_back_to_diff_colours(tmp_path):
    async with app_for(patch_run(tmp_path, "notes.unknownext"), turn=1).run_test(size=SIZE) as pilot:
        panel = pilot.app.screen.query_one(ToolCallPanel)
        added, removed = CHANGE_BACKGROUNDS[True]
        backgrounds = {segment.style.bgcolor.name for segment in segments(panel)
                       if segment.style and segment.style.bgcolor}
        assert added not in backgrounds and removed not in backgrounds
        assert "-    return [a - b]" in "".join(segment.text for segment in segments(panel))
