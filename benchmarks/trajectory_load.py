"""Loader figures: time to first turn (big vs small log), full load vs a ``json.loads`` baseline,
memory peak, and discovery of 1,000 runs. Prints figures; asserts nothing.

    .venv/bin/python -m benchmarks.trajectory_load
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from benchmarks.biglog import write_big_log, write_many_runs, write_small_log
from nano_tui.trajectory import discover, load


def timed(action: Callable[[], object], repeat: int) -> float:
    """Median wall time of ``repeat`` runs, in seconds."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def first_turn(folder: Path) -> None:
    load(folder).turn(1)


def full_load(folder: Path) -> None:
    trajectory = load(folder)
    for _ in trajectory:
        pass
    trajectory.skipped  # noqa: B018 - reads every line, as a replay status bar would


def baseline(folder: Path) -> None:
    with (folder / "messages.jsonl").open("rb") as file:
        for line in file:
            json.loads(line)


def peak_memory(action: Callable[[], object]) -> float:
    tracemalloc.start()
    action()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1e6


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        big, small = write_big_log(root / "big"), write_small_log(root / "small")
        size = (big / "messages.jsonl").stat().st_size / 1e6
        print(f"big log: {len(load(big))} turns, {size:.1f} MB; small log: {len(load(small))} turns")

        first_big = timed(lambda: first_turn(big), 30)
        first_small = timed(lambda: first_turn(small), 30)
        print(f"first turn: big {first_big * 1e3:.2f} ms, small {first_small * 1e3:.2f} ms, "
              f"ratio {first_big / first_small:.2f} (target <= 1.2)")

        loaded = timed(lambda: full_load(big), 5)
        parsed = timed(lambda: baseline(big), 5)
        print(f"full load: {loaded * 1e3:.0f} ms, json.loads baseline {parsed * 1e3:.0f} ms, "
              f"ratio {loaded / parsed:.2f} (target <= 1.5)")

        print(f"memory peak: full load {peak_memory(lambda: full_load(big)):.0f} MB, "
              f"baseline keeping every message {peak_memory(lambda: _keep_all(big)):.0f} MB, "
              f"first turn {peak_memory(lambda: first_turn(big)):.2f} MB")

        runs = write_many_runs(root / "runs", 1000)
        found = timed(lambda: discover([runs]), 3)
        print(f"discovery: {len(discover([runs]))} runs in {found:.2f} s (target about 1 s)")


def _keep_all(folder: Path) -> list[object]:
    with (folder / "messages.jsonl").open("rb") as file:
        return [json.loads(line) for line in file]


if __name__ == "__main__":
    main()
