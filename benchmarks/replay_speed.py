"""Replay speed: process start to first turn on screen (2,000-turn ~30 MB log vs a 10-turn log, and vs a
minimal Textual app showing one line), next-turn latency (key press to the screen showing the next
turn), memory peak at the first turn and while browsing, and mini-swe-agent 2.4.6's inspector on the
same messages (installed once into a venv in the user's cache; left out when it cannot be). Prints
the figures; asserts nothing.

    .venv/bin/python benchmarks/replay_speed.py
"""

from __future__ import annotations

import asyncio
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.biglog import write_big_log, write_small_log  # noqa: E402
from benchmarks.painted import QUIET, Painted  # noqa: E402

RUNS = 9
PRESSES = 200

#: The child opens the run as `nano-tui replay` does (headless, fixed size), prints when the first
#: turn's panels have been painted, and quits.
CHILD = """
import resource, sys
from nano_tui.trajectory import load
from nano_tui.ui.app import NanoApp
from nano_tui.ui.widgets.turn_view import TurnView

async def shown(pilot):
    app = pilot.app
    while not (app.screen.query(TurnView) and app.screen.query_one(TurnView).turn is not None):
        await pilot.pause(0.001)
    await pilot.pause()
    print("shown", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, flush=True)
    app.exit()

NanoApp(load(sys.argv[1])).run(headless=True, size=(120, 36), auto_pilot=shown)
"""


#: The baseline: a minimal Textual app showing one line, started and timed the same way.
MINIMAL = """
import resource
from textual.app import App
from textual.widgets import Static

class One(App):
    def compose(self):
        yield Static("one line")

async def shown(pilot):
    await pilot.pause()
    print("shown", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, flush=True)
    pilot.app.exit()

One().run(headless=True, size=(120, 36), auto_pilot=shown)
"""

#: mini-swe-agent's trajectory inspector, started the same way: "shown" once a step's messages are in.
MINI_SWE_AGENT_CHILD = """
import resource, sys
from pathlib import Path
from minisweagent.run.utilities.inspector import TrajectoryInspector

async def shown(pilot):
    app = pilot.app
    while not (app.query("#content") and app.query_one("#content").children):
        await pilot.pause(0.001)
    await pilot.pause()
    print("shown", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, flush=True)
    app.exit()

TrajectoryInspector([Path(sys.argv[1])]).run(headless=True, size=(120, 36), auto_pilot=shown)
"""
#: The release the issue names.
MINI_SWE_AGENT = "2.4.6"

#: Opens the run, waits for the whole log's scan for unreadable lines, steps through 30 turns and
#: prints the peak memory: what browsing a big log costs.
BROWSE = """
import asyncio, resource, sys
from nano_tui.trajectory import load
from nano_tui.ui.app import NanoApp

async def browse(pilot):
    while not getattr(pilot.app.screen, "log_checked", False):
        await asyncio.sleep(0.05)
    for _ in range(30):
        await pilot.press("right")
    await pilot.pause()
    print("shown", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, flush=True)
    pilot.app.exit()

NanoApp(load(sys.argv[1])).run(headless=True, size=(120, 36), auto_pilot=browse)
"""


