"""The assistant's text: Markdown by default, the exact raw text on a toggle.

Rendered as one Rich ``Markdown`` renderable, not Textual's block-per-widget Markdown: a turn change
or a streamed chunk re-renders one body instead of remounting many widgets.
"""

from __future__ import annotations

from rich.console import RenderableType

from nano_tui.ui.inert import folded_text, visible
from nano_tui.ui.panels.base import CALL, Panel
from nano_tui.ui.panels.body import Prepared
from nano_tui.ui.themes import CodeStyle

#: Longer answers are shown raw: laying out megabytes of Markdown would stall the screen.
MARKDOWN_LIMIT = 30_000


class AnswerPanel(Panel):
    stage = CALL
    label = "answer"
    tone = "answer"

    def __init__(self) -> None:
        super().__init__()
        self.raw = False
        self._expanded = False
        self._style: CodeStyle | None = None
        self._streaming = False

    def set_text(self, text: str, style: CodeStyle, expanded: bool = False, streaming: bool = False) -> None:
        """Called again and again while a live answer streams; re-renders only on change.

        While streaming the text is shown raw: re-parsing a growing Markdown document on every frame
        stalls the screen, and half a reply is often not valid Markdown yet anyway."""
        self.raw_text, self._style, self._expanded, self._streaming = text, style, expanded, streaming
        self._refresh_body()

    def set_raw(self, raw: bool) -> None:
        self.raw = raw
        if self._style is not None:
            self._refresh_body()

    def prepare(self, text: str, style: CodeStyle, expanded: bool = False,
                streaming: bool = False) -> Prepared:
        """The (cache key, builder) of the body for ``text``: to show it, or to prepare it ahead."""
        if streaming:
            return (text, "streaming", expanded), lambda: folded_text(text, expanded)
        if self.raw or len(text) > MARKDOWN_LIMIT:
            return (text, "raw", expanded), lambda: folded_text(text, expanded)
        return (text, "markdown", style), lambda: markdown(visible(text), code_theme=style.pygments,
                                                           hyperlinks=False)

    def _refresh_body(self) -> None:
        text, style, expanded = self.raw_text, self._style, self._expanded
        assert style is not None
        key, build = self.prepare(text, style, expanded, self._streaming)
        self.set_title("answer", f"{key[1]} · m toggles")
        self.show_built(key, build, text)


def markdown(text: str, **options: object) -> RenderableType:
    """Rich's Markdown, imported on first use: markdown-it costs a replay's start-up 20 ms otherwise."""
    from rich.markdown import Markdown

    return Markdown(text, **options)  # type: ignore[arg-type]
