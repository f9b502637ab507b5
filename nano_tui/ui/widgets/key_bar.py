"""The keys that apply now, in one line at the bottom of a screen.

Textual's Footer rebuilds a widget per key whenever the bindings change (the focus moves, a live run
pauses): about 30 ms each time, several times during start-up and again on each focus change, all on
the GIL a live run's loop needs. This bar repaints one line instead. Clicking a key presses it;
hovering one highlights it and shows what it does.
"""

from __future__ import annotations

from typing import NamedTuple

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget

from nano_tui.ui.themes import ThemeColours, colours_on

#: A key's lead-in, and a key that cannot be pressed now.
DIM = Style(dim=True)


class Spot(NamedTuple):
    """Where one key sits on the bar."""

    start: int
    end: int
    binding: Binding
    enabled: bool
    tooltip: str


class KeyBar(ThemeColours[tuple[Style, Style, Style]], Widget):
    DEFAULT_CSS = """
    KeyBar { dock: bottom; height: 1; background: $panel; color: $footer-foreground; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        #: Where each key sits, as last drawn.
        self.spots: list[Spot] = []
        self._hover: Binding | None = None

    def work_out_colours(self) -> tuple[Style, Style, Style]:
        """A key's, its description's and the hovered key's: the colours of Textual's footer."""
        base, colour = self.rich_style, colours_on(self)
        return (base + Style(color=colour("$footer-key-foreground"), bgcolor=colour("$footer-key-background"),
                             bold=True),
                base + Style(color=colour("$footer-description-foreground")),
                Style(bgcolor=colour("$block-hover-background")))

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        if screen is self.screen:
            self.refresh()

    def keys(self) -> tuple[list[tuple[Binding, bool, str]], tuple[Binding, bool, str] | None]:
        """The keys to list, one per action in binding order, and the command palette's key."""
        listed, actions = [], set()
        palette = None
        for _node, binding, enabled, tooltip in self.screen.active_bindings.values():
            if binding.key == self.app.COMMAND_PALETTE_BINDING and self.app.ENABLE_COMMAND_PALETTE:
                palette = (binding, enabled, tooltip)
            elif binding.show and binding.action not in actions:
                actions.add(binding.action)
                listed.append((binding, enabled, tooltip))
        return listed, palette

    def render_line(self, y: int) -> Strip:
        """The keys that fit, left to right, and the command palette's at the right edge: segments,
        not a Rich ``Text`` through Textual's content pipeline (1 ms of a replay's first frame)."""
        base = self.rich_style
        listed, palette = self.keys()
        right, right_spots = (self._line([palette], base, lead="▕") if palette is not None
                              else (Strip([]), []))
        right = right.crop(0, right.cell_length - 1)  # no last space: on the right, as in Textual's footer
        room = max(0, self.size.width - right.cell_length)
        line, spots = self._line(listed, base, room)
        spots += [spot._replace(start=spot.start + room, end=min(spot.end, right.cell_length) + room)
                  for spot in right_spots]
        self.spots = spots
        line = Strip.join([line.adjust_cell_length(room, base), right])
        return line.adjust_cell_length(self.size.width, base)

    def _line(self, keys: list[tuple[Binding, bool, str]], base: Style, room: int | None = None,
              lead: str = " ") -> tuple[Strip, list[Spot]]:
        """The keys' labels, as many as fit in ``room`` cells: a key is shown whole or not at all."""
        key_style, description_style, hover_style = self.colours()
        segments: list[Segment] = []
        spots: list[Spot] = []
        start = 0
        for binding, enabled, tooltip in keys:
            label = [Segment(lead, base + DIM), Segment(f"{self.app.get_key_display(binding)} ", key_style),
                     Segment(f"{binding.description} ", description_style)]
            if not enabled:
                label = list(Segment.apply_style(label, post_style=DIM))
            if binding is self._hover:
                label = list(Segment.apply_style(label, post_style=hover_style))
            end = start + Segment.get_line_length(label)
            if room is not None and end > room:
                break
            segments += label
            spots.append(Spot(start, end, binding, enabled, tooltip or binding.description))
            start = end
        return Strip(segments, start), spots

    def _spot(self, x: int) -> Spot | None:
        return next((spot for spot in self.spots if spot.start <= x < spot.end), None)

    def on_click(self, event: events.Click) -> None:
        spot = self._spot(event.x)
        if spot is None:
            return
        if spot.enabled:
            self.app.simulate_key(spot.binding.key)
        else:
            self.app.bell()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        spot = self._spot(event.x)
        binding = spot.binding if spot is not None else None
        if binding is not self._hover:
            self._hover = binding
            self.tooltip = spot.tooltip if spot is not None else None
            self.refresh()

    def on_leave(self) -> None:
        self._hover, self.tooltip = None, None
        self.refresh()
