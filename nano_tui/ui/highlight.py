"""Pygments highlighting (via Rich ``Syntax``) for commands, patches, diffs and JSON."""

from __future__ import annotations

import difflib

from rich.syntax import Syntax
from rich.text import Text

from nano_tui.ui.inert import visible
from nano_tui.ui.themes import CodeStyle


def code(text: str, lexer: str, style: CodeStyle) -> Text:
    """Highlighted once into a plain ``Text`` (a ``Syntax`` would lex again at every layout pass),
    with control characters made visible."""
    syntax = Syntax("", lexer, theme=style.pygments, background_color=style.background)
    highlighted = syntax.highlight(visible(text.rstrip("\n")))
    highlighted.rstrip()
    return highlighted


def patch_diff(search: str, replace: str, file: str) -> str:
    """An ``apply_patch`` call's search → replace as a unified diff, all lines as context."""
    before = search.splitlines(keepends=True)
    after = replace.splitlines(keepends=True)
    lines = difflib.unified_diff(before, after, f"a/{file}", f"b/{file}",
                                 n=max(len(before), len(after)))
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)
