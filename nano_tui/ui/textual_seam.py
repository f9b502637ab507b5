"""Where nano-tui leans on Textual beyond its documented use, in one place, each with the measurement
that made it worth it. A Textual upgrade is checked here first (``.ci/textual-next`` runs the suite
against the newest Textual the registry has, past the pin in ``pyproject.toml``).

- :func:`set_virtual_size` writes ``ScrollView`` reactives directly. Setting ``virtual_size`` the
  documented way asks for a screen layout, which cost more than drawing a new turn (22–25 ms a turn
  step before, 7.9 ms after, ``benchmarks/replay_speed.py``).
- ``widgets/key_bar.py`` replaces Textual's ``Footer``, which rebuilt a widget per key (about 30 ms)
  on every focus or binding change; it reads ``Screen.active_bindings`` and listens to
  ``bindings_updated_signal``.
- ``frame_pacer.py`` paces live redraws by their measured CPU cost (a 50-turn run under the full screen
  1.07× its headless time, ``benchmarks/live_speed.py``); it relies on ``call_after_refresh`` running
  once the screen has been drawn.
- :class:`StyledScreen` tells Textual that a screen's first ``ScreenResume`` needs no restyle: it
  was styled as it was mounted, a moment before. Restyling it again cost 3.5 ms of the 30 ms between
  the app's start and a replay's first frame (4.3 ms to 0.8 ms in ``Stylesheet.update_nodes``).
- ``NanoApp`` makes its theme the ``theme`` reactive's initial value and answers ``get_theme`` for the
  theme files before they are registered: Textual reads the theme while it builds the stylesheet in
  ``App.__init__``. Set afterwards, the theme's watcher parsed every stylesheet again before the first
  frame (``App.run`` to the driver's start: 5.4 ms before, 0.9 ms after). The light and high-contrast
  snapshots fail if Textual stops reading it there.
- ``recording.py`` (``nano-tui record``) subclasses the ``HeadlessDriver`` to say it is not headless:
  ``App._display`` then renders each frame and hands the bytes to the driver's ``write``, which puts
  them in the cast; ``Pilot.pause`` draws the frame before it returns. ``tests/ui/test_record.py``
  plays the cast into a terminal emulator and fails when either stops holding.
"""

from __future__ import annotations

from textual import events
from textual.geometry import Size
from textual.screen import Screen
from textual.scroll_view import ScrollView


def set_virtual_size(view: ScrollView, size: Size, repaint: bool = True) -> None:
    """Change how far ``view`` scrolls without a layout of the whole screen.

    Setting ``virtual_size`` asks Textual for a screen layout, which on a new turn costs more than
    drawing it. A view with a fixed size, no scrollbar widget and a mark drawn by itself only needs
    the new value (scrolling is clamped with it) and a repaint, which ``repaint=False`` leaves to a
    caller that knows which lines changed."""
    if size != view.virtual_size:
        view.set_reactive(ScrollView.virtual_size, size)
        # clamped before scrolling may be refused: content that now fits must not stay scrolled past its end
        view.scroll_to(y=min(view.scroll_y, view.max_scroll_y), animate=False, immediate=True, force=True)
        # what a layout would have decided: scrolling is allowed once the content is taller than the view
        view.set_reactive(ScrollView.show_vertical_scrollbar, size.height > view.container_size.height)
        if repaint:
            view.refresh()


class StyledScreen(Screen):
    """A screen that is not restyled when it is first shown.

    Textual mounts a screen, applying every widget's styles, and then resumes it, restyling the whole
    screen again; on returning to a screen below (``pop_screen``) it already skips that restyle. A
    style that changes later (a class, focus, the theme) is applied by its own update, as always."""

    _shown = False

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        if not self._shown:
            self._shown = True
            event.refresh_styles = False
