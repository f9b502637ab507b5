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


def _apply(look: Look, parameters: str) -> Look:
    codes = [int(code) if code.isdigit() else 0 for code in re.split("[;:]", parameters or "0")]
    position = 0
    while position < len(codes):
        code = codes[position]
        position += 1
        if code == 0:
            look = PLAIN
        elif code in (1, 2, 3, 4):
            look = replace(look, **{{1: "bold", 2: "dim", 3: "italic", 4: "underline"}[code]: True})
        elif code == 22:
            look = replace(look, bold=False, dim=False)
        elif code in (23, 24):
            look = replace(look, **{"italic" if code == 23 else "underline": False})
        elif 30 <= code <= 37 or 90 <= code <= 97:
            look = replace(look, color=PALETTE[code - 30 if code < 90 else code - 82])
        elif 40 <= code <= 47 or 100 <= code <= 107:
            look = replace(look, background=PALETTE[code - 40 if code < 100 else code - 92])
        elif code in (39, 49):
            look = replace(look, **{"color" if code == 39 else "background": None})
        elif code in (38, 48) and position < len(codes):
            colour = None
            if codes[position] == 5 and position + 1 < len(codes):
                colour, position = _cube(min(255, codes[position + 1])), position + 2
            elif codes[position] == 2 and position + 3 < len(codes):
                red, green, blue = (min(255, value) for value in codes[position + 1:position + 4])
                colour, position = f"#{red:02x}{green:02x}{blue:02x}", position + 4
            else:
                position = len(codes)  # a form not understood: the rest of the sequence is dropped
            look = replace(look, **{"color" if code == 38 else "background": colour})
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
