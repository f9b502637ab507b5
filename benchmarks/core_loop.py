"""How much the loop itself costs, next to a model: run with ``.venv/bin/python benchmarks/core_loop.py``.

Prints the litellm import time (paid once per run, never by --help or replay), the loop's own time per
turn with the scripted model at speed 0 (streamed and whole replies, tools included), and the demo's
length at its normal pacing compared with the instant replay.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time


def import_seconds(module: str) -> float:
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    return float(
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    )


def demo_seconds(speed: float, stream: bool = True) -> tuple[float, int]:
    from nano_tui.commands.demo import make_sample_repo
    from nano_tui.core import scripted
    from nano_tui.core.agent import Agent

    scripted.set_speed(speed)
    events = []
    agent = Agent(model="scripted/fix-bug", log_dir=tempfile.mkdtemp(), stream=stream, on_event=events.append)
    started = time.perf_counter()
    agent.run("make the tests pass", make_sample_repo())
    return time.perf_counter() - started, len(events)


def main() -> None:
    cli, litellm = import_seconds("nano_tui.cli"), import_seconds("litellm")
    print(f"import nano_tui.cli: {cli:.2f}s   import litellm: {litellm:.2f}s   ratio {litellm / cli:.0f}x")
    demo_seconds(0)  # warm up: litellm import, tokenizer
    for stream in (True, False):
        runs = [demo_seconds(0, stream) for _ in range(5)]
        per_turn = statistics.median(seconds for seconds, _ in runs) / 6
        label = "streamed" if stream else "whole   "
        print(
            f"loop overhead, {label}: {per_turn * 1000:.0f} ms per turn (6 turns, 5 tool calls, "
            f"{runs[0][1]} events, median of 5)"
        )
    paced, _ = demo_seconds(1)
    instant, _ = demo_seconds(0)
    print(
        f"demo at speed 1: {paced:.1f}s   at speed 0: {instant:.1f}s   pacing share {1 - instant / paced:.0%}"
    )


if __name__ == "__main__":
    main()
