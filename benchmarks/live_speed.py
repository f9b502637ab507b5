"""Live view figures: what watching a run costs, and how smooth the screen stays while a reply streams.

1. A 50-turn run against the local OpenAI-compatible server, under the full-screen app (headless
   Textual, as ``run_test`` drives it) and with the ``--headless`` printer; best of N, alternated.
   Timed in both from the loop's RunStarted event to its RunEnded event, so the figure is what the
   screen costs the run; the app's own start-up before the loop starts is printed beside it. The
   benchmark waits for the end with plain sleeps: polling through Textual's pilot would run the UI's
   idle machinery 200 times a second, which a real session does not. Target: TUI / headless ≤ 1.10.
   Both runs are CPU-bound and this machine's speed drifts by up to a half within a minute, so the
   runs come in pairs, the first of each pair alternating, and the figure is the median of the pairs'
   ratios; the ratio of the best runs is printed beside it.
2. The longest stall of the UI's event loop while the server streams a reply at 500 chunks a second
   (litellm takes them in a little slower on this machine; both rates are printed): a 10 ms timer
   records the largest gap between its calls beyond its period. Target ≤ 50 ms.

Prints figures; asserts nothing.

    .venv/bin/python -m benchmarks.live_speed
"""

from __future__ import annotations

import asyncio
import io
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from nano_tui.core.events import RunEnded, RunStarted
from nano_tui.core.headless import HeadlessPrinter
from nano_tui.core.spec import RunSpec
from nano_tui.ui.live_app import LiveApp
from tests.openai_server import Call, OpenAIServer, Reply

TURNS = 50
REPEAT = 7
STREAM_CHUNKS = 2500
CHUNK_DELAY = 0.002
TICK = 0.01


def make_repo() -> Path:
    repo = Path(tempfile.mkdtemp(prefix="nano-tui-bench-")) / "repo"
    repo.mkdir()
    (repo / "app.py").write_text("def add(a, b):\n    return a - b\n")
    for command in (["init", "-q"], ["add", "."],
                    ["-c", "user.name=bench", "-c", "user.email=bench@example.com", "commit", "-qm", "init"]):
        subprocess.run(["git", "-C", str(repo), *command], check=True, capture_output=True)
    return repo


def fifty_turns() -> list[Reply]:
    replies = [Reply(content=f"Step {n}: looking around.", reasoning="Checking one more thing.",
                     tool_calls=[Call("shell", {"cmd": f"echo step {n}"})]) for n in range(TURNS - 2)]
    replies.append(Reply(content="Fixing.", tool_calls=[Call("apply_patch", {
        "file": "app.py", "search": "return a - b", "replace": "return a + b"})]))
    replies.append(Reply(content="Done: add() adds."))
    return replies


def spec_for(server: OpenAIServer, log_dir: Path) -> RunSpec:
    options = dict(model="openai/bench", api_base=server.url, api_key="sk-bench", log_dir=log_dir,
                   tool_limit=TURNS * 2, token_limit=10**7, time_limit=600)
    return RunSpec(task="Fix add().", repo=make_repo(), model="openai/bench", agent_options=options)


def headless_run(log_dir: Path) -> float:
    """Seconds from RunStarted to RunEnded with the ``--headless`` printer."""
    printer, times = HeadlessPrinter(io.StringIO()), {}

    def on_event(event: object) -> None:
        times[type(event)] = time.time()
        printer(event)

    with OpenAIServer(fifty_turns()) as server:
        spec = spec_for(server, log_dir)
        agent = spec.make_agent(on_event=on_event)
        agent.run(spec.task, spec.repo)
    assert agent.end_reason == "finished", agent.end_reason
    return times[RunEnded] - times[RunStarted]


async def tui_run(log_dir: Path) -> tuple[float, float, float]:
    """Seconds from RunStarted to RunEnded under the full-screen app, from creating the app to
    RunStarted (its start-up), and of the UI thread's CPU from start to end (this coroutine runs on it)."""
    with OpenAIServer(fifty_turns()) as server:
        cpu = time.thread_time()
        app = LiveApp(spec_for(server, log_dir))
        created = time.time()
        async with app.run_test(size=(120, 36)):
            while not app.finished.is_set() or app.status.live:
                await asyncio.sleep(0.05)
        info = app.trajectory.info
        assert info.end_reason == "finished", info.end_reason
        assert len(app.trajectory) == TURNS + 1
        assert info.started_at is not None and info.ended_at is not None
    return info.ended_at - info.started_at, info.started_at - created, time.thread_time() - cpu


async def longest_stall(log_dir: Path) -> tuple[float, float, int]:
    """(longest gap beyond the timer's period in seconds, chunks per second, chunks)."""
    reply = Reply(content="word " * (STREAM_CHUNKS * 7 // 5), chunk_delay=CHUNK_DELAY)
    with OpenAIServer([reply]) as server:
        app = LiveApp(spec_for(server, log_dir))
        gaps: list[float] = []
        last = [time.perf_counter()]
        streaming: list[float] = []

        def tick() -> None:
            now = time.perf_counter()
            if app.status.state == "streaming":
                gaps.append(now - last[0] - TICK)
                if not streaming:
                    streaming.append(now)
            elif streaming and len(streaming) == 1:
                streaming.append(now)
            last[0] = now

        async with app.run_test(size=(120, 36)) as pilot:
            app.set_interval(TICK, tick)
            while app.status.state in ("starting", "waiting for model", "streaming"):
                await pilot.pause(0.05)
            if len(streaming) == 1:
                streaming.append(time.perf_counter())
            app.control.stop()
    chunks = len(server.chunks(reply))
    duration = streaming[1] - streaming[0] if len(streaming) == 2 else float("nan")
    return max(gaps, default=0.0), chunks / duration, chunks


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        logs = Path(folder)
        print(f"warming up (litellm import, first request) … {headless_run(logs):.2f}s")
        headless, tui, startup, ui_cpu = [], [], [], []
        for pair in range(REPEAT):
            # which one goes first alternates, so a steady drift in the machine's speed cancels out
            if pair % 2 == 0:
                headless.append(headless_run(logs))
            run, start, cpu = asyncio.run(tui_run(logs))
            tui.append(run)
            startup.append(start)
            ui_cpu.append(cpu / run)
            if pair % 2 == 1:
                headless.append(headless_run(logs))
        print(f"{TURNS}-turn run, RunStarted to RunEnded, {REPEAT} pairs (alternated):")
        for name, times in (("headless printer", headless), ("full-screen app ", tui)):
            print(f"  {name}   best {min(times):.2f}s   (all: {', '.join(f'{t:.2f}' for t in times)})")
        paired = statistics.median(run / alone for run, alone in zip(tui, headless, strict=True))
        print(f"  ratio TUI / headless: median of paired runs {paired:.3f}, best runs "
              f"{min(tui) / min(headless):.3f}   (target ≤ 1.10)")
        print(f"  app start-up before the loop starts: median {statistics.median(startup) * 1000:.0f} ms")
        print(f"  UI thread CPU, start-up and teardown included: median {statistics.median(ui_cpu):.1%} "
              "of the run's time")
        stall, rate, chunks = asyncio.run(longest_stall(logs))
        print(f"streaming {chunks} chunks offered at {1 / CHUNK_DELAY:.0f}/s, taken in at {rate:.0f}/s: "
              f"longest event-loop stall {stall * 1000:.1f} ms beyond a {TICK * 1000:.0f} ms timer"
              "   (target ≤ 50 ms)")


if __name__ == "__main__":
    main()
