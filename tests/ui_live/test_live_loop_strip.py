"""The loop strip follows a live run: the request going out, the reply streaming in, the call, the
command running, and round again."""

from __future__ import annotations

from dataclasses import replace

from nano_tui.ui.live_app import LiveApp
from nano_tui.ui.widgets.loop_strip import CONTEXT, MODEL, RUNS, TOOL, LoopStrip
from tests.openai_server import Call, OpenAIServer, Reply
from tests.ui_live.helpers import FIX, SIZE, server_spec, until


def subsequence(wanted: list, seen: list) -> bool:
    found = iter(seen)
    return all(step in found for step in wanted)


async def test_the_strip_lights_what_the_loop_is_doing(git_repo, tmp_path, monkeypatch):
    seen: list[int | None] = []
    original = LoopStrip.show_step

    def record(strip: LoopStrip, step: int | None, final: bool = False) -> None:
        if not seen or seen[-1] != step:
            seen.append(step)
        original(strip, step, final)

    monkeypatch.setattr(LoopStrip, "show_step", record)
    replies = [
        Reply(content="Let me look around first.", tool_calls=[Call("shell", {"cmd": "sleep 0.4; ls"})],
              chunk_delay=0.05, delay=0.3),
        Reply(content="Fixing it.", tool_calls=[Call("apply_patch", FIX)], chunk_delay=0.05, delay=0.3),
        Reply(content="Fixed: add() now adds.", chunk_delay=0.05),
    ]
    with OpenAIServer(replies) as server:
        app = LiveApp(replace(server_spec(git_repo, server.url, tmp_path / "logs"), present=True))
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: app.status.state == "finished", what="the run finishes")
            screen = app.live_screen
            assert screen is not None and screen.has_class("-present")
    assert subsequence([CONTEXT, MODEL, RUNS, CONTEXT, MODEL], seen), seen
    assert TOOL in seen, "the call shows as asked for before it runs"
