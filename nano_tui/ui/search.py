"""What `/` searches and `f` filters: plain functions and a small state object over turns, shared by
replay and live."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable
from typing import Literal

from rich.console import Group, RenderableType
from rich.text import Text

from nano_tui.trajectory.model import RunInfo, Turn

FilterMode = Literal["all", "failed", "patches"]
FILTERS: tuple[FilterMode, ...] = ("all", "failed", "patches")
FILTER_LABELS = {"all": "all turns", "failed": "failed calls only", "patches": "patches only"}


def turn_text(turn: Turn, info: RunInfo) -> str:
    """Everything a reader could look for in a turn, as one string."""
    parts = [*turn.thinking, turn.text, *turn.nudges, turn.error or "", turn.diff]
    for call in turn.tool_calls:
        parts += [call.name, call.arguments_raw, call.result or ""]
    if turn.index == 0:
        parts += [info.task, info.system_prompt]
    return "\n".join(parts)


def matches(turn: Turn, info: RunInfo, query: str) -> bool:
    return query.casefold() in turn_text(turn, info).casefold()


def next_filter(mode: FilterMode) -> FilterMode:
    return FILTERS[(FILTERS.index(mode) + 1) % len(FILTERS)]


class Search:
    """The query of ``/`` and the turns that match it, in order (a plain class, as ``Autoplay``)."""

    def __init__(self) -> None:
        self.query = ""
        self.hits: list[int] = []

    def find(self, query: str, turns: Iterable[int], turn_at: Callable[[int], Turn], info: RunInfo) -> None:
        self.query = query
        self.hits = [index for index in turns if matches(turn_at(index), info, query)] if query else []

    def add(self, turns: Iterable[int], turn_at: Callable[[int], Turn], info: RunInfo) -> list[int]:
        """New turns of a growing run: the ones that match join the hits (returned)."""
        found = [index for index in turns if self.query and matches(turn_at(index), info, self.query)]
        self.hits += found
        return found

    def position(self, turn: int) -> int:
        """1-based place of ``turn`` among the hits, 0 when it is not one."""
        return self.hits.index(turn) + 1 if turn in self.hits else 0

    def next_hit(self, current: int, step: int) -> int | None:
        """The hit after (``step`` > 0) or before ``current``, wrapping round; None without hits."""
        if not self.hits:
            return None
        if step > 0:
            return self.hits[bisect.bisect_right(self.hits, current) % len(self.hits)]
        return self.hits[(bisect.bisect_left(self.hits, current) - 1) % len(self.hits)]


def keep(turn: Turn, mode: FilterMode) -> bool:
    if mode == "failed":
        return bool(turn.failed_calls or turn.error)
    if mode == "patches":
        return turn.has_patch
    return True


def mark_matches(body: RenderableType, query: str, style: str) -> RenderableType:
    """``body`` with every case-blind occurrence of ``query`` styled, in its ``Text`` parts (a Markdown
    body is left as it is). Styles are applied to spans of the text: nothing is parsed as markup."""
    if not query:
        return body
    if isinstance(body, Group):
        return Group(*(mark_matches(part, query, style) for part in body.renderables))
    if isinstance(body, Text):
        pattern = re.compile(re.escape(query), re.IGNORECASE)
        body = body.copy()
        for match in pattern.finditer(body.plain):
            body.stylize(style, match.start(), match.end())
    return body
