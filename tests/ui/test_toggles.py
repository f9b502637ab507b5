"""t, d, m, o, r, y, e and ? on a turn."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from nano_tui.ui.app import NanoApp
from nano_tui.ui.panels.answer import AnswerPanel
from nano_tui.ui.panels.diff import DiffPanel
from nano_tui.ui.panels.thinking import ThinkingPanel
from nano_tui.ui.panels.tool_output import ToolOutputPanel
from nano_tui.ui.screens.export import ExportScreen
from nano_tui.ui.screens.help import HelpScreen
from nano_tui.ui.screens.raw_json import RawJsonScreen
from nano_tui.ui.widgets.run_header import RunHeader
from tests.ui.helpers import (
    SIZE,
    app_for,
    body_text,
    click_panel,
    notified,
    panel_of,
    run_screen,
    screen_text,
    turn_view,
    until,
)
from tests.ui.runlogs import assistant, tool, write_run


async def test_thinking_toggle(story):
    async with app_for(story, turn=1).run_test(size=SIZE) as pilot:
        assert "Let me look at the repository first." in screen_text(pilot)
        await pilot.press("t")
        assert "Let me look at the repository first." not in screen_text(pilot)
        await pilot.press("right")
        assert "Run the tests to see the failure." not in screen_text(pilot), "stays off across turns"
        await pilot.press("t")
        assert "Run the tests to see the failure." in screen_text(pilot)


async def test_long_thinking_opens_on_click_or_o(tmp_path):
    reasoning = "\n".join(f"thought {n}" for n in range(10))
    path = write_run(tmp_path / "run", [{"role": "user", "content": "task"},
                                        assistant(None, [("c", "shell", {"cmd": "ls"})], reasoning=reasoning),
                                        tool("c", "x"),
                                        assistant(None, [("d", "shell", {"cmd": "ls"})], reasoning=reasoning),
                                        tool("d", "x")])
    async with app_for(path, turn=1).run_test(size=SIZE) as pilot:
        text = screen_text(pilot)
        assert "thought 5" in text and "thought 6" not in text and "4 more lines" in text
        await click_panel(pilot, panel_of(pilot, ThinkingPanel))
        assert "thought 9" in screen_text(pilot)
        await pilot.press("right")
        assert "thought 9" in screen_text(pilot), "an opened thinking panel stays open"
        await click_panel(pilot, panel_of(pilot, ThinkingPanel))
        assert "thought 9" not in screen_text(pilot)
        await pilot.press("o")
        assert "thought 9" in screen_text(pilot)


async def test_diff_toggle_shows_cumulative_and_final(story):
    async with app_for(story, turn=2).run_test(size=SIZE) as pilot:
        diff = panel_of(pilot, DiffPanel)
        assert not diff.shown, "turn 2 changed nothing"
        await pilot.press("d")
        assert diff.shown and diff.title == "all changes up to turn 2"
        assert "no changes" in screen_text(pilot)
        await pilot.press("end")
        assert diff.title == "final diff"
        assert "index 3b18e51..a042389" in diff.raw_text
        await pilot.press("d", "left", "left")
        assert run_screen(pilot).current == 3
        assert diff.title == "diff · this turn · line numbers unknown"
        assert "+    return a + b" in diff.raw_text


async def test_markdown_raw_toggle(story):
    async with app_for(story, turn=5).run_test(size=SIZE) as pilot:
        assert "Fixed add in app.py" in screen_text(pilot)
        await pilot.press("m")
        assert panel_of(pilot, AnswerPanel).subtitle == "raw · m toggles"
        assert "Fixed **`add`** in `app.py`" in screen_text(pilot)


async def test_long_output_folds_and_expands(tmp_path):
    output = "\n".join(f"line {n}" for n in range(500))
    path = write_run(tmp_path / "run", [{"role": "user", "content": "task"},
                                        assistant(None, [("c", "shell", {"cmd": "seq 500"})]),
                                        tool("c", output)])
    async with app_for(path, turn=1).run_test(size=SIZE) as pilot:
        panel = panel_of(pilot, ToolOutputPanel)
        assert "460 more lines the model saw are folded" in body_text(pilot, panel)
        await pilot.press("o")
        rendered = body_text(pilot, panel)
        assert "line 499" in rendered and "folded" not in rendered
        await pilot.press("o")
        assert "460 more lines the model saw are folded" in body_text(pilot, panel)


async def test_raw_json_shows_the_messages_exactly(story):
    async with app_for(story, turn=2).run_test(size=SIZE) as pilot:
        await pilot.press("r")
        assert isinstance(pilot.app.screen, RawJsonScreen)
        dump = pilot.app.screen.dump
        lines = Path(story, "messages.jsonl").read_text().splitlines()
        assert [json.loads(block) for block in dump.split("\n{")[:1]] == [json.loads(lines[4])]
        assert "messages.jsonl lines 5, 6" in screen_text(pilot)
        await pilot.press("escape")
        assert not isinstance(pilot.app.screen, RawJsonScreen)


async def test_copy_takes_the_selected_panel(story):
    async with app_for(story, turn=2).run_test(size=SIZE) as pilot:
        await pilot.press("y")
        assert pilot.app.clipboard.startswith("command failed with exit code 1.")
        await click_panel(pilot, panel_of(pilot, ThinkingPanel))
        await pilot.press("y")
        assert pilot.app.clipboard == "Run the tests to see the failure."


async def test_help_lists_every_key(story):
    async with app_for(story).run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        assert isinstance(pilot.app.screen, HelpScreen)
        text = screen_text(pilot)
        for needle in ("← h", "previous turn", "Space", "autoplay: play / pause", "search all turns",
                       "N", "filter: all / failed calls / patches", "copy the selected panel"):
            assert needle in text, needle
        await pilot.press("end")
        text = screen_text(pilot)
        for needle in ("hide / show the timeline", "click a turn", "command palette"):
            assert needle in text, needle
        await pilot.press("escape")
        assert not isinstance(pilot.app.screen, HelpScreen)


async def test_export_writes_the_chosen_format(story, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    async with app_for(story).run_test(size=SIZE) as pilot:
        await pilot.press("e")
        assert isinstance(pilot.app.screen, ExportScreen)
        await pilot.press("down", "enter")
        target = tmp_path / "2025-12-03T10-00-00-0badc0de.md"
        await until(pilot, target.exists)
        assert "ls && cat app.py" in target.read_text()


async def test_an_export_from_the_app_redacts_and_says_so(tmp_path, monkeypatch):
    key = "sk-proj-x1Y2z3W4v5U6t7S8r9Q0p1O2n3M4l5K6"
    run = write_run(tmp_path / "2025-12-03T10:00:00-0badc0de", [
        {"content": "Print the environment", "role": "user"},
        assistant(None, [("call_1", "shell", {"cmd": "env"})]), tool("call_1", f"OPENAI_API_KEY={key}")])
    monkeypatch.chdir(tmp_path)
    async with app_for(run).run_test(size=SIZE) as pilot:
        await pilot.press("e", "down", "down", "enter")  # html
        target = tmp_path / "2025-12-03T10-00-00-0badc0de.html"
        await until(pilot, target.exists)
        assert key not in target.read_text() and "[REDACTED:openai key]" in target.read_text()
        assert key in (run / "messages.jsonl").read_text(), "the run's own files are unchanged"
        await notified(pilot, "what looks like a secret replaced in")


async def test_theme_switch_recolours_code(story):
    async with app_for(story, turn=1, theme="nano-light").run_test(size=SIZE) as pilot:
        assert pilot.app.theme == "nano-light"
        light = pilot.app.export_screenshot()
        pilot.app.theme = "nano-dark"
        await pilot.pause()
        assert pilot.app.export_screenshot() != light
        assert "ls && cat app.py" in screen_text(pilot)


async def test_a_theme_that_changes_only_an_accent_recolours_the_panels(story):
    async with app_for(story, turn=1).run_test(size=SIZE) as pilot:
        dark = pilot.app.get_theme("nano-dark")
        assert dark is not None
        pilot.app.register_theme(dataclasses.replace(dark, name="nano-dark-red", primary="#ff0000"))
        before = pilot.app.export_screenshot()
        pilot.app.theme = "nano-dark-red"
        await pilot.pause()
        red = pilot.app.get_css_variables()["primary"].lower()  # as the theme's colour system made it
        assert red not in before
        assert red in pilot.app.export_screenshot(), "the call panel's title is in the new primary"


def row_colours(pilot, turn: int) -> tuple[str, str]:
    """The colour of a timeline row's tool name, and the row's background where the name is."""
    timeline = run_screen(pilot).timeline
    strip = timeline.render_line(turn - timeline.scroll_offset.y)
    segment = next(segment for segment in strip if segment.text.strip() == "shell")
    return segment.style.color.triplet.hex, segment.style.bgcolor.triplet.hex


def model_colour(pilot) -> str:
    """The colour the header draws the model's name in."""
    header = run_screen(pilot).query_one(RunHeader)
    segment = next(segment for segment in header.render_line(0) if "gpt-4.1-mini" in segment.text)
    return segment.style.color.triplet.hex


