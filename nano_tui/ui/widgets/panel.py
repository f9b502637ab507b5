"""The bordered block every turn panel is built on."""

from __future__ import annotations

from typing import Any

from rich.console import RenderableType
from textual.content import Content
from textual.widgets import Static

from nano_tui.ui.inert import visible


class Panel(Static, can_focus=True):
    """A focusable block with a plain-text title; ``raw_text`` is what ``y`` copies.

    ``stage`` orders panels for autoplay: a panel shows once the turn's reveal reaches it.
    """

    DEFAULT_CSS = """
    Panel {
        height: auto;
        border: round $foreground 30%;
        border-title-color: $foreground 80%;
        border-subtitle-color: $foreground 60%;
        padding: 0 1;
        margin: 0 0 1 0;
    }
    Panel:focus { border: round $primary; border-title-color: $primary; }
    Panel.-failed { border: round $error 80%; border-subtitle-color: $error; }
    Panel.-warning { border: round $warning 70%; }
    """

    stage = 4
    label = "panel"
    #: Whether the current turn has anything for this panel (set by the turn view).
    has_content = False

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.raw_text = ""
        self._key: object = None

    def set_title(self, title: str, subtitle: str = "") -> None:
        """Titles from logs stay plain text: ``Content`` is never parsed as markup."""
        self.border_title = Content(visible(title).replace("\n", " "))
        self.border_subtitle = Content(visible(subtitle).replace("\n", " ")) if subtitle else None

    def show(self, key: object, renderable: RenderableType, raw_text: str) -> None:
        """Re-render only when ``key`` changed: a live turn calls this many times a second."""
        self.raw_text = raw_text
        if key == self._key:
            return
        self._key = key
        self.update(renderable)

    def invalidate(self) -> None:
        """Forget what is shown, so the next ``show`` redraws (e.g. after a theme change)."""
        self._key = None
