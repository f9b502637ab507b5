"""One turn as panels: a :class:`~nano_tui.ui.presenter.TurnPresenter` decides which, a
:class:`~nano_tui.ui.widgets.panel_stack.PanelStack` draws them.

The view holds the reader's toggles (thinking, raw answer, unfolded, what the command printed) and the
autoplay stage, and remembers where each turn was left. ``show`` may be called again and again for the
same turn while it grows (a live run redraws up to ten times a second).
"""

from __future__ import annotations

from rich.text import Text
from textual.reactive import var

from nano_tui.trajectory.model import RunInfo, Turn
from nano_tui.ui.panels.base import FULL, Panel
from nano_tui.ui.presenter import DiffView, Options, Scene, TurnPresenter
from nano_tui.ui.widgets.panel_stack import PanelStack


class TurnView(PanelStack):
    show_thinking = var(True)
    raw_answer = var(False)
    expanded = var(False)
    #: Outputs show what the command printed (kept by the sidecar) instead of what the model saw.
    printed = var(False)

    def __init__(self, presenter: TurnPresenter | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.presenter = presenter or TurnPresenter()
        self.scene: Scene | None = None
        self.stage = FULL
        #: Where each turn visited was left: (scroll offset, unfolded).
        self._left: dict[int, tuple[int, bool]] = {}

    @property
    def turn(self) -> Turn | None:
        return self.scene.turn if self.scene is not None else None

    @property
    def thinking(self) -> Panel:
        return self.presenter.thinking

    @property
    def answer(self) -> Panel:
        return self.presenter.answer

    def all_panels(self) -> list[Panel]:
        """Every panel of the presenter in reading order, shown or not."""
        return self.presenter.all_panels()

    def show(self, turn: Turn, info: RunInfo, diff: DiffView, stage: int = FULL,
             summary: Text | None = None, request: str | None = None, note: str | None = None) -> None:
        """Render ``turn`` (again). Cheap when nothing changed. Another turn opens where it was left
        (unfolded or not, scrolled as far), else at its top."""
        new_turn = self.turn is None or self.turn.index != turn.index
        if new_turn:
            if self.turn is not None:
                self._left[self.turn.index] = (self.scroll_offset.y, self.expanded)
            scroll, expanded = self._left.get(turn.index, (0, False))
            self.set_reactive(TurnView.expanded, expanded)
        self.scene, self.stage = Scene(turn, info, diff, summary, request, note), stage
        self.render_scene()
        if new_turn:
            self.scroll_to(y=min(scroll, self.max_scroll_y), animate=False, immediate=True, force=True)

    def options(self) -> Options:
        palette = self.colours()
        return Options(palette.code, palette.warning, self.expanded, self.printed, self.show_thinking)

    def render_scene(self) -> None:
        """Fill the panels from the scene and draw those its stage reveals."""
        if self.scene is not None:
            self.presenter.present(self.scene, self.options())
            self.apply_stage()

    def apply_stage(self) -> None:
        self.set_panels(self.presenter.shown(self.stage, self.show_thinking))

    def stages(self) -> list[int]:
        return self.presenter.stages(self.show_thinking)

    def warm(self, turn: Turn, diff: DiffView) -> None:
        """Prepare ``turn``'s panels at the current width without showing them (see the presenter)."""
        if self.scene is not None:
            self.presenter.warm(Scene(turn, self.scene.info, diff), self.options(), self.app.console,
                                self.body_width(), self.body_style)

    def set_stage(self, stage: int) -> None:
        self.stage = stage
        self.apply_stage()

    def rerender(self) -> None:
        """Redraw every panel, e.g. when the theme (and so the code colours) changed."""
        self.presenter.invalidate()
        self.render_scene()

    def set_search(self, query: str) -> None:
        """Highlight ``query`` wherever it occurs in the panels."""
        style = str(self.colours().hit)
        self.presenter.set_mark((query, style) if query else ("", ""))
        self.render_scene()

    def watch_show_thinking(self) -> None:
        self.apply_stage()

    def watch_raw_answer(self, raw: bool) -> None:
        self.presenter.answer.set_raw(raw)
        self.apply_stage()

    def watch_expanded(self) -> None:
        self.render_scene()

    def watch_printed(self) -> None:
        self.render_scene()
