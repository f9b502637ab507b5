"""Listing many runs: ``nano-tui runs --json`` over 10,000 run folders (hard links of one small run),
cold (an empty run index), warm (the index filled) and without the index, against ``nano-tui --help``
measured in the same run. Targets: warm ≤ 0.3× cold and ≤ 4× ``--help``. With ``--big``, also 100,000
runs warm, and the process's peak memory. Prints figures; asserts nothing.

    .venv/bin/python -m benchmarks.run_listing [--big]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.painted import QUIET, Painted

NANO_TUI = str(Path(sys.executable).with_name("nano-tui"))


#: Times the browser and the minimal app are started.
REPEAT = 5
#: Hard links one file may have (ext4 allows 65,000): a new model run after this many runs.
LINKS = 50_000


def make_runs(root: Path, count: int) -> Path:
    """``count`` run folders whose files are hard links of a finished nano run (nano-tui's story)."""
    from tests.ui.runlogs import write_story

    runs = root / f"runs-{count}"
    for number in range(count):
        if number % LINKS == 0:
            model = write_story(root / f"model-{count}-{number // LINKS}")
            stats = {"tool_calls_shell": 3, "tool_calls_apply_patch": 1}
            (model / "stats.json").write_text(json.dumps(stats))
            files = [path for path in model.iterdir() if path.is_file()]
        folder = runs / f"task-{number % 100:03d}" / f"2025-01-01T00:00:00-{number:08x}"
        folder.mkdir(parents=True)
        for path in files:
            os.link(path, folder / path.name)
    return runs


def timed(args: list[str], env: dict[str, str], repeat: int = 1) -> tuple[float, int]:
    """Median seconds of ``repeat`` runs of nano-tui with ``args``, and the largest peak RSS (KiB) of
    one of them (the kernel's count for that process, via wait4)."""
    seconds, peaks = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        process = subprocess.Popen([NANO_TUI, *args], env=env, stdout=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        seconds.append(time.perf_counter() - started)
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"nano-tui {' '.join(args)} failed")
        peaks.append(usage.ru_maxrss)
    return statistics.median(seconds), max(peaks)


async def browser_figures(runs: Path, env: dict[str, str]) -> tuple[float, float, float]:
    """In this process, with the index warm: the browser's first rows (the walk included) and a minimal
    app's first frame (medians of :data:`REPEAT`), and the median time from a key typed in the filter
    to the last screen update that changed a cell (20 keys, once every run is read)."""
    from textual.app import App
    from textual.widgets import Static

    from nano_tui.trajectory.discovery import locate
    from nano_tui.trajectory.run_index import Listing
    from nano_tui.ui.app import NanoApp
    from nano_tui.ui.widgets.row_table import RowTable

    os.environ["XDG_CACHE_HOME"] = env["XDG_CACHE_HOME"]

    class Minimal(App):
        def compose(self):  # type: ignore[no-untyped-def]
            yield Static("one line")

    minimal, first_rows = [], []
    for _ in range(REPEAT):  # alternated, so a change in the machine's load hits both alike
        started = time.perf_counter()
        async with Minimal().run_test(size=(120, 36)) as pilot:
            await pilot.pause()
            minimal.append(time.perf_counter() - started)
        started = time.perf_counter()
        app = NanoApp(runs=Listing(locate([runs])))  # what `replay FOLDER` does; the walk is the screen's
        async with app.run_test(size=(120, 36)) as pilot:
            while not (app.screen.query(RowTable) and app.screen.query_one(RowTable).row_count):
                await pilot.pause(0.001)
            first_rows.append(time.perf_counter() - started)
            while app.screen._listing is not None:
                await pilot.pause(0.05)
    app = NanoApp(runs=Listing(locate([runs])))
    async with app.run_test(size=(120, 36)) as pilot:
        while app.screen._listing is not None or not app.screen.runs:
            await pilot.pause(0.05)
        await pilot.press("slash")
        await pilot.pause()
        painted = Painted(app)
        painted.changed()
        keys = []
        typed = ""
        for key in "fix the failing test":
            painted.updates.clear()
            typed += key
            pressed = time.perf_counter()
            app.simulate_key(key)
            while (app.screen.filter_text != typed or not painted.updates
                   or time.perf_counter() - painted.updates[-1][0] < QUIET):
                if time.perf_counter() - pressed > 10:
                    raise SystemExit(f"the filter never showed {typed!r}")
                await asyncio.sleep(0.002)
            changes = [when for (when, _), changed in zip(painted.updates, painted.changed(), strict=True)
                       if changed]
            keys.append(changes[-1] - pressed)
    return statistics.median(first_rows), statistics.median(minimal), statistics.median(keys)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--big", action="store_true", help="also 100,000 runs (a few minutes to set up)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="nano-tui-listing-") as scratch:
        root = Path(scratch)
        env = {"PATH": os.environ.get("PATH", ""), "HOME": str(root), "LANG": "C.UTF-8",
               "XDG_CACHE_HOME": str(root / "cache")}
        help_s, _ = timed(["--help"], env, repeat=5)
        runs = make_runs(root, 10_000)
        cold_s, _ = timed(["runs", "--json", str(runs)], env)
        warm_s, warm_kib = timed(["runs", "--json", str(runs)], env, repeat=3)
        bare_s, _ = timed(["runs", "--json", "--no-index", str(runs)], env)
        print(f"nano-tui --help: {help_s * 1000:.0f} ms")
        print(f"10,000 runs: cold {cold_s:.2f} s, warm {warm_s:.2f} s ({warm_s / cold_s:.2f}× cold, target "
              f"≤ 0.3×; {warm_s / help_s:.1f}× --help, target ≤ 4×), without the index {bare_s:.2f} s; "
              f"peak {warm_kib / 1024:.0f} MiB")
        first_rows, minimal, keystroke = asyncio.run(browser_figures(runs, env))
        print(f"browser on 10,000 runs: first rows {first_rows * 1000:.0f} ms after the app starts, "
              f"{first_rows / minimal:.1f}× a minimal Textual app's first frame ({minimal * 1000:.0f} ms; "
              f"target ≤ 2×); a filter character typed to the table settled: {keystroke * 1000:.0f} ms "
              f"(target ≤ 50)")
        if options.big:
            big = make_runs(root, 100_000)
            timed(["runs", "--json", str(big)], env)
            big_s, big_kib = timed(["runs", "--json", str(big)], env)
            print(f"100,000 runs warm: {big_s:.2f} s ({big_s / help_s:.1f}× --help), "
                  f"peak {big_kib / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
