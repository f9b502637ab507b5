"""Panel bodies laid out once per width, so stepping through turns does not re-wrap kilobytes of text.

Textual wraps a widget's text once to measure its height and again to draw it, every time the widget
changes or is resized. A turn's panels hold ~15 KB; a :class:`Prerendered` body keeps its measured
height and drawn lines per width, and the prepared bodies of recent turns are kept in a small cache
(:data:`PREPARED`), so showing a turn again, or one prepared ahead of time, costs lookups.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable

from rich.console import RenderableType
from rich.segment import Segment
from rich.text import Text
from textual._context import active_app
from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual

#: Bodies kept for re-use: a turn has ~6 panels, so this holds the current turn, its neighbours and
#: a few recently visited ones.
CACHE_SIZE = 96


class Prerendered(Visual):
    """A Rich ``Text`` (kept selectable as ``Content``) or any Rich renderable, with its lines cached."""

    def __init__(self, renderable: RenderableType) -> None:
        app = active_app.get()
        text = isinstance(renderable, Text)
        self._content = Content.from_rich_text(renderable, app.console) if text else None
        self._renderable = renderable
        self._heights: dict[int, int] = {}
        self._lines: dict[int, list[list[Segment]]] = {}
        self._strips: dict[tuple[int, Style], list[Strip]] = {}

    @property
    def plain(self) -> str | None:
        """The text, when the body is text (what a mouse selection extracts from)."""
        return self._content.plain if self._content is not None else None

    def __str__(self) -> str:
        return self.plain if self._content is not None else str(self._renderable)

    def _rich_lines(self, width: int) -> list[list[Segment]]:
        lines = self._lines.get(width)
        if lines is None:
            app = active_app.get()
            options = app.console_options.update(highlight=False, width=width, height=None)
            lines = self._lines[width] = app.console.render_lines(self._renderable, options, pad=False)
        return lines

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return container_width

    def get_height(self, rules: RulesMap, width: int) -> int:
        height = self._heights.get(width)
        if height is None:
            if self._content is not None:
                height = self._content.get_height(rules, width)
            else:
                height = len(self._rich_lines(width))
            self._heights[width] = height
        return height

    def render_strips(self, width: int, height: int | None, style: Style,
                      options: RenderOptions) -> list[Strip]:
        if self._content is not None and options.selection is not None:
            return self._content.render_strips(width, height, style, options)
        strips = self._strips.get((width, style))
        if strips is None:
            if self._content is not None:
                strips = self._content.render_strips(width, None, style, options)
            else:
                base = style.rich_style
                strips = [Strip(Segment.apply_style(line, base), Segment.get_line_length(line))
                          for line in self._rich_lines(width)]
            if len(self._strips) > 4:
                self._strips.clear()
            self._strips[(width, style)] = strips
        return strips if height is None else strips[:height]


#: What a panel shows, as (cache key, a function that builds the body when the cache misses).
Prepared = tuple[Hashable, Callable[[], RenderableType]]

PREPARED: OrderedDict[Hashable, Prerendered] = OrderedDict()


def prepared(key: Hashable, build: Callable[[], RenderableType]) -> tuple[Prerendered, bool]:
    """The body for ``key`` from the cache, else built now; and whether it was built now."""
    body = PREPARED.get(key)
    if body is not None:
        PREPARED.move_to_end(key)
        return body, False
    body = PREPARED[key] = Prerendered(build())
    if len(PREPARED) > CACHE_SIZE:
        PREPARED.popitem(last=False)
    return body, True
