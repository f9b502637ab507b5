"""Pygments highlighting (via Rich ``Syntax``) for commands, patches, diffs and JSON."""

from __future__ import annotations

from rich.text import Text

from nano_tui.ui.inert import visible
from nano_tui.ui.themes import CodeStyle


def code(text: str, lexer: str, style: CodeStyle) -> Text:
    """Highlighted once into a plain ``Text`` (a ``Syntax`` would lex again at every layout pass),
    with control characters made visible."""
    from rich.syntax import Syntax  # Pygments on first use: not a replay's start-up cost

    syntax = Syntax("", lexer, theme=style.pygments, background_color=style.background)
    highlighted = syntax.highlight(visible(text.rstrip("\n")))
    highlighted.rstrip()
    # wrapped, not cut at the panel's edge: the end of a long command matters (a projector's 80 columns)
    highlighted.no_wrap, highlighted.overflow = False, "fold"
    return highlighted


def patch_code(diff: str, file: str, style: CodeStyle) -> Text:
    """A patch's unified diff with its code highlighted in ``file``'s language (found from the name)
    and added / removed lines on green / red backgrounds. Falls back to diff highlighting when the
    language is unknown."""
    from rich.syntax import Syntax

    lexer = Syntax.guess_lexer(file)
    if lexer in ("default", "text"):
        return code(diff, "diff", style)
    lines = visible(diff.rstrip("\n")).split("\n")
    body = [number for number, line in enumerate(lines)
            if line[:1] in ("+", "-", " ") and not line.startswith(("+++ ", "--- "))]
    syntax = Syntax("", lexer, theme=style.pygments, background_color=style.background)
    source = "\n".join(lines[number][1:] for number in body)
    highlighted = syntax.highlight(source).split("\n", allow_blank=True)
    if len(highlighted) < len(body):
        return code(diff, "diff", style)
    coloured = dict(zip(body, highlighted, strict=False))
    added, removed = style.added, style.removed
    result = Text()
    for number, line in enumerate(lines):
        if number:
            result.append("\n")
        if number not in coloured:
            result.append(line, style="bold" if line.startswith(("+++ ", "--- ")) else "dim")
            continue
        sign = line[0]
        row = Text.assemble((sign, {"+": "bold green", "-": "bold red"}.get(sign, "")), coloured[number])
        if sign != " ":
            row.stylize(f"on {added if sign == '+' else removed}")
        result.append_text(row)
    return result
