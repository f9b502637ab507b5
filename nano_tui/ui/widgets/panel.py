"""The bordered block every turn panel is built on."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from rich.console import RenderableType
from textual.content import Content
from textual.selection import Selection
from textual.visual import RenderOptions
from textual.widget import Widget
from textual.widgets import Static

from nano_tui.ui.inert import visible
from nano_tui.ui.prerendered import Prepared, Prerendered, prepared
from nano_tui.ui.search import mark_matches


class Panel(Static, can_focus=True):
    """A focusable block with a plain-text title; ``raw_text`` is what ``y`` copies.

    ``stage`` orders panels for autoplay: a panel shows once the turn's reveal reaches it.
    Bodies are :class:`Prerendered` and shared through a cache keyed by what they show, so a turn
    seen before, or prepared ahead with :meth:`warm`, is shown without laying out its text again.
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
        #: The search to highlight: (query, Rich style), set by the turn view.
        self.mark: tuple[str, str] = ("", "")
        self.set_reactive(Widget.auto_links, False)

    def set_title(self, title: str, subtitle: str = "") -> None:
        """Titles from logs stay plain text: ``Content`` is never parsed as markup."""
        self.border_title = Content(visible(title).replace("\n", " "))
        self.border_subtitle = Content(visible(subtitle).replace("\n", " ")) if subtitle else None

    def show(self, key: Hashable, renderable: RenderableType, raw_text: str) -> None:
        """Re-render only when ``key`` changed: a live turn calls this many times a second."""
        self.show_built(key, lambda: renderable, raw_text)

    def show_built(self, key: Hashable, build: Callable[[], RenderableType], raw_text: str) -> None:
        """Like :meth:`show`, but ``build`` makes the body only if no cached body has this ``key``."""
        self.raw_text = raw_text
        key, build = self._marked(key, build)
        if key == self._key:
            return
        self._key = key
        body, _ = prepared(key, build)
        self.update(body)

    def warm(self, key: Hashable, build: Callable[[], RenderableType]) -> None:
        """Prepare the body for ``key`` at this panel's width without showing it (prefetching)."""
        body, built = prepared(*self._marked(key, build))
        width = self.size.width
        if built and width > 0:
            body.get_height(self.styles, width)
            body.render_strips(width, None, self.visual_style, RenderOptions(self._get_style, self.styles))

    def _marked(self, key: Hashable, build: Callable[[], RenderableType]) -> Prepared:
        """The cache key and builder, with the search hits highlighted when there is a search."""
        query, style = self.mark
        if not query:
            return (type(self), key), build
        return (type(self), key, self.mark), lambda: mark_matches(build(), query, style)

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        plain = self.visual.plain if isinstance(self.visual, Prerendered) else None
        if plain is None:
            return super().get_selection(selection)
        return selection.extract(plain), "\n"

    def invalidate(self) -> None:
        """Forget what is shown, so the next ``show`` redraws (e.g. after a theme change)."""
        self._key = None
