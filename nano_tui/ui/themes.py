"""Colour themes: JSON files in ``themes/`` registered as Textual themes at start-up.

A theme file holds the fields of ``textual.theme.Theme`` plus ``syntax``, the Pygments style for
highlighted code, so code follows the theme's light or dark background.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from textual.theme import BUILTIN_THEMES, Theme

from nano_tui.errors import UserError

THEMES_DIR = Path(__file__).resolve().parents[2] / "themes"
DEFAULT_THEME = "nano-dark"
_SYNTAX_STYLES: dict[str, str] = {}


def load_themes(folder: Path = THEMES_DIR) -> list[Theme]:
    """Every ``*.json`` theme in ``folder``; a broken file is a user error naming it."""
    themes = []
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            fields = json.loads(path.read_text(encoding="utf-8"))
            syntax = fields.pop("syntax", None)
            theme = Theme(**fields)
        except (OSError, ValueError, TypeError) as error:
            raise UserError(f"theme file {path} is not valid: {error}") from None
        if syntax:
            _SYNTAX_STYLES[theme.name] = syntax
        themes.append(theme)
    return themes


def theme_names(themes: list[Theme]) -> list[str]:
    return sorted({theme.name for theme in themes} | set(BUILTIN_THEMES))


def check_theme(name: str, themes: list[Theme]) -> None:
    names = theme_names(themes)
    if name not in names:
        raise UserError(f"unknown theme {name!r}; choose one of: {', '.join(names)}")


@dataclass(frozen=True)
class CodeStyle:
    """How code is coloured under a theme: a Pygments style on the theme's own background."""

    pygments: str
    background: str | None


def syntax_style(theme: Theme) -> CodeStyle:
    """The theme's own Pygments style, else one that fits its light or dark background."""
    pygments = _SYNTAX_STYLES.get(theme.name, "monokai" if theme.dark else "friendly")
    return CodeStyle(pygments, theme.background)
