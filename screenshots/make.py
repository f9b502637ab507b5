"""Regenerate the README's screenshots from the real app at a fixed size.

    .venv/bin/python screenshots/make.py

Runs the bundled demo (`nano-tui demo --headless`, no key, no network) into a temp folder and saves
SVGs of the browser, a turn with thinking and a shell call, an apply_patch turn with its diff, the
demo's failing test run, the help, a turn at a projector's 80×24, presenter mode at 100×30, the
context view, two runs compared and the browser grouped by task. The two live-run screenshots are
the live snapshot tests' SVGs (``tests/ui_live/__snapshots__/test_snapshots/``), copied here as
``live-paused.svg`` and ``live-finished.svg``: run the snapshot tests first when the live screen changed.
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nano_tui.trajectory import Trajectory, Turn, discover, load  # noqa: E402
from nano_tui.trajectory.alignment import Comparison  # noqa: E402
from nano_tui.ui.app import NanoApp  # noqa: E402
from tests.ui.runlogs import write_before_and_after, write_story  # noqa: E402

SIZE = (120, 36)
OUT = Path(__file__).resolve().parent


def demo_run(runs: Path) -> Path:
    subprocess.run([sys.executable, "-m", "nano_tui", "demo", "--headless", "--log-dir", str(runs)],
                   check=True, stdout=subprocess.DEVNULL, cwd=runs)
    return next(path for path in runs.iterdir() if (path / "messages.jsonl").is_file())


def first(trajectory: Trajectory, wanted: Callable[[Turn], bool]) -> int | None:
    return next((turn.index for turn in trajectory if wanted(turn)), None)


async def shoot(app: NanoApp, name: str, keys: tuple[str, ...] = (), size: tuple[int, int] = SIZE) -> None:
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        if keys:
            await pilot.press(*keys)
        await pilot.pause()
        app.save_screenshot(f"{name}.svg", str(OUT))
    print(OUT / f"{name}.svg")


async def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        runs = Path(folder) / "runs"
        runs.mkdir()
        demo = load(demo_run(runs))
        write_story(runs / "2025-12-03T10:00:00-0badc0de")
        await shoot(NanoApp(runs=discover([runs])), "browser")
        thinking = first(demo, lambda t: bool(t.thinking) and any(c.name == "shell" for c in t.tool_calls))
        patch = first(demo, lambda t: t.has_patch and bool(t.diff))
        failed = first(demo, lambda t: t.failed_calls > 0)
        assert None not in (thinking, patch, failed), "the demo has a thinking turn, a patch and a failure"
        await shoot(NanoApp(demo, turn=thinking), "thinking-and-shell")
        await shoot(NanoApp(demo, turn=patch), "patch-and-diff")
        await shoot(NanoApp(demo, turn=failed), "failed-call")
        await shoot(NanoApp(demo), "help", ("question_mark",))
        await shoot(NanoApp(demo, turn=failed), "projector", size=(80, 24))
        await shoot(NanoApp(demo, turn=patch, present=True), "presenter", size=(100, 30))
        await shoot(NanoApp(demo, turn=patch), "context-view", ("c",))
        compared = [load(path) for path in write_before_and_after(Path(folder) / "compared")]
        for trajectory in compared:  # where a reader's runs would be, not this machine's temp folder
            trajectory.info.path = Path("/home/you/.nano/runs") / trajectory.info.path.name
        await shoot(NanoApp(comparison=Comparison(compared)), "compare")
        await shoot(NanoApp(runs=discover([runs, Path(folder) / "compared"])), "browser-groups", ("g",))
    snapshots = ROOT / "tests" / "ui_live" / "__snapshots__" / "test_snapshots"
    for snapshot, name in (("test_demo_paused_before_a_tool_call", "live-paused"),
                           ("test_demo_finished", "live-finished")):
        shutil.copyfile(snapshots / f"{snapshot}.svg", OUT / f"{name}.svg")
        print(OUT / f"{name}.svg")


if __name__ == "__main__":
    asyncio.run(main())
