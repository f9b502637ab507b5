"""Live runs against the local OpenAI-compatible server, and waiting for what the screen shows."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot

from nano_tui.core.spec import RunSpec
from nano_tui.ui.live_app import LiveApp
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


def shown(app: LiveApp, selector: str) -> bool:
    """Whether a panel of the current turn is on screen."""
    return any(widget.display for widget in live_screen(app).live_view.query(selector))


def panel_text(app: LiveApp, selector: str) -> str:
    widgets = live_screen(app).live_view.query(selector)
    return "\n".join(widget.raw_text for widget in widgets if widget.display)


def status_text(app: LiveApp) -> str:
    return live_screen(app).query_one("#status").render().plain
