"""What `/` searches and `f` filters: plain functions over turns, shared by replay and live."""

from __future__ import annotations

import re
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
