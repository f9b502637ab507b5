"""``nano-tui themes``: every theme ``--theme`` accepts, each with a line drawn in its colours."""

from __future__ import annotations

import argparse

from rich.console import Console
from rich.style import Style
from rich.text import Text
from textual.color import Color
from textual.theme import BUILTIN_THEMES, Theme

from nano_tui.ui.themes import DEFAULT_THEME, load_themes

#: The preview: what each of a theme's colours marks in nano-tui.
SAMPLE = (("primary", "tool call"), ("secondary", "answer"), ("accent", "diff"), ("success", "✓ ok"),
          ("warning", "⚠ budget"), ("error", "✗ failed"))


def preview(theme: Theme) -> Text:
    """One line in ``theme``'s colours on its background."""
    colours = theme.to_color_system().generate()

    def style(name: str, bold: bool = False) -> Style:
        return Style(color=Color.parse(colours[name]).rich_color,
                     bgcolor=Color.parse(colours["background"]).rich_color, bold=bold)

    line = Text(" ", style=style("foreground"))
    for position, (name, label) in enumerate(SAMPLE):
        if position:
            line.append(" · ", style=style("foreground"))
        line.append(label, style=style(name, bold=True))
    line.append(" ", style=style("foreground"))
    return line


def main(args: argparse.Namespace) -> int:
    files = {theme.name: theme for theme in load_themes()}
    themes = {**files, **{name: theme for name, theme in BUILTIN_THEMES.items() if name not in files}}
    console = Console(highlight=False)
    width = max(map(len, themes)) + 2
    for name, theme in themes.items():
        kind = "default" if name == DEFAULT_THEME else "nano-tui" if name in files else "textual"
        row = Text(f"{name:<{width}}{'dark ' if theme.dark else 'light'}  {kind:<9}")
        row.append_text(preview(theme))
        console.print(row, soft_wrap=True)
    console.print("\nUse one with --theme NAME (replay, run, demo), or switch in the app: ctrl+p, Theme.",
                  soft_wrap=True)
    return 0
