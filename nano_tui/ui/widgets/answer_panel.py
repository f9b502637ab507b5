"""The assistant's text: Markdown by default, the exact raw text on a toggle."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.reactive import var
from textual.widgets import Markdown, Static

from nano_tui.ui.inert import fold, inert, visible

#: Longer answers are shown raw: laying out megabytes of Markdown would stall the screen.
MARKDOWN_LIMIT = 30_000


class AnswerPanel(Vertical, can_focus=True):
    DEFAULT_CSS = """
    AnswerPanel {
        height: auto;
        border: round $secondary 70%;
        border-title-color: $secondary;
        padding: 0 1;
        margin: 0 0 1 0;
    }
    AnswerPanel:focus { border: round $primary; }
    AnswerPanel Markdown { margin: 0; padding: 0; background: transparent; }
    AnswerPanel Markdown > *:last-child { margin-bottom: 0; }
    AnswerPanel #raw { display: none; }
    AnswerPanel.-raw #raw { display: block; }
    AnswerPanel.-raw Markdown { display: none; }
    """

    stage = 2
    label = "answer"
    has_content = False
    raw = var(False)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.raw_text = ""
        self._shown_markdown: str | None = None
        self._shown_raw: object = None

    def compose(self) -> ComposeResult:
        yield Markdown(open_links=False)
        yield Static(id="raw")

    def on_mount(self) -> None:
        self._apply_mode()

    def set_text(self, text: str, expanded: bool = False) -> None:
        """Called again and again while a live answer streams: appends when the text only grew."""
        self.raw_text = text
        self._apply_mode()
        markdown = "" if self._too_long else visible(text)
        if markdown != self._shown_markdown:
            widget = self.query_one(Markdown)
            previous = self._shown_markdown
            if previous and markdown.startswith(previous):
                widget.append(markdown[len(previous):])
            else:
                widget.update(markdown)
            self._shown_markdown = markdown
        if (text, expanded) != self._shown_raw:
            self._shown_raw = (text, expanded)
            folded = fold(text, expanded)
            body = inert(folded.text)
            if folded.folded:
                body.append("\n… folded — press o to expand", style="dim")
            self.query_one("#raw", Static).update(body)

    @property
    def _too_long(self) -> bool:
        return len(self.raw_text) > MARKDOWN_LIMIT

    def watch_raw(self) -> None:
        self._apply_mode()

    def _apply_mode(self) -> None:
        raw = self.raw or self._too_long
        self.set_class(raw, "-raw")
        self.border_title = Content("answer")
        self.border_subtitle = Content(f"{'raw' if raw else 'markdown'} · m toggles")
