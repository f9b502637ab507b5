"""What a newcomer and a classroom meet in a live run: a projector's 80×24, step mode, streaming."""

from __future__ import annotations

import re
import time

from nano_tui.ui.live_app import LiveApp
from nano_tui.ui.widgets.turn_view import TurnView
from tests.openai_server import Call, OpenAIServer, Reply
from tests.ui.helpers import screen_text
from tests.ui_live.helpers import FIX, live_screen, panels, server_spec, status_text, until

PROJECTOR = (80, 24)
LONG_ANSWER = "\n\n".join(f"Step {n}: consider what the repository holds and what the test wants."
                          for n in range(20))


async def test_the_status_line_fits_80_columns_and_labels_the_limits(git_repo, tmp_path):
    with OpenAIServer([Reply(content="Looking.", tool_calls=[Call("shell", {"cmd": "sleep 1.5; ls"})]),
                       Reply(content="Fixing.", tool_calls=[Call("apply_patch", FIX)])]) as server:
        app = LiveApp(server_spec(git_repo, server.url, tmp_path / "logs"))
        async with app.run_test(size=PROJECTOR) as pilot:
            await until(pilot, lambda: app.status.state == "running tool", what="the command runs")
            line = status_text(app)
            assert "…" not in line and len(line) <= 78, line
            assert "running tool shell" in line and "tools 0/50" in line and re.search(r"\d:\d\d/2:00", line)
            assert "limits 50 tool calls · 32,768 tokens · 120 s" in screen_text(pilot).replace("\n", " ")
            await until(pilot, lambda: app.status.state == "finished", what="the run finishes")


async def test_tokens_grow_with_the_conversation(git_repo, tmp_path):
    """The status line counts the conversation as the token limit does: it never goes down."""
    replies = [Reply(content="Looking.", tool_calls=[Call("shell", {"cmd": f"seq {n * 200}"})],
                     usage={"prompt_tokens": 5000 - n * 1000, "completion_tokens": 5}, delay=0.3)
               for n in range(1, 4)]
    with OpenAIServer([*replies, Reply(content="Fixing.", tool_calls=[Call("apply_patch", FIX)])]) as server:
        app = LiveApp(server_spec(git_repo, server.url, tmp_path / "logs"))
        seen: list[int] = []
        async with app.run_test(size=PROJECTOR) as pilot:
            def record() -> bool:
                tokens = app.trajectory.info.context_tokens
                if tokens is not None and (not seen or seen[-1] != tokens):
                    seen.append(tokens)
                return app.status.state == "finished"

            await until(pilot, record, what="the run finishes")
    assert len(seen) >= 3 and seen == sorted(seen), seen


async def test_paused_time_is_shown_apart_and_not_charged(git_repo, tmp_path):
    with OpenAIServer([Reply(content="Fixing.", tool_calls=[Call("apply_patch", FIX)])]) as server:
        app = LiveApp(server_spec(git_repo, server.url, tmp_path / "logs", step=True, time_limit=2))
        async with app.run_test(size=PROJECTOR) as pilot:
            await until(pilot, lambda: app.status.state == "paused", what="paused before the model")
            paused_at = time.monotonic()
            await until(pilot, lambda: time.monotonic() - paused_at > 2.5, timeout=10, what="a long pause")
            await until(pilot, lambda: "paused 0:02" in status_text(app), what="the pause shown")
            assert "0:00/0:02" in status_text(app), "the agent's own time stands still while paused"
            await pilot.press("a")
            await until(pilot, lambda: app.status.state == "finished", what="the run finishes")
            assert app.trajectory.info.end_reason == "finished", "the pause ran out the time limit"
            assert "paused in step mode, not counted" in "\n".join(p.raw_text for p in panels(app, "summary"))


async def test_a_streaming_reply_shows_as_it_arrives(git_repo, tmp_path):
    """No leading blank lines in a streamed answer; arguments still arriving are not "malformed"."""
    streamed = Reply(content="\n\nLet me look.", tool_calls=[Call("shell", {"cmd": "ls " + "-l " * 40})],
                     chunk_delay=0.05)
    with OpenAIServer([streamed, Reply(content="Fixing.", tool_calls=[Call("apply_patch", FIX)])]) as server:
        app = LiveApp(server_spec(git_repo, server.url, tmp_path / "logs"))
        titles, answers = set(), []
        async with app.run_test(size=(120, 36)) as pilot:
            def record() -> bool:
                view = live_screen(app).live_view  # turn 1 only: turn 2 streams "Fixing." after it
                if view.turn is not None and view.turn.index == 1 and view.turn.extra.get("streaming"):
                    titles.update(panel.title for panel in panels(app, "call") if panel.shown)
                    answers.extend(panel.raw_text for panel in panels(app, "answer") if panel.shown)
                return app.status.state == "finished"

            await until(pilot, record, what="the run finishes")
    assert answers and all(answer[:1] == "L" for answer in answers), [a for a in answers if a[:1] != "L"][:3]
    assert titles and not any("malformed" in title for title in titles), titles
    assert "shell" in titles


async def test_following_keeps_the_newest_panel_in_view_at_80x24(git_repo, tmp_path):
    """A long answer fills the screen; the call and its output must still come into view."""
    listing = Call("shell", {"cmd": "echo the-newest-output"})
    with OpenAIServer([Reply(content=LONG_ANSWER, tool_calls=[listing]),
                       Reply(content="Fixing.", tool_calls=[Call("apply_patch", FIX)], delay=1.0)]) as server:
        app = LiveApp(server_spec(git_repo, server.url, tmp_path / "logs"))
        async with app.run_test(size=PROJECTOR) as pilot:
            await until(pilot, lambda: "the-newest-output" in screen_text(pilot), timeout=30,
                        what="turn 1's output on screen while following")
            view = live_screen(app).query_one(TurnView)
            assert view.scroll_offset.y > 0
            await until(pilot, lambda: app.status.state == "finished", what="the run finishes")


async def finished_screen(repo, logs, backend: str) -> tuple[str, str]:
    """Run a one-patch task on ``backend``; the finished screen's text and the log folder."""
    with OpenAIServer([Reply(content="Fixing.", tool_calls=[Call("apply_patch", FIX)])]) as server:
        app = LiveApp(server_spec(repo, server.url, logs, backend=backend))
        async with app.run_test(size=(120, 36)) as pilot:
            await until(pilot, lambda: app.status.state == "finished", what="the run finishes")
            return screen_text(pilot), str(app.trajectory.info.path)


async def test_the_header_says_where_the_shell_runs(git_repo, tmp_path):
    """Confined or not is on screen from the first turn; replay of the log shows the same."""
    from nano_tui.core.shell.sandbox import bubblewrap_problem
    from nano_tui.trajectory import load
    from nano_tui.ui.app import NanoApp

    for backend, expected in (("local", "⚠ shell not confined"), ("sandbox", "shell: sandbox (bubblewrap")):
        if backend == "sandbox" and bubblewrap_problem() is not None:
            continue
        text, run_dir = await finished_screen(git_repo, tmp_path / backend, backend)
        assert expected in text
        async with NanoApp(load(run_dir)).run_test(size=(120, 36)) as pilot:
            assert expected in screen_text(pilot)
        (git_repo / "app.py").write_text("def add(a, b):\n    return a - b\n")
