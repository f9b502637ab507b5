"""Colours a command printed, as styles: the SGR sequences (``ESC [ … m``) of a tool output read into
runs of text with a look, for exports that can show colour. Every other escape sequence stays in the
text, to be made visible like any control character (an output may carry a terminal title or a
clipboard write: a reader should see it, not have it vanish)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

SGR = re.compile(r"\x1b\[([0-9;:]*)m")

#: The 16 colours as xterm draws them.
PALETTE = ("#000000", "#cd0000", "#00cd00", "#cdcd00", "#0000ee", "#cd00cd", "#00cdcd", "#e5e5e5",
           "#7f7f7f", "#ff0000", "#00ff00", "#ffff00", "#5c5cff", "#ff00ff", "#00ffff", "#ffffff")


@dataclass(frozen=True)
class Look:
    color: str | None = None
    background: str | None = None
    bold: bool = False
    dim: bool = False
    italic: bool = False
    underline: bool = False

    def css(self) -> str:
        """The look as an inline style (empty for plain text)."""
        rules = [f"color:{self.color}" if self.color else "",
                 f"background:{self.background}" if self.background else "",
                 "font-weight:bold" if self.bold else "", "opacity:.7" if self.dim else "",
                 "font-style:italic" if self.italic else "",
                 "text-decoration:underline" if self.underline else ""]
        return ";".join(rule for rule in rules if rule)


PLAIN = Look()


def _cube(number: int) -> str:
    """One of the 256 colours."""
    if number < 16:
        return PALETTE[number]
    if number >= 232:
        level = 8 + 10 * (number - 232)
        return f"#{level:02x}{level:02x}{level:02x}"
    number -= 16
    levels = [0 if n == 0 else 55 + 40 * n for n in (number // 36, number // 6 % 6, number % 6)]
    return "#" + "".join(f"{level:02x}" for level in levels)


def _extended(codes: list[int | None]) -> str | None:
    """The colour of ``38``/``48`` parameters (without that first code): ``5;n`` or ``2;r;g;b``."""
    if codes and codes[0] == 5 and len(codes) > 1 and codes[1] is not None:
        return _cube(min(255, codes[1]))
    if codes and codes[0] == 2 and len(codes) >= 4:
        red, green, blue = (min(255, value or 0) for value in codes[-3:])
        return f"#{red:02x}{green:02x}{blue:02x}"
    return None


def _number(text: str) -> int | None:
    return int(text) if text.isdigit() else None


def _apply(look: Look, parameters: str) -> Look:
    """``look`` after one SGR sequence. ``;`` separates codes; ``:`` joins the parts of one
    (``38:2::R:G:B``, whose colour-space part may be empty)."""
    groups = (parameters or "0").split(";")
    position = 0
    while position < len(groups):
        group = groups[position]
        position += 1
        if ":" in group:
            parts = [_number(part) for part in group.split(":")]
            if parts[0] in (38, 48):
                look = replace(look, **{"color" if parts[0] == 38 else "background": _extended(parts[1:])})
            continue
        code = _number(group) or 0
        if code in (38, 48):  # the colour's parts follow as codes of their own
            size = 2 if position < len(groups) and groups[position] == "5" else 4
            colour = _extended([_number(part) for part in groups[position:position + size]])
            position += size
            look = replace(look, **{"color" if code == 38 else "background": colour})
        else:
            look = _simple(look, code)
    return look


def _simple(look: Look, code: int) -> Look:
    if code == 0:
        return PLAIN
    if code in (1, 2, 3, 4):
        return replace(look, **{{1: "bold", 2: "dim", 3: "italic", 4: "underline"}[code]: True})
    if code == 22:
        return replace(look, bold=False, dim=False)
    if code in (23, 24):
        return replace(look, **{"italic" if code == 23 else "underline": False})
    if 30 <= code <= 37 or 90 <= code <= 97:
        return replace(look, color=PALETTE[code - 30 if code < 90 else code - 82])
    if 40 <= code <= 47 or 100 <= code <= 107:
        return replace(look, background=PALETTE[code - 40 if code < 100 else code - 92])
    if code in (39, 49):
        return replace(look, **{"color" if code == 39 else "background": None})
    return look


def styled_runs(text: str) -> Iterator[tuple[str, Look]]:
    """``text`` without its SGR sequences, in runs that share a look."""
    look, start = PLAIN, 0
    for match in SGR.finditer(text):
        if match.start() > start:
            yield text[start:match.start()], look
        look, start = _apply(look, match.group(1)), match.end()
    if start < len(text):
        yield text[start:], look