async def test_a_theme_that_changes_only_its_primary_recolours_the_timeline_and_header(story):
    async with app_for(story, turn=0).run_test(size=SIZE) as pilot:
        dark = pilot.app.get_theme("nano-dark")
        assert dark is not None
        pilot.app.register_theme(dataclasses.replace(dark, name="nano-dark-red", primary="#ff0000"))
        before = row_colours(pilot, 1)[0], model_colour(pilot)
        pilot.app.theme = "nano-dark-red"
        await pilot.pause()
        red = pilot.app.get_css_variables()["primary"].lower()
        assert red not in before
        assert row_colours(pilot, 1)[0] == red, "a tool call's name is in the new primary"
        assert model_colour(pilot) == red, "so is the model's name in the header"


async def test_the_cursor_row_is_brighter_while_the_list_has_the_focus(story):
    async with app_for(story, turn=1).run_test(size=SIZE) as pilot:
        assert run_screen(pilot).timeline.has_focus
        focused = row_colours(pilot, 1)[1]
        await pilot.press("tab")
        assert not run_screen(pilot).timeline.has_focus
        assert row_colours(pilot, 1)[1] != focused
        await pilot.press("shift+tab")
        assert row_colours(pilot, 1)[1] == focused


async def test_tab_selects_panels_in_turn_for_copy(story):
    async with app_for(story, turn=3).run_test(size=SIZE) as pilot:
        await pilot.press("tab", "tab")
        view = turn_view(pilot)
        assert view.has_focus and view.selected is panel_of(pilot, AnswerPanel)
        await pilot.press("y")
        assert pilot.app.clipboard == "The subtraction should be an addition."
        await pilot.press("tab", "tab", "tab")
        assert view.selected is view.panels()[-1] is panel_of(pilot, DiffPanel)
        await pilot.press("tab")
        assert not view.has_focus, "Tab past the last panel leaves the turn view"


