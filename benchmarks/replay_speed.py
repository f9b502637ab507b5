"""Replay speed: process start to the first turn on screen, measured from outside as a user sees it
(``nano-tui replay`` in its own terminal, 120×36, a clean environment: the clock stops when the
terminal has been sent the first turn), for a 2,000-turn ~30 MB log and a 10-turn one, against a
minimal Textual app showing one line and mini-swe-agent 2.4.6's inspector (``mini-extra inspector``,
installed once into a venv in the user's cache; left out when it cannot be) on the same messages,
started the same way. Then where nano-tui's start-up goes (``-X importtime`` by package, a cProfile
of the first frame by part), memory while browsing, and next-turn latency. Prints the figures;
asserts nothing.

    .venv/bin/python benchmarks/replay_speed.py
"""

from __future__ import annotations

import asyncio
import os
import re
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
from benchmarks.terminal import clean_env, first_frame  # noqa: E402

NANO_TUI = str(Path(sys.executable).with_name("nano-tui"))
#: Rounds of the start-up programs; a shared machine's speed drifts by up to 30% from minute to minute,
#: so a ratio is the median of this many, and its middle half is printed with it.
ROUNDS = 25
PRESSES = 200
#: In the first turn of both logs (the system prompt's first words), and in mini-swe-agent's first step.
MARKER = "careful coding agent"

#: The baseline: a minimal Textual app showing one line, started the same way.
MINIMAL = """
from textual.app import App
from textual.widgets import Static

class One(App):
    def compose(self):
        yield Static("one line")

One().run()
"""

#: nano-tui's own start, profiled up to the first frame that shows ``MARKER`` (then the stats are
#: written to the file in ``argv[1]`` and the process ends).
PROFILED = """
import cProfile, os, sys
from textual.drivers.linux_driver import LinuxDriver

out, marker = sys.argv[1], sys.argv[2]
sys.argv = ["nano-tui", *sys.argv[3:]]
profile = cProfile.Profile()
write = LinuxDriver.write

def written(driver, data):
    if marker in data and not os.path.exists(out):  # saved once, before the frame reaches the terminal
        profile.disable()
        profile.dump_stats(out)
    write(driver, data)

LinuxDriver.write = written
profile.enable()
from nano_tui.cli import main
main()
"""

#: A line of ``-X importtime``: a module's own microseconds, its name.
IMPORT_TIME = re.compile(r"import time:\s+(\d+) \|\s+\d+ \| *([\w.]+)")

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


def started(code: str, *args: str) -> tuple[float, int]:
    """Seconds from process start to its "shown" line (what it prints before is passed over), and
    its peak RSS in KB."""
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE, text=True)
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
    """mini-swe-agent's ``mini-extra`` command (kept in a venv in the user's cache between runs), or
    None with the reason printed when it cannot be installed here."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "nano-tui-benchmarks"
    venv = cache / f"mini-swe-agent-{MINI_SWE_AGENT}"
    python, command = venv / "bin" / "python", venv / "bin" / "mini-extra"
    if not command.exists():
        try:
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
            subprocess.run([str(python), "-m", "pip", "install", "-q", f"mini-swe-agent=={MINI_SWE_AGENT}"],
                           check=True, capture_output=True, timeout=600)
        except (subprocess.SubprocessError, OSError) as error:
            print(f"mini-swe-agent {MINI_SWE_AGENT} could not be installed ({error}): "
                  "its comparison is left out")
            shutil.rmtree(venv, ignore_errors=True)
            return None
    return str(command)


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
    """``nano-tui replay PATH`` in a terminal: seconds to the first turn, and peak RSS in KiB."""
    return first_frame([NANO_TUI, "replay", str(path)], MARKER)


def import_times(path: Path) -> dict[str, float]:
    """Milliseconds spent importing each package's own modules while ``nano-tui replay`` opens
    ``path`` (``-X importtime`` self times; the least of three starts)."""
    least: dict[str, float] = {}
    for _ in range(3):
        output = bytearray()
        first_frame([NANO_TUI, "replay", str(path)], MARKER, clean_env(PYTHONPROFILEIMPORTTIME="1"), output)
        groups: dict[str, float] = {}
        for microseconds, name in IMPORT_TIME.findall(output.decode(errors="replace")):
            top = name.split(".")[0]
            group = top if top in ("nano_tui", "textual", "rich") else "Python and the rest"
            groups[group] = groups.get(group, 0.0) + int(microseconds) / 1000
        least = {name: min(ms, least.get(name, ms)) for name, ms in groups.items()}
    return least


#: How the first frame's profile is told apart, by where the code is (first match wins); a module's
#: body and what it runs while being imported (classes, dataclasses, compiled patterns) are imports.
IMPORTING = ("<module>", "importlib", "marshal", "_imp.", "__build_class__", "builtins.exec",
             "builtins.compile", "re/_", "dataclasses.py", "namedtuple", "io.open_code", "_io.BufferedReader")
PARTS = (*((needle, "imports") for needle in IMPORTING),
         ("textual/css/", "Textual's CSS (parse, match, apply)"),
         ("textual/", "Textual's compose, layout and paint"),
         ("rich/", "Rich"), ("nano_tui/", "nano-tui's own code"), ("", "the rest (asyncio, stdlib)"))


def first_frame_profile(path: Path, folder: Path) -> tuple[float, dict[str, float]]:
    """A cProfile of ``nano-tui replay PATH`` from its start to the first turn on screen: the share
    of the time after the app starts running (before it: imports, reading the log), and the shares
    of each part (:data:`PARTS`) by each function's own time."""
    import pstats

    stats_file = folder / "first-frame.prof"
    first_frame([sys.executable, "-c", PROFILED, str(stats_file), MARKER, "replay", str(path)], MARKER)
    stats = pstats.Stats(str(stats_file)).stats

    def part_of(filename: str, function: str) -> str:
        return next(label for needle, label in PARTS if needle in f"{filename} {function}")

    shares: dict[str, float] = {}
    running = 0.0
    for (filename, _, function), (_, _, own, cumulative, callers) in stats.items():
        if filename.endswith("textual/app.py") and function == "run":
            running = cumulative
        part = part_of(filename, function)
        if filename == "~" and part != "imports":  # a builtin's time is its callers'
            for (caller_file, _, caller), (_, _, edge_own, _) in callers.items():
                part = part_of(caller_file, caller)
                shares[part] = shares.get(part, 0.0) + edge_own
        else:
            shares[part] = shares.get(part, 0.0) + own
    total = sum(shares.values())
    ordered = sorted(shares.items(), key=lambda item: -item[1])
    return running / total, {part: share / total for part, share in ordered}


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


