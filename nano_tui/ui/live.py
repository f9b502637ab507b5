"""``nano-tui run`` / ``nano-tui demo`` full screen: open the live app, and say where the log went.

Preconditions were checked before this is called, so the screen never flashes up for a bad argument.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from nano_tui.core.spec import RunSpec
from nano_tui.safe_text import printable
from nano_tui.ui.live_app import JOIN_TIMEOUT, LiveApp
from nano_tui.ui.panels.summary import replay_command
from nano_tui.ui.themes import check_theme, load_themes


def run_live(spec: RunSpec) -> int:
    """Run ``spec`` in the full-screen view; the exit code is headless mode's."""
    themes = load_themes()
    if spec.theme:
        check_theme(spec.theme, themes)
    app = LiveApp(spec, themes=themes)
    with _signals_quit(app):
        try:
            app.run()
        finally:
            app.control.stop()
            app.finished.wait(JOIN_TIMEOUT)
    print(farewell(app), flush=True)
    return app.exit_code


def farewell(app: LiveApp) -> str:
    """What stays in the terminal after the screen closes: how the run ended and how to reopen it."""
    info = app.trajectory.info
    lines = []
    if app.spec.note:
        lines.append(f"nano-tui: {printable(app.spec.note)}")
    ending = info.end_reason or "stopped"
    if info.error:
        ending += f": {printable(info.error)}"
    lines.append(f"nano-tui: run {ending}")
    if info.path is not None:
        lines.append(f"log: {printable(str(info.path))}")
        lines.append(f"replay: {printable(replay_command(str(info.path)))}")
    return "\n".join(lines)


@contextmanager
def _signals_quit(app: LiveApp) -> Iterator[None]:
    """SIGINT and SIGTERM from outside (Ctrl+C at the keyboard is a key, see LiveApp) quit cleanly."""

    def quit_now(signum: int, frame: FrameType | None) -> None:
        app.control.stop()
        app.call_later(app.exit)

    previous = {sig: signal.signal(sig, quit_now) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
