"""SVG snapshots of the live screen: the demo finished, and paused in step mode before a tool call.

The demo's scripted model at speed 0 says the same every time; the clock moves only by the steady
durations given to the events, and paths are made steady, so the pictures only change when the screen
does (and a finished run of six 1.5 s turns says 0:09, as a real one would).
"""

from __future__ import annotations

import dataclasses
import shutil
import tempfile
from argparse import Namespace
from collections.abc import Callable
from pathlib import Path

import pytest

from nano_tui.commands import demo
from nano_tui.core.events import Event, RunEnded, RunStarted, ToolFinished, TurnEnded
from nano_tui.core.spec import RunSpec
from nano_tui.ui.live_app import LiveApp
from tests.ui_live.helpers import SIZE, until

RUN_DIR = "/home/you/.nano/2025-06-01T12:00:00-0a1b2c3d"
SANDBOX = {"name": "sandbox", "image": None, "workdir": "/app", "network": False, "confined": True,
           "description": "sandbox (bubblewrap, no network)", "warning": None}


class SteadyClock:
    """The time the screen sees: moved on by the steady durations below, not by the machine."""

    now = 1_750_000_000.0

    @classmethod
    def time(cls) -> float:
        return cls.now


def steady(event: Event) -> Event:
    if isinstance(event, TurnEnded):
        SteadyClock.now += 1.5
        return dataclasses.replace(event, duration=1.5)
    if isinstance(event, ToolFinished):
        return dataclasses.replace(event, duration=0.5)
    if isinstance(event, RunStarted):
        # the run uses local bash wherever the tests run; the picture shows the default where
        # bubblewrap works, as the README's screenshots should
        return dataclasses.replace(event, run_dir=RUN_DIR, backend=SANDBOX)
    if isinstance(event, RunEnded):
        return dataclasses.replace(event, run_dir=RUN_DIR)
    return event


async def settle(pilot) -> None:
    """Let the Markdown answer and the key bar finish rendering."""
    for _ in range(3):
        await pilot.wait_for_scheduled_animations()
        await pilot.pause(0.05)


@dataclasses.dataclass
class SteadySpec(RunSpec):
    def make_agent(self, on_event: Callable[[Event], None] | None = None, control=None):
        assert on_event is not None
        return super().make_agent(on_event=lambda event: on_event(steady(event)), control=control)


@pytest.fixture
def demo_app(monkeypatch, tmp_path) -> Callable[[bool], LiveApp]:
    monkeypatch.setattr(SteadyClock, "now", SteadyClock.now)
    # as printed with the virtual environment active, whichever PATH the tests run with
    monkeypatch.setattr("nano_tui.invocation.program", lambda: "nano-tui")
    # the sample repository's path is in the test output the model reads: the same one each time
    sample = Path(tempfile.gettempdir()) / "nano-tui-demo-snapshot"

    def steady_folder(prefix: str) -> str:
        shutil.rmtree(sample, ignore_errors=True)
        sample.mkdir()
        return str(sample)

    monkeypatch.setattr("nano_tui.commands.demo.tempfile.mkdtemp", steady_folder)
    for module in ("ui.live_app", "live.feed", "ui.widgets.status_line", "ui.widgets.live_turn_view"):
        monkeypatch.setattr(f"nano_tui.{module}.time", SteadyClock)

    def make(step: bool) -> LiveApp:
        spec = demo.prepare(Namespace(speed=0.0, log=True, log_dir=tmp_path / "logs", step=step, theme=None))
        spec.agent_options["backend"] = "local"  # the same commands on every machine, bubblewrap or not
        return LiveApp(SteadySpec(**dataclasses.asdict(spec)))

    return make


def test_demo_finished(snap_compare, demo_app):
    app = demo_app(False)

    async def finished(pilot) -> None:
        await until(pilot, lambda: app.status.state == "finished", timeout=60, what="the demo finishes")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=finished)


def test_demo_paused_before_a_tool_call(snap_compare, demo_app):
    app = demo_app(True)

    async def paused(pilot) -> None:
        await until(pilot, lambda: app.status.state == "paused", timeout=60, what="the first pause")
        await pilot.press("enter")
        await until(pilot, lambda: app.status.state == "paused" and app.status.detail == "tool", timeout=60,
                    what="the pause before the tool call")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=paused)
