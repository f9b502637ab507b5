"""The run at a glance: model, task, where we are, limits, and the modes that are on."""

from __future__ import annotations

from typing import NamedTuple

from rich.style import Style
from rich.text import Text
from textual.widgets import Static

from nano_tui.trajectory.model import RunInfo
from nano_tui.ui.inert import first_line
from nano_tui.ui.themes import ThemeColours, colours_on


class HeaderState(NamedTuple):
    turn: int = 0
    turns: int | None = 0
    playing: bool = False
    speed: float = 1.0
    filter: str = "all"
    shown: int = 0
    search: str = ""
    hit: int = 0
    hits: int = 0
    follow: bool = False
    #: Lines of the log that could not be read as written, e.g. "2 lines unreadable, skipped".
    problems: str = ""


def _limits(info: RunInfo) -> str:
    """The run's budgets, labelled: "limits 50 tool calls · 32,768 tokens · 600 s"."""
    parts = []
    for key, unit in (("tool_limit", " tool calls"), ("token_limit", " tokens"), ("time_limit", " s")):
        value = info.limits.get(key)
        if isinstance(value, int | float) and value < 1e8:  # no time limit is stored as 1e9
            parts.append(f"{value:,}{unit}")
    return "limits " + " · ".join(parts) if parts else ""


def _ending(info: RunInfo) -> str:
    if info.end_reason:
        return f"ended: {info.end_reason}"
    if info.ended_normally is False:
        return "did not end normally (no final diff)"
    if info.ended_normally:
        return "ended normally"
    return ""


#: The colours of the header's marks (all bold), in the theme's variables (see ``theme_colour``).
MARKS = {"model": "$primary", "warning": "$warning", "filter": "$accent", "good": "$success"}


class RunHeader(ThemeColours[dict[str, Style]], Static):
    DEFAULT_CSS = """
    RunHeader { height: 2; background: $panel; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    def __init__(self, info: RunInfo, **kwargs) -> None:
        super().__init__(**kwargs)
        self.info = info
        self.state = HeaderState()

    def work_out_colours(self) -> dict[str, Style]:
        colour = colours_on(self)
        return {name: Style(color=colour(spec), bold=True) for name, spec in MARKS.items()}

    def set_state(self, state: HeaderState) -> None:
        self.state = state
        self.update(self._text(), layout=False)  # two lines, always: a repaint, not a screen layout

    def set_info(self, info: RunInfo) -> None:
        self.info = info
        self.update(self._text(), layout=False)

    def _text(self) -> Text:
        info, state = self.info, self.state

        style = self.colours().__getitem__

        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(first_line(info.model or "unknown model", 60), style=style("model"))
        text.append("  ")
        text.append(first_line(info.task_line, 400) or "(no task)")
        text.append("\n")
        last = max(state.turns - 1, 0) if state.turns is not None else "…"  # None: the log is still indexed
        text.append(f"turn {state.turn} of {last}", style="bold")
        backend = info.backend
        if backend.get("confined") is False:  # first, where a narrow terminal does not cut it off
            text.append("  ·  ⚠ shell not confined", style=style("warning"))
        for part in (_limits(info), _ending(info)):
            if part:
                text.append(f"  ·  {part}", style="dim")
        if backend.get("confined") and isinstance(backend.get("description"), str):
            text.append(f"  ·  shell: {first_line(backend['description'], 60)}", style="dim")
        if state.problems:
            text.append(f"  ·  ⚠ log: {state.problems}", style=style("warning"))
        if state.filter != "all":
            text.append(f"  ·  filter: {state.filter} ({state.shown} turns)", style=style("filter"))
        if state.search:
            text.append("  ·  search ")
            text.append(first_line(state.search, 40), style=style("warning"))
            text.append(f" {state.hit}/{state.hits}" if state.hits else " no hits")
        if state.playing:
            text.append(f"  ·  ▶ autoplay {state.speed:g}×", style=style("good"))
        elif state.speed != 1.0:
            text.append(f"  ·  speed {state.speed:g}×", style="dim")
        if state.follow:
            text.append("  ·  following", style=style("good"))
        return text