def started(code: str, *args: str, python: str = sys.executable) -> tuple[float, int]:
    """Seconds from process start to its "shown" line (what it prints before is passed over), and
    its peak RSS in KB."""
    start = time.perf_counter()
    child = subprocess.Popen([python, "-c", code, *args], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    line = ""
    for line in child.stdout:
        if line.startswith("shown"):
            break
    elapsed = time.perf_counter() - start
    child.stdout.close()
    child.wait(timeout=120)
    if not line.startswith("shown"):
        raise SystemExit(f"the child failed: {args}")
    return elapsed, int(line.split()[1])


def mini_swe_agent() -> str | None:
    """A Python with mini-swe-agent's inspector (kept in the user's cache between runs), or None
    with the reason printed when it cannot be installed here."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "nano-tui-benchmarks"
    venv = cache / f"mini-swe-agent-{MINI_SWE_AGENT}"
    python = venv / "bin" / "python"
    if not python.exists():
        try:
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
            subprocess.run([str(python), "-m", "pip", "install", "-q", f"mini-swe-agent=={MINI_SWE_AGENT}"],
                           check=True, capture_output=True, timeout=600)
        except (subprocess.SubprocessError, OSError) as error:
            print(f"mini-swe-agent {MINI_SWE_AGENT} could not be installed ({error}): "
                  "its comparison is left out")
            shutil.rmtree(venv, ignore_errors=True)
            return None
    return str(python)


def as_mini_swe_agent_trajectory(run: Path, folder: Path) -> Path:
    """The run's messages as a mini-swe-agent ``.traj.json`` (what its inspector opens), line by line:
    this process's peak memory is inherited by the children it starts, and so by their figures."""
    path = folder / "big.traj.json"
    with open(run / "messages.jsonl", encoding="utf-8") as log, open(path, "w", encoding="utf-8") as out:
        out.write('{"info": {}, "messages": [')
        for number, line in enumerate(log):
            out.write(("," if number else "") + line.strip())
        out.write("]}")
    return path


def first_turn(path: Path) -> tuple[float, int]:
    """Seconds from process start to the first turn on screen, and the child's peak RSS in KB."""
    return started(CHILD, str(path))


async def next_turn_latency(path: Path) -> tuple[list[float], list[float]]:
    """Key press to the last screen update that changed the screen, and to the last update of all."""
    from nano_tui.trajectory import load
    from nano_tui.ui.app import NanoApp

    app = NanoApp(load(path))
    shown, settled, counts = [], [], []
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        painted = Painted(app)
        painted.changed()
        for _ in range(PRESSES):
            painted.updates.clear()
            target = screen.current + 1
            start = time.perf_counter()
            app.simulate_key("right")
            while (not painted.updates or screen.current != target
                   or time.perf_counter() - painted.updates[-1][0] < QUIET):
                if time.perf_counter() - start > 10:
                    raise SystemExit("a key press was never painted")
                await asyncio.sleep(0.002)
            changes = [when for (when, _), changed in zip(painted.updates, painted.changed(), strict=True)
                       if changed]
            if not changes:
                raise SystemExit("a key press did not change the screen")
            shown.append(changes[-1] - start)
            settled.append(painted.updates[-1][0] - start)
            counts.append(len(painted.updates))
    print(f"  screen updates per press: median {statistics.median(counts):g} "
          f"(the later ones repaint unchanged cells)")
    return shown, settled


def _figures(timings: list[float]) -> tuple[float, float]:
    ordered = sorted(timings)
    return statistics.median(timings) * 1000, ordered[int(len(ordered) * 0.95) - 1] * 1000


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        big = write_big_log(Path(folder) / "big")
        small = write_small_log(Path(folder) / "small")
        size = (big / "messages.jsonl").stat().st_size / 1e6
        print(f"big log: {size:.1f} MB; small log: {(small / 'messages.jsonl').stat().st_size / 1e3:.0f} KB")
        inspector = mini_swe_agent()
        trajectory = as_mini_swe_agent_trajectory(big, Path(folder)) if inspector else None

        def theirs() -> tuple[float, int]:
            return started(MINI_SWE_AGENT_CHILD, str(trajectory), python=inspector) if inspector else (0.0, 0)

        first_turn(small)  # warm the file cache and the bytecode, theirs too
        theirs()
        # alternated, so a change in the machine's load hits each alike
        rounds = [(first_turn(small), first_turn(big), started(MINIMAL), theirs()) for _ in range(RUNS)]
        small_runs, big_runs, minimal, other = (list(column) for column in zip(*rounds, strict=True))
        small_s = statistics.median(t for t, _ in small_runs)
        big_s = statistics.median(t for t, _ in big_runs)
        print(f"process start → first turn on screen, median of {RUNS}: "
              f"10 turns {small_s * 1000:.0f} ms, 2,000 turns {big_s * 1000:.0f} ms, "
              f"ratio {big_s / small_s:.2f}× (target ≤ 1.2×)")
        print(f"peak RSS at first turn: 10 turns {max(m for _, m in small_runs) / 1024:.0f} MB, "
              f"2,000 turns {max(m for _, m in big_runs) / 1024:.0f} MB")
        minimal_s = statistics.median(t for t, _ in minimal)
        print(f"a minimal Textual app showing one line, the same way: {minimal_s * 1000:.0f} ms, "
              f"{max(m for _, m in minimal) / 1024:.0f} MB; the 2,000-turn log opens in "
              f"{big_s / minimal_s:.2f}× its time (target ≤ 1.3×)")
        if inspector:
            other_s = statistics.median(t for t, _ in other)
            print(f"mini-swe-agent {MINI_SWE_AGENT}'s inspector on the same messages (.traj.json): "
                  f"{other_s * 1000:.0f} ms, {max(m for _, m in other) / 1024:.0f} MB; nano-tui is "
                  f"{other_s / big_s:.2f}× faster (target ≥ 2×)")
        browsing = max(started(BROWSE, str(big))[1] for _ in range(3)) / 1024
        print(f"peak RSS browsing the 2,000-turn log (the whole-log scan done, 30 turns stepped): "
              f"{browsing:.0f} MiB (target ≤ 90)")
        shown, settled = asyncio.run(next_turn_latency(big))
        median, p95 = _figures(shown)
        print(f"next turn on the 2,000-turn log ({PRESSES} presses, key to the last update that changes "
              f"the screen): median {median:.1f} ms (target ≤ 16), p95 {p95:.1f} ms (target ≤ 50)")
        median, p95 = _figures(settled)
        print(f"  key to the last screen update of any kind: median {median:.1f} ms, p95 {p95:.1f} ms")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak RSS after stepping through {PRESSES} turns of the big log: {peak:.0f} MB")


if __name__ == "__main__":
    main()