def _ratio(slower: list[tuple[float, int]], faster: list[tuple[float, int]]) -> tuple[float, str]:
    """The median of each round's ratio, and the middle half of them ("rounds 1.98–2.14×"): the
    programs of a round run back to back, so a slow spell of a shared machine slows both sides alike."""
    ratios = [a / b for (a, _), (b, _) in zip(slower, faster, strict=True)]
    low, median, high = statistics.quantiles(ratios, n=4)
    return median, f"rounds {low:.2f}–{high:.2f}×"


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

        def minimal() -> tuple[float, int]:
            return first_frame([sys.executable, "-c", MINIMAL], "one line")

        def theirs() -> tuple[float, int]:
            return first_frame([inspector, "inspector", str(trajectory)], MARKER) if inspector else (0.0, 0)

        # once each first: the file cache, and the bytecode written as a user's first start writes it
        first_turn(small), first_turn(big), minimal(), theirs()
        # alternated, so a change in the machine's load hits each alike, and in turn forwards and
        # backwards, so none always runs first or after the same one
        programs = (lambda: first_turn(small), lambda: first_turn(big), minimal, theirs)
        columns: list[list[tuple[float, int]]] = [[] for _ in programs]
        for number in range(ROUNDS):
            order = list(enumerate(programs))
            for column, program in order if number % 2 == 0 else reversed(order):
                columns[column].append(program())
        small_runs, big_runs, minimal_runs, other = columns
        small_s = statistics.median(t for t, _ in small_runs)
        big_s = statistics.median(t for t, _ in big_runs)

        ratio, spread = _ratio(big_runs, small_runs)
        print(f"start to first turn on screen (nano-tui replay in a 120×36 terminal), median of {ROUNDS}: "
              f"10 turns {small_s * 1000:.0f} ms, 2,000 turns {big_s * 1000:.0f} ms, ratio {ratio:.2f}× "
              f"(target ≤ 1.2×; {spread}: a ratio is the median of the rounds' own, with their middle half)")
        print(f"peak RSS at first turn: 10 turns {max(m for _, m in small_runs) / 1024:.0f} MiB, "
              f"2,000 turns {max(m for _, m in big_runs) / 1024:.0f} MiB")
        minimal_s = statistics.median(t for t, _ in minimal_runs)
        big_ratio, big_spread = _ratio(big_runs, minimal_runs)
        small_ratio, small_spread = _ratio(small_runs, minimal_runs)
        print(f"a minimal Textual app showing one line, started the same way: {minimal_s * 1000:.0f} ms, "
              f"{max(m for _, m in minimal_runs) / 1024:.0f} MiB; the 2,000-turn log opens in "
              f"{big_ratio:.2f}× its time (target ≤ 1.3×; {big_spread}), "
              f"the 10-turn log in {small_ratio:.2f}× ({small_spread})")
        if inspector:
            other_s = statistics.median(t for t, _ in other)
            ratio, spread = _ratio(other, big_runs)
            print(f"mini-swe-agent {MINI_SWE_AGENT}'s `mini-extra inspector` on the same messages "
                  f"(.traj.json), the same way: {other_s * 1000:.0f} ms, "
                  f"{max(m for _, m in other) / 1024:.0f} MiB; "
                  f"nano-tui is {ratio:.2f}× faster (target ≥ 2×; {spread})")
        print("where nano-tui's start goes, 10-turn log:")
        imports = import_times(small)
        print("  imports (-X importtime, own time of each package's modules): " + ", ".join(
            f"{name} {ms:.0f} ms" for name, ms in sorted(imports.items(), key=lambda item: -item[1])))
        running, shares = first_frame_profile(small, Path(folder))
        print(f"  cProfile from start to first frame: {running:.0%} of it after the app starts running; "
              "by part: " + ", ".join(f"{part} {share:.0%}" for part, share in shares.items()))
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