async def test_fold_and_cut_are_marked_where_they_are(tmp_path):
    """A folded output marks the fold as a fold; nano's cut is marked after the last line the model saw,
    not right under the folded lines as if the model had seen 40."""
    output = "\n".join(f"line {n}" for n in range(100)) + "... output truncated"
    path = write_run(tmp_path / "run", [{"role": "user", "content": "task"},
                                        assistant(None, [("c", "shell", {"cmd": "seq 1000"})]),
                                        tool("c", output)])
    async with app_for(path, turn=1).run_test(size=SIZE) as pilot:
        lines = body_text(pilot, panel_of(pilot, ToolOutputPanel)).splitlines()
        fold = next(n for n, line in enumerate(lines) if "folded" in line)
        assert lines[fold - 1].startswith("line 39")
        assert "60 more lines the model saw" in lines[fold]
        cut = next(n for n, line in enumerate(lines) if "✂" in line)
        assert cut > fold and "after line 100" in lines[cut] and "the model saw no more" in lines[cut]
        await pilot.press("o")
        lines = body_text(pilot, panel_of(pilot, ToolOutputPanel)).splitlines()
        cut = next(n for n, line in enumerate(lines) if "✂" in line)
        assert lines[cut - 1].startswith("line 99") and not any("folded" in line for line in lines)


async def test_palette_screenshot_without_a_downloads_folder(story, tmp_path, monkeypatch):
    """~/Downloads does not exist (a fresh account, a container): the SVG goes to the current folder
    and the notice says where."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    assert not (Path.home() / "Downloads").exists()
    async with app_for(story).run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*"Screenshot")
        await pilot.press("enter")
        await until(pilot, lambda: any(work.glob("*.svg")))
        (saved,) = work.glob("*.svg")
        await notified(pilot, str(saved))
        assert "<svg" in saved.read_text()


async def test_what_the_command_printed_beside_what_the_model_saw(git_repo, tmp_path):
    """nano cuts a tool result to 2,000 characters; nano-tui's sidecar keeps what the command printed
    and the replay says how much the model saw, O showing the rest."""
    from nano_tui.trajectory import load
    from tests.core.conftest import run_agent
    from tests.openai_server import Call, Reply

    replies = [Reply(tool_calls=[Call("shell", {"cmd": "seq 100000"})]), Reply(content="done")]
    agent, _, _, _ = run_agent(replies, git_repo, log_dir=tmp_path / "logs")
    call = load(agent.run_dir).turn(1).tool_calls[0]
    assert call.printed_bytes == 588_895 and call.printed.endswith("100000\n") and len(call.result) < 2100
    async with NanoApp(load(agent.run_dir), turn=1).run_test(size=SIZE) as pilot:
        output = panel_of(pilot, ToolOutputPanel)
        saw = f"the model saw {len(call.output):,} characters of the 588,895 bytes"
        assert saw in body_text(pilot, output).replace("\n", " ")
        await pilot.press("O")
        assert output.title == "what the command printed" and output.raw_text == call.printed
        await pilot.press("o")
        assert "100000" in body_text(pilot, output)
