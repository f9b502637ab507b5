"""Panel bodies drawn once per width, so stepping through turns does not re-wrap kilobytes of text.

A turn's panels hold ~15 KB of text; wrapping and highlighting it is most of what showing a turn
costs. A :class:`Body` keeps its lines per width, and the bodies of recent turns are kept in a small
cache (:data:`PREPARED`), so showing a turn again, or one prepared ahead of time, costs lookups.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable

from rich.console import Console, RenderableType
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

#: Bodies kept for re-use: a turn has ~6 panels, so this holds the current turn, its neighbours and
#: a few recently visited ones.
CACHE_SIZE = 96


class Body:
    """A Rich renderable with its drawn lines cached per (width, base style)."""

    def __init__(self, renderable: RenderableType) -> None:
        self.renderable = renderable
        self._strips: dict[tuple[int, Style], list[Strip]] = {}

    def strips(self, console: Console, width: int, base: Style) -> list[Strip]:
        """The body's lines at ``width`` cells, on ``base`` (the panel's colours)."""
        key = (width, base)
        strips = self._strips.get(key)
        if strips is None:
            options = console.options.update(highlight=False, width=width, height=None)
            lines = console.render_lines(self.renderable, options, style=base, pad=True)
            strips = [Strip(Segment.simplify(line), width) for line in lines]
            if len(self._strips) > 4:
                self._strips.clear()
            self._strips[key] = strips
        return strips


#: What a panel shows, as (cache key, a function that builds the body when the cache misses).
Prepared = tuple[Hashable, Callable[[], RenderableType]]

PREPARED: OrderedDict[Hashable, Body] = OrderedDict()


def prepared(key: Hashable, build: Callable[[], RenderableType]) -> Body:
    """The body for ``key`` from the cache, else built now."""
    body = PREPARED.get(key)
    if body is not None:
        PREPARED.move_to_end(key)
        return body
    body = PREPARED[key] = Body(build())
    if len(PREPARED) > CACHE_SIZE:
        PREPARED.popitem(last=False)
    return body
