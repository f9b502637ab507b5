"""The live view driving real runs against the local OpenAI-compatible server, streamed."""

from __future__ import annotations

import json
import os
import re
import socket
import threading
from pathlib import Path

from nano_tui.core.tools import SKIPPED_REPLY
from nano_tui.trajectory import load
from nano_tui.ui.live_app import LOOP_THREAD, LiveApp
from nano_tui.ui.screens.confirm import ConfirmScreen
from nano_tui.ui.screens.live import LiveRunScreen
from tests.openai_server import Call, OpenAIServer, Reply
from tests.ui.helpers import screen_text
from tests.ui_live.helpers import (
    FIX,
    SIZE,
    live_screen,
    panel_text,
    server_spec,
    shown,
    status_text,
    subtitle,
    until,
)

THINKING = "The task says add subtracts. I will list the files first, then read app.py and fix it."
SAY = "Let me look at the repository before changing anything in it."


def sidecar(run_dir: str) -> list[dict]:
    return [json.loads(line) for line in (Path(run_dir) / "nano-tui.jsonl").read_text().splitlines()]


def loop_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name == LOOP_THREAD]


def sleeping(marker: str) -> bool:
    """Whether a ``sleep <marker>`` process is alive on this machine."""
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if Path(f"/proc/{pid}/cmdline").read_bytes() == f"sleep\0{marker}\0".encode():
                return True
        except OSError:
            continue
    return False


async def test_panels_fill_in_order_and_end_with_a_summary(git_repo, tmp_path):
    replies = [
        # streamed slowly enough that redraws paced for a fast run still catch the reply mid-way
        Reply(reasoning=THINKING, content=SAY, tool_calls=[Call("shell", {"cmd": "sleep 0.3; ls"})],
              chunk_delay=0.08),
        Reply(content="Fixing the operator.", tool_calls=[Call("apply_patch", FIX)], delay=0.5),
        Reply(content="Fixed: add() now adds."),
    ]
    with OpenAIServer(replies) as server:
        app = LiveApp(server_spec(git_repo, server.url, tmp_path / "logs"))
        seen: list[str] = []
        outputs: list[str] = []
        answer_modes: list[str] = []
        async with app.run_test(size=SIZE) as pilot:
            def record() -> bool:
                view = live_screen(app).live_view
                if view.turn is not None and view.turn.index == 1:
                    if shown(app, "answer"):
                        answer_modes.append(view.answer.subtitle)
                    for name in ("thinking", "answer", "call", "output"):
                        if name not in seen and shown(app, name):
                            seen.append(name)
                    outputs.append(panel_text(app, "output"))
                return app.status.state == "finished"

            await until(pilot, record, what="the run finishes")
            await pilot.pause()
            assert seen == ["thinking", "answer", "call", "output"]
            # raw while it streams (cheap to redraw), Markdown once the reply is logged
            assert answer_modes[0].startswith("streaming") and answer_modes[-1].startswith("markdown")
            assert any("README.md" in output for output in outputs)
            screen = live_screen(app)
            assert screen.current == len(app.trajectory) - 1 == 3
            assert "Fixed: add() now adds." in panel_text(app, "answer")
            summary = panel_text(app, "summary")
            run_dir = str(app.trajectory.info.path)
            assert run_dir and f"nano-tui replay {run_dir}" in summary
            assert "tool calls 2" in summary and "apply_patch 1/1 ok (100%)" in summary
            assert "return a + b" in panel_text(app, "diff")
            assert "finished" in status_text(app) and "tools 2/50" in status_text(app)
            assert screen.check_action("continue", ()) is False and screen.check_action("stop", ()) is False
            await pilot.press("enter", "x", "s", "a")
            assert app.status.state == "finished"
    assert (git_repo / "app.py").read_text().endswith("return a + b\n")
    assert len(load(Path(run_dir))) == 4


async def test_step_mode_pauses_before_each_call_and_resumes(git_repo, tmp_path):
    with OpenAIServer([Reply(content=SAY, tool_calls=[Call("shell", {"cmd": "echo stepped"})]),
                       Reply(content="Fixing.", tool_calls=[Call("apply_patch", FIX)])]) as server:
        app = LiveApp(server_spec(git_repo, server.url, tmp_path / "logs", step=True))
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: app.status.state == "paused", what="paused before the model")
            await pilot.pause(0.2)
            assert server.requests == [] and app.status.detail == "model"
            assert "paused before calling the model" in panel_text(app, "waiting")
            assert "step mode" in status_text(app)

            await pilot.press("enter")
            await until(pilot, lambda: app.status.state == "paused" and app.status.detail == "tool",
                        what="paused before the tool call")
            assert len(server.requests) == 1
            assert shown(app, "call") and not shown(app, "output")
            assert "x: skip it" in panel_text(app, "waiting")

            await pilot.press("enter")
            await until(pilot, lambda: app.status.state == "paused" and app.status.turn == 2
                        and app.status.detail == "model" and app.status.tool_calls == 1,
                        what="paused before the second model call")
            await until(pilot, lambda: "stepped" in panel_text(app, "output"), what="the output")

            await pilot.press("a")
            await until(pilot, lambda: app.status.state == "finished", what="the run finishes")
            assert not app.status.step and len(server.requests) == 3


