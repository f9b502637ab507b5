"""Live runs against the local OpenAI-compatible server, and waiting for what the screen shows."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot

from nano_tui.core.spec import RunSpec
from nano_tui.ui.live_app import LiveApp
from nano_tui.ui.panels.base import Panel
from nano_tui.ui.screens.live import LiveRunScreen

SIZE = (120, 36)
TASK = "Fix add() in app.py: it subtracts."
FIX = {"file": "app.py", "search": "return a - b", "replace": "return a + b"}


def server_spec(repo: Path, api_base: str, log_dir: Path, step: bool = False, **options) -> RunSpec:
    """A run of ``openai/test-model`` against ``api_base``; retries are quick so failures are too."""
    agent_options = dict(model="openai/test-model", api_base=api_base, api_key="sk-test", log_dir=log_dir,
                         time_limit=120, retries=0, retry_backoff=0.01, shell_timeout=60)
    agent_options.update(options)
    return RunSpec(task=TASK, repo=repo, model="openai/test-model", agent_options=agent_options, step=step)


async def until(pilot: Pilot, condition: Callable[[], bool], timeout: float = 20.0, what: str = "") -> None:
    """Let the app run until ``condition()`` holds, then until the screen has redrawn what led to it;
    fail after ``timeout`` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"not within {timeout}s: {what or condition}")
        await pilot.pause(0.01)
    app = pilot.app
    if isinstance(app, LiveApp):
        frames = app.frames
        while app.frames < frames + 2 and loop.time() < deadline + 5:
            await pilot.pause(0.01)


def live_screen(app: LiveApp) -> LiveRunScreen:
    screen = app.live_screen
    assert screen is not None
    return screen


def panels(app: LiveApp, name: str) -> list[Panel]:
    """The current turn's panels called ``name``: thinking, answer, call, output, diff, summary, …"""
    return [panel for panel in live_screen(app).live_view.all_panels() if panel.name.split(" ")[0] == name]


def shown(app: LiveApp, name: str) -> bool:
    """Whether a panel of the current turn is on screen."""
    return any(panel.shown for panel in panels(app, name))


def panel_text(app: LiveApp, name: str) -> str:
    return "\n".join(panel.raw_text for panel in panels(app, name) if panel.shown)


def subtitle(app: LiveApp, name: str) -> str:
    return next((panel.subtitle for panel in panels(app, name)), "")


def status_text(app: LiveApp) -> str:
    return live_screen(app).query_one("#status").render().plain
