"""Colour themes: JSON files in ``themes/`` registered as Textual themes at start-up.

A theme file holds the fields of ``textual.theme.Theme`` plus ``syntax``, the Pygments style for
highlighted code, so code follows the theme's light or dark background.
"""

from __future__ import annotations

import json
import site
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Generic, NamedTuple, TypeVar

from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.strip import Strip
from textual.theme import BUILTIN_THEMES, Theme

from nano_tui.errors import UserError

if TYPE_CHECKING:
    from rich.color import Color as RichColor
    from textual.widget import Widget

DEFAULT_THEME = "nano-dark"


def themes_dir() -> Path:
    """Where the theme files are: the checkout's ``themes/`` (development and editable installs), else
    the copy a regular install puts in ``share/nano-tui/themes`` (pyproject's data-files) under the
    environment's prefix or the user's base."""
    places = [Path(__file__).resolve().parents[2] / "themes",
              *(Path(base) / "share" / "nano-tui" / "themes" for base in (sys.prefix, site.getuserbase()))]
    return next((place for place in places if (place / f"{DEFAULT_THEME}.json").is_file()), places[0])


_SYNTAX_STYLES: dict[str, str] = {}


def load_themes(folder: Path | None = None) -> list[Theme]:
    """Every ``*.json`` theme in ``folder`` (default: :func:`themes_dir`); a broken file is a user error
    naming it."""
    folder = themes_dir() if folder is None else folder
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


class CodeStyle(NamedTuple):
    """How code is coloured under a theme: a Pygments style on the theme's own background, and the
    backgrounds of a patch's added and removed lines."""

    pygments: str
    background: str | None
    dark: bool
    added: str
    removed: str


def syntax_style(theme: Theme, colours: dict[str, str] | None = None) -> CodeStyle:
    """The theme's own Pygments style, else one that fits its light or dark background; added and
    removed lines on the theme's success and error colours, faded into its background. ``colours``:
    the theme's variables where the app has generated them already (``App.theme_variables``)."""
    pygments = _SYNTAX_STYLES.get(theme.name, "monokai" if theme.dark else "friendly")
    colours = colours or theme.to_color_system().generate()
    background = Color.parse(colours["background"])
    if background.a == 0:  # an ANSI theme's "default" background: assume the terminal's own
        background = Color(0, 0, 0) if theme.dark else Color(255, 255, 255)

    def faded(name: str) -> str:
        return background.blend(Color.parse(colours[name]), 0.25).hex.lower()

    return CodeStyle(pygments, theme.background, theme.dark, faded("success"), faded("error"))


def theme_colour(spec: str, variables: dict[str, str], background: Color) -> Color:
    """A colour given in the theme's variables (``$variable``, ``$variable NN%``) drawn over ``background``
    as a ``color:`` or ``background:`` rule would be: the last percentage is the alpha, ``auto`` the
    text colour that contrasts. For widgets that work out many colours once per theme rather than as
    component classes, which Textual styles again on every focus or class change."""
    words = " ".join(variables[word[1:]] if word.startswith("$") else word for word in spec.split()).split()
    alpha, colour = 1.0, None
    for word in words:
        if word.endswith("%"):
            alpha = float(word[:-1]) / 100
        elif word != "auto":
            colour = Color.parse(word)
    drawn = background.get_contrast_text(alpha) if colour is None else colour.multiply_alpha(alpha)
    return background + drawn


def colours_on(widget: Widget) -> Callable[[str], RichColor]:
    """:func:`theme_colour` for ``widget``: over its background, in the app's theme, as a Rich colour."""
    variables, background = widget.app.theme_variables, widget.background_colors[1]
    return lambda spec: theme_colour(spec, variables, background).rich_color


C = TypeVar("C")


class ThemeColours(Generic[C]):
    """A widget's colours worked out from the theme's variables (:func:`colours_on`) once per style
    update, a theme change being one, rather than as component classes, which Textual styles again on
    every mount, focus or class change. Mixed in before the widget class; ``colours()`` is what
    ``work_out_colours()`` made."""

    _colours: C | None = None

    def work_out_colours(self) -> C:
        raise NotImplementedError

    def colours(self) -> C:
        if self._colours is None:
            self._colours = self.work_out_colours()
        return self._colours

    def notify_style_update(self) -> None:
        super().notify_style_update()  # type: ignore[misc]
        self._colours = None


def _luminance(colour: Color) -> float:
    """WCAG relative luminance."""
    channels = [value / 255 for value in (colour.r, colour.g, colour.b)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def readable_on(background: Color) -> Color:
    """Black or white, whichever contrasts more with ``background`` (WCAG)."""
    luminance = _luminance(background)
    return Color(0, 0, 0) if (luminance + 0.05) / 0.05 > 1.05 / (luminance + 0.05) else Color(255, 255, 255)


def on_cursor(strip: Strip, cursor: Style) -> Strip:
    """``strip`` as a cursor row: the cursor's background and one bold colour that reads on it,
    whatever the theme (a cell's own colour can vanish on it: magenta on cyan, red on blue)."""
    background = Color.from_rich_color(cursor.bgcolor) if cursor.bgcolor else Color(0, 0, 0)
    highlight = Style(bgcolor=cursor.bgcolor, color=readable_on(background).rich_color, bold=True)
    segments = [Segment(text, (style or Style()) + highlight) for text, style, _ in strip]
    return Strip(segments, strip.cell_length)