async def test_skip_tells_the_model_and_runs_nothing(git_repo, tmp_path):
    with OpenAIServer([Reply(content=SAY, tool_calls=[Call("shell", {"cmd": "touch created.txt"})]),
                       Reply(content="Fixing.", tool_calls=[Call("apply_patch", FIX)])]) as server:
        app = LiveApp(server_spec(git_repo, server.url, tmp_path / "logs", step=True))
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: app.status.state == "paused", what="paused before the model")
            await pilot.press("enter")
            await until(pilot, lambda: app.status.detail == "tool" and app.status.state == "paused",
                        what="paused before the tool call")
            await pilot.press("x")
            await until(pilot, lambda: "skipped by the user" in subtitle(app, "output"), what="skipped")
            assert SKIPPED_REPLY in panel_text(app, "output")
            await pilot.press("a")
            await until(pilot, lambda: app.status.state == "finished", what="the run finishes")
    assert not (git_repo / "created.txt").exists()
    tool_message = server.requests[1]["messages"][-1]
    assert tool_message["role"] == "tool" and SKIPPED_REPLY in tool_message["content"]


async def test_stop_during_a_slow_tool_kills_it_and_keeps_the_screen(git_repo, tmp_path):
    marker = "30.0417"
    with OpenAIServer([Reply(content=SAY, tool_calls=[Call("shell", {"cmd": f"sleep {marker}"})])]) as server:
        app = LiveApp(server_spec(git_repo, server.url, tmp_path / "logs"))
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: app.status.state == "running tool" and sleeping(marker),
                        what="the slow command runs")
            await until(pilot, lambda: "running ·" in subtitle(app, "output"), what="a spinner")
            assert "running tool shell" in status_text(app)
            await pilot.press("s")
            await until(pilot, lambda: app.status.state == "stopped", timeout=10, what="stopped")
            await pilot.pause()
            assert isinstance(app.screen, LiveRunScreen)
            assert "stopped" in status_text(app)
            assert "The run was stopped." in panel_text(app, "summary")
            assert not sleeping(marker)
            run_dir = str(app.trajectory.info.path)
    assert run_dir is not None
    assert sidecar(run_dir)[-1]["event"] == "run_ended" and sidecar(run_dir)[-1]["reason"] == "stopped"
    assert (Path(run_dir) / "diff.txt").exists()
    assert load(Path(run_dir)).turn(1).tool_calls[0].arguments == {"cmd": f"sleep {marker}"}


async def test_http_500_shows_retries_then_an_error_panel(git_repo, tmp_path):
    failure = Reply(status=500, error="the model server fell over")
    with OpenAIServer([failure, failure]) as server:
        app = LiveApp(server_spec(git_repo, server.url, tmp_path / "logs", retries=1, retry_backoff=1.5))
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: shown(app, "retries"), what="the retry is shown")
            assert "retry 1" in status_text(app)
            await until(pilot, lambda: app.status.state == "failed", what="the run fails")
            await pilot.pause()
            error = panel_text(app, "error")
            assert "the model server fell over" in error and "retry later" in error
            assert "attempt 1 failed" in panel_text(app, "retries")
            assert "failed" in status_text(app)
            assert live_screen(app).current == 1
    assert app.exit_code == 1


async def test_connection_refused_says_to_check_the_api_base(git_repo, tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    api_base = f"http://127.0.0.1:{port}/v1"
    app = LiveApp(server_spec(git_repo, api_base, tmp_path / "logs"))
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.status.state == "failed", what="the run fails")
        await pilot.pause()
        error = panel_text(app, "error")
        assert "Connection" in error and f"Check --api-base {api_base}" in error


async def test_quitting_mid_run_leaves_no_thread_and_a_loadable_log(git_repo, tmp_path):
    marker = "30.0533"
    with OpenAIServer([Reply(content=SAY, tool_calls=[Call("shell", {"cmd": f"sleep {marker}"})])]) as server:
        app = LiveApp(server_spec(git_repo, server.url, tmp_path / "logs"))
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: sleeping(marker), what="the slow command runs")
            assert loop_threads()
            await pilot.press("q")
            await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the question")
            assert app.status.live
            await pilot.press("y")
    assert app.finished.is_set() and not loop_threads()
    assert not sleeping(marker)
    trajectory = load(app.trajectory.info.path)
    assert trajectory.turn(1).text == SAY
    assert trajectory.info.end_reason == "stopped"


