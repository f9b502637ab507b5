"""The Textual app. It opens either one run or the run browser; live runs reuse it (see RunScreen)."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App
from textual.reactive import Initialize, Reactive
from textual.screen import Screen
from textual.theme import Theme

from nano_tui.collector import hold, settle
from nano_tui.safe_text import printable
from nano_tui.trajectory import Trajectory
from nano_tui.ui.screens.run import RunScreen
from nano_tui.ui.terminal import trust_real_terminal
from nano_tui.ui.themes import DEFAULT_THEME, load_themes

if TYPE_CHECKING:  # a single run's start-up needs none (the run index brings in SQLite)
    from nano_tui.trajectory.alignment import Comparison
    from nano_tui.trajectory.discovery import RunSummary
    from nano_tui.trajectory.run_index import Listing

#: Seconds after start-up, once the first screen is up, to settle the collector (see ``collector``).
COLLECTOR_DELAY = 1.0


class NanoApp(App):
    #: Every screen is opaque, a dialog's included: it hides what is below it. Each screen's own look is
    #: its ``DEFAULT_CSS``, parsed when it is first shown (a replay never parses the browser's).
    CSS = "Screen { background: $background; }"
    TITLE = "nano-tui"
    #: The first theme is the app's own from the start, so Textual builds its stylesheet with it: set
    #: after start, it would parse every stylesheet again before the first frame (about 4 ms).
    theme: Reactive[str] = Reactive(Initialize(lambda app: app.first_theme))

    def __init__(self, trajectory: Trajectory | None = None, runs: list[RunSummary] | Listing | None = None,
                 *,
                 comparison: Comparison | None = None,
                 turn: int | None = None, autoplay: bool = False, speed: float = 1.0, present: bool = False,
                 theme: str | None = None, themes: list[Theme] | None = None) -> None:
        self.file_themes = {file_theme.name: file_theme
                            for file_theme in (themes if themes is not None else load_themes())}
        self.first_theme = theme or DEFAULT_THEME
        super().__init__()
        for file_theme in self.file_themes.values():
            self.register_theme(file_theme)
        self.trajectory = trajectory
        self.runs = runs or []
        self.comparison = comparison
        self.options = {"turn": turn, "autoplay": autoplay, "speed": speed, "present": present}

    def get_theme(self, theme_name: str) -> Theme | None:
        """Also the theme files' themes, which Textual asks for before they can be registered."""
        return super().get_theme(theme_name) or self.file_themes.get(theme_name)

    def run(self, *args, **kwargs):  # type: ignore[override]
        """Run full screen at the terminal's real size (see :mod:`nano_tui.ui.terminal`), with the
        collector held until the first screen is up (see :mod:`nano_tui.collector`)."""
        trust_real_terminal()
        hold()
        try:
            return super().run(*args, **kwargs)
        finally:
            settle()

    def copy_to_clipboard(self, text: str) -> None:
        """Every copy, a panel's or a selection's, as the panels show it: pasted into a shell, a log's
        escape sequence (the end of a bracketed paste, a clipboard write) must not act."""
        super().copy_to_clipboard(printable(text))

    def deliver_screenshot(self, filename: str | None = None, path: str | None = None,
                           time_format: str | None = None) -> str | None:
        """Save an SVG of the screen (the palette's "Screenshot") in the first folder of the user's
        Downloads, the current folder and home that can take it, and say where it went."""
        places = [Path(path)] if path else [Path("~/Downloads").expanduser(), Path.cwd(), Path.home()]
        for place in places:
            if not place.is_dir():
                continue
            try:
                saved = self.save_screenshot(filename, str(place), time_format)
            except OSError:
                continue
            self.notify(f"Screenshot saved: {saved}", title="Screenshot", markup=False)
            return saved
        self.notify(f"Could not save a screenshot in {', '.join(map(str, places))}", title="Screenshot",
                    severity="error", markup=False)
        return None

    def on_mount(self) -> None:
        self.set_timer(COLLECTOR_DELAY, settle)

    def get_default_screen(self) -> Screen:
        """The first screen (a run, a comparison or the browser) is the bottom of the stack, not
        pushed over Textual's blank one: building, styling and drawing that one cost about 20 ms of
        every start (``benchmarks/replay_speed.py``)."""
        if self.trajectory is not None:
            return self.run_screen(self.trajectory, **self.options)
        if self.comparison is not None:
            return self.compare_screen(self.comparison)
        from nano_tui.ui.screens.browser import BrowserScreen  # its table is not a single run's cost

        return BrowserScreen(self.runs, partial(self.run_screen, speed=self.options["speed"]),
                             self.compare_screen)

    def compare_screen(self, comparison: Comparison) -> Screen:
        """Runs side by side; Enter opens one of them at a turn, in the normal replay."""
        from nano_tui.ui.screens.compare import CompareScreen

        return CompareScreen(comparison, lambda trajectory, turn: self.run_screen(
            trajectory, turn=turn, speed=self.options["speed"]))

    def run_screen(self, trajectory: Trajectory, **options) -> Screen:
        """The screen that shows one run; a live app overrides this to add its own keys."""
        return RunScreen(trajectory, **options)
