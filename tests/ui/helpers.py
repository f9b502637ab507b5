"""Opening the app on a run and waiting for conditions (never for fixed times)."""

from __future__ import annotations

import asyncio
import html
import re
from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot

from nano_tui.trajectory import load
from nano_tui.ui.app import NanoApp
from nano_tui.ui.panels.base import Panel
from nano_tui.ui.screens.run import RunScreen
from nano_tui.ui.widgets.turn_view import TurnView

SIZE = (120, 36)


def app_for(path: Path, **options) -> NanoApp:
    return NanoApp(load(path), **options)


async def until(pilot: Pilot, condition: Callable[[], bool], timeout: float = 10.0) -> None:
    """Let the app run until ``condition()`` holds; fail after ``timeout`` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"condition not met within {timeout}s")
        await pilot.pause(0.01)


async def notified(pilot: Pilot, text: str) -> None:
    """Let the app run until a notification says ``text``: ``notify`` posts a message that the app
    handles after whatever posted it, so a notice is never there at once."""
    await until(pilot, lambda: any(text in str(notice.message) for notice in pilot.app._notifications))


def run_screen(pilot: Pilot) -> RunScreen:
    screen = pilot.app.screen
    assert isinstance(screen, RunScreen), screen
    return screen


def screen_text(pilot: Pilot) -> str:
    """What the terminal shows, as plain text lines (read back from the SVG export)."""
    rows: dict[float, list[tuple[float, str]]] = {}
    for match in re.finditer(r"<text ([^>]*)>([^<]*)</text>", pilot.app.export_screenshot()):
        attributes = dict(re.findall(r'(\w+)="([^"]*)"', match.group(1)))
        if "x" in attributes and "y" in attributes:
            text = html.unescape(match.group(2)).replace("\xa0", " ")
            rows.setdefault(float(attributes["y"]), []).append((float(attributes["x"]), text))
    return "\n".join("".join(text for _, text in sorted(parts)) for _, parts in sorted(rows.items()))


def turn_view(pilot: Pilot) -> TurnView:
    return pilot.app.screen.query_one(TurnView)


def panel_of(pilot: Pilot, kind: type[Panel]) -> Panel:
    """The first panel of ``kind`` in the current turn (shown or not)."""
    return next(panel for panel in turn_view(pilot).all_panels() if isinstance(panel, kind))


async def click_panel(pilot: Pilot, panel: Panel) -> None:
    offset = turn_view(pilot).panel_offset(panel)
    assert offset is not None, f"the {panel.label} panel is not on screen"
    await pilot.click(TurnView, offset=offset)


def body_segments(pilot: Pilot, panel: Panel) -> list:
    """The segments ``panel``'s body is drawn with."""
    return [segment for strip in turn_view(pilot).body_lines(panel) for segment in strip]


def body_text(pilot: Pilot, panel: Panel) -> str:
    return "\n".join(strip.text for strip in turn_view(pilot).body_lines(panel))
