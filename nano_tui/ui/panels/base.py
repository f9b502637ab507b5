"""What every turn panel is: a titled block of text the turn view draws.

Panels are not widgets. A turn shows up to a dozen of them and a live run redraws them several times
a second; as widgets each would be laid out, measured and painted by Textual on every turn change. The
turn view instead draws the visible lines of all of them as one scrolling widget (see
``widgets/turn_view.py``), and a panel only holds what to draw: title, tone, body.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from rich.console import Console, RenderableType
from rich.style import Style

from nano_tui.ui.inert import visible
from nano_tui.ui.panels.body import Body, Prepared, prepared
from nano_tui.ui.search import mark_matches

#: Reveal stages for autoplay: each turn shows thinking, then the call, then its output, then the diff.
#: ``RUN`` reveals no panel: the moment the harness runs the call, which the loop strip shows.
THINKING, CALL, RUN, OUTPUT, DIFF = 1, 2, 3, 4, 5
FULL = DIFF


class Panel:
    """A block with a plain-text title; ``raw_text`` is what ``y`` copies.

    ``stage`` orders panels for autoplay: a panel shows once the turn's reveal reaches it. ``tone``
    names its colours (see ``TONES`` in the turn view); ``state`` overrides them, e.g. ``failed``.
    Bodies are shared through a cache keyed by what they show, so a turn seen before, or prepared
    ahead with :meth:`warm`, is shown without laying out its text again.
    """

    stage = DIFF
    label = "panel"
    tone = "plain"
    #: Colours of the body text: ``None`` (normal), ``quiet`` or ``thinking``.
    body_tone: str | None = None

    def __init__(self, name: str | None = None, *, label: str | None = None, stage: int | None = None,
                 tone: str | None = None, body_tone: str | None = None) -> None:
        self.label = label or self.label
        #: Unique within a turn (``call 2``); the class's label for panels a turn has one of.
        self.name = name or self.label
        self.stage = self.stage if stage is None else stage
        self.tone = tone or self.tone
        self.body_tone = body_tone or self.body_tone
        self.state: str | None = None
        #: Whether the current turn has anything for this panel (set by the turn view).
        self.has_content = False
        #: Whether it is drawn now: it has content, its autoplay stage is reached, it is not hidden.
        self.shown = False
        self.title = ""
        self.subtitle = ""
        self.raw_text = ""
        self.body: Body | None = None
        #: The search to highlight: (query, Rich style), set by the turn view.
        self.mark: tuple[str, str] = ("", "")
        self._key: object = None

    def set_title(self, title: str, subtitle: str = "") -> None:
        """Titles from logs stay plain text on one line."""
        self.title = visible(title).replace("\n", " ")
        self.subtitle = visible(subtitle).replace("\n", " ")

    def show(self, key: Hashable, renderable: RenderableType, raw_text: str) -> None:
        """Show ``renderable``; a live turn calls this many times a second, so ``key`` says if it changed."""
        self.show_built(key, lambda: renderable, raw_text)

    def show_built(self, key: Hashable, build: Callable[[], RenderableType], raw_text: str) -> None:
        """Like :meth:`show`, but ``build`` makes the body only if no cached body has this ``key``."""
        self.raw_text = raw_text
        key, build = self._marked(key, build)
        if key != self._key:
            self._key = key
            self.body = prepared(key, build)

    def warm(self, prepare: Prepared, console: Console, width: int, base: Style) -> None:
        """Draw the body for a (key, builder) at ``width`` without showing it (prefetching)."""
        if width > 0:
            prepared(*self._marked(*prepare)).strips(console, width, base)

    def toggle(self) -> bool:
        """Open or close the panel (Enter, a click); whether it has that to offer (most do not)."""
        return False

    def invalidate(self) -> None:
        """Forget what is shown, so the next ``show`` rebuilds (e.g. after a theme change)."""
        self._key = None

    def _marked(self, key: Hashable, build: Callable[[], RenderableType]) -> Prepared:
        """The cache key and builder, with the search hits highlighted when there is a search."""
        query, style = self.mark
        if not query:
            return (type(self), key), build
        return (type(self), key, self.mark), lambda: mark_matches(build(), query, style)
