"""Loader figures: time to first turn (big vs small log), full load vs a ``json.loads`` baseline,
memory peak, and discovery of 1,000 runs. Prints figures; asserts nothing.

    .venv/bin/python -m benchmarks.trajectory_load
"""

from __future__ import annotations

import dataclasses
import json
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from benchmarks.biglog import write_big_log, write_many_runs, write_small_log
from nano_tui.trajectory import Turn, discover, load


def timed(action: Callable[[], object], repeat: int) -> float:
    """Best wall time of ``repeat`` runs, in seconds: the least disturbed by other work on the machine."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return min(samples)


def timed_pair(first: Callable[[], object], second: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Best times of two actions measured alternately, so drift in machine load hits both alike."""
    a, b = [], []
    for _ in range(repeat):
        a.append(timed(first, 1))
        b.append(timed(second, 1))
    return min(a), min(b)


def first_turn(folder: Path) -> None:
    load(folder).turn(1)


def read_everything(folder: Path) -> None:
    """Index and parse every line, as ``len()`` and ``skipped`` do (turns are then built on demand)."""
    trajectory = load(folder)
    len(trajectory)
    trajectory.skipped  # noqa: B018 - the property does the work


def build_every_turn(folder: Path) -> list[Turn]:
    """The full load: every Turn object built and kept (``list(load(path))``)."""
    return list(load(folder))


def read_every_field(folder: Path) -> None:
    """Every turn built and every field computed on first read actually read, as an export does."""
    for turn in load(folder):
        for field in dataclasses.fields(turn):
            getattr(turn, field.name)
        for call in turn.tool_calls:
            for field in dataclasses.fields(call):
                getattr(call, field.name)


def baseline(folder: Path) -> list[object]:
    """``json.loads`` of every line, keeping the messages (a loader has to keep what it loads)."""
    with (folder / "messages.jsonl").open("rb") as file:
        return [json.loads(line) for line in file]


def baseline_discarding(folder: Path) -> None:
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

        first_big, first_small = timed_pair(lambda: first_turn(big), lambda: first_turn(small), 50)
        print(f"first turn: big {first_big * 1e3:.2f} ms, small {first_small * 1e3:.2f} ms, "
              f"ratio {first_big / first_small:.2f} (target <= 1.2)")

        parsed, built = timed_pair(lambda: baseline(big), lambda: build_every_turn(big), 15)
        discarded, loaded = timed_pair(lambda: baseline_discarding(big), lambda: read_everything(big), 7)
        print(f"json.loads baseline: {parsed * 1e3:.0f} ms keeping the messages, "
              f"{discarded * 1e3:.0f} ms discarding them")
        print(f"full load (list(load(path)): every line indexed and parsed, every Turn built): "
              f"{built * 1e3:.0f} ms, ratio {built / parsed:.2f} to the keeping baseline (target <= 1.5)")
        print(f"every line indexed and parsed without building turns (len() and .skipped): "
              f"{loaded * 1e3:.0f} ms, ratio {loaded / discarded:.2f} to the discarding baseline")
        kept, everything = timed_pair(lambda: baseline(big), lambda: read_every_field(big), 5)
        print(f"full load and every field read (the derived ones computed, as an export does): "
              f"{everything * 1e3:.0f} ms, ratio {everything / kept:.2f} to the keeping baseline")

        print(f"memory peak: every turn built {peak_memory(lambda: build_every_turn(big)):.0f} MB, "
              f"baseline keeping every message {peak_memory(lambda: baseline(big)):.0f} MB, "
              f"first turn {peak_memory(lambda: first_turn(big)):.2f} MB")

        runs = write_many_runs(root / "runs", 1000)
        found = timed(lambda: discover([runs]), 3)
        print(f"discovery: {len(discover([runs]))} runs in {found:.2f} s (target about 1 s)")


if __name__ == "__main__":
    main()