async def test_ctrl_c_while_paused_quits_at_once_and_cleanly(git_repo, tmp_path):
    with OpenAIServer([]) as server:
        app = LiveApp(server_spec(git_repo, server.url, tmp_path / "logs", step=True))
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: app.status.state == "paused", what="paused before the model")
            await pilot.press("ctrl+c")
    assert app.finished.is_set() and not loop_threads()
    assert server.requests == []
    assert sidecar(str(app.trajectory.info.path))[-1]["reason"] == "stopped"


async def test_follow_mode_ends_on_navigation_and_comes_back_with_L(git_repo, tmp_path):
    replies = [Reply(content=SAY, tool_calls=[Call("shell", {"cmd": "echo one"})]),
               Reply(content="Again.", tool_calls=[Call("shell", {"cmd": "echo two"})]),
               Reply(content="Fixing.", tool_calls=[Call("apply_patch", FIX)])]
    with OpenAIServer(replies) as server:
        app = LiveApp(server_spec(git_repo, server.url, tmp_path / "logs", step=True))
        async with app.run_test(size=SIZE) as pilot:
            screen = live_screen(app)
            for before, calls in (("model", 0), ("tool", 0), ("model", 1), ("tool", 1), ("model", 2)):
                await until(pilot, lambda before=before, calls=calls: app.status.state == "paused"
                            and app.status.detail == before and app.status.tool_calls == calls,
                            what=f"the pause before {before} with {calls} calls done")
                if calls < 2:
                    await pilot.press("enter")
            assert screen.follow and screen.current == 2
            await pilot.press("left")
            assert not screen.follow and screen.current == 1
            assert "L: back to live" in status_text(app)
            await pilot.press("a")
            await until(pilot, lambda: app.status.state == "finished", what="the run finishes")
            assert screen.current == 1 and len(app.trajectory) == 5
            await pilot.press("L")
            assert screen.follow and screen.current == 4
            assert "L:" not in status_text(app)


def timeline_rows(pilot) -> list[str]:
    """The timeline's rows as the terminal shows them."""
    return [line.split("▕")[0] for line in screen_text(pilot).splitlines() if re.match(r" +\d+ ", line)]


async def test_rows_of_new_turns_appear_while_browsing_back_and_L_brings_the_newest_into_view(
        git_repo, tmp_path):
    """New rows are painted alone (no full repaint) while the user looks at an earlier turn."""
    replies = [Reply(content=f"Step {n}.", tool_calls=[Call("shell", {"cmd": f"echo {n}"})])
               for n in range(44)]
    replies += [Reply(content="Fixing.", tool_calls=[Call("apply_patch", FIX)]), Reply(content="Done.")]
    with OpenAIServer(replies) as server:
        app = LiveApp(server_spec(git_repo, server.url, tmp_path / "logs", step=True, tool_limit=100))
        async with app.run_test(size=SIZE) as pilot:
            for before in ("model", "tool"):
                await until(pilot, lambda before=before: app.status.state == "paused"
                            and app.status.detail == before, what=f"the pause before the {before}")
                await pilot.press("enter")
            await until(pilot, lambda: app.status.state == "paused" and app.status.tool_calls == 1,
                        what="the pause after the first call")
            await pilot.press("left", "a")
            await until(pilot, lambda: app.status.state == "finished", timeout=60, what="the run finishes")
            timeline = live_screen(app).timeline
            assert timeline.rows == list(range(47)) and timeline.current == 0
            painted = timeline_rows(pilot)
            assert len(painted) == timeline.size.height and painted[-1].lstrip().startswith("31 ")
            timeline.clear_cache()
            await pilot.pause()
            assert painted == timeline_rows(pilot), "a full repaint shows the same rows"
            await pilot.press("L")
            assert timeline.scroll_offset.y == timeline.max_scroll_y > 0, "the newest turn is in view"
            assert any(line.lstrip().startswith("46 ") and "answer" in line for line in timeline_rows(pilot))


async def test_replay_shows_the_summary_the_live_view_showed(git_repo, tmp_path):
    """One run model: the end summary comes from the run's record, live or replayed from the log."""
    from nano_tui.ui.app import NanoApp

    replies = [Reply(content=SAY, tool_calls=[Call("shell", {"cmd": "ls"})]),
               Reply(content="Fixing.", tool_calls=[Call("apply_patch", FIX)]), Reply(content="Fixed.")]
    with OpenAIServer(replies) as server:
        app = LiveApp(server_spec(git_repo, server.url, tmp_path / "logs"))
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: app.status.state == "finished", what="the run finishes")
            live = panel_text(app, "summary")
    assert "tool calls 2" in live and "tokens" in live and "time 0:0" in live
    replayed = load(app.trajectory.info.path)
    async with NanoApp(replayed, turn=len(replayed) - 1).run_test(size=SIZE) as pilot:
        summary = next(panel for panel in pilot.app.screen.query_one("#turn").all_panels()
                       if panel.label == "summary")
        assert summary.shown and summary.raw_text == live
