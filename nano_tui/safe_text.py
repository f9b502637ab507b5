"""What is safe to print: the one decision every writer of model, provider or log text goes through.

Text from a model, a provider or a log is data. Written raw to a terminal it can retitle it, write
the clipboard (OSC 52), clear the screen, end a bracketed paste (so pasted text runs as a command),
reorder what the reader sees (bidi controls) or hide words (zero-width and tag characters).
:func:`printable` turns every such character into a visible, inert spelling; the screen, the
headless transcript, the CLI's tables and errors, the Markdown and HTML exports and the clipboard all
use it. JSON keeps every character but spells the same ones as ``\\u`` escapes (:func:`json_text`).
"""

from __future__ import annotations

import re
import sys
from typing import TextIO

#: Invisible or reordering characters shown as ``\\uXXXX``: zero-width and direction marks, line
#: and paragraph separators, bidi embeddings, overrides and isolates, word joiners, the byte-order
#: mark, Hangul fillers, interlinear annotation marks, variation selectors 1–14 and the tag and
#: supplementary variation-selector blocks (both can carry hidden text).
_INVISIBLE = (
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u2028-\u202e\u2060-\u206f"
    "\u3164\ufe00-\ufe0d\ufeff\uffa0\ufff9-\ufffb\U000e0000-\U000e007f\U000e0100-\U000e01ef"
)
#: C0 controls but newline and tab, DEL, C1 controls, the invisible characters, lone surrogates.
_UNSAFE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_INVISIBLE}\ud800-\udfff]")
#: What JSON (``ensure_ascii=False``) leaves raw that must not reach a terminal raw either. Compiled
#: on first use, through ``re``'s cache: it takes 0.5 ms, and only exports need it.
_JSON_UNSAFE = f"[\x7f-\x9f{_INVISIBLE}\ud800-\udfff]"
#: Characters terminals disagree on the width of: emoji presentation selectors and skin-tone
#: modifiers (Rich counts ❤️ as two cells, tmux and VTE as one; 👍🏽 as two, tmux as four).
_WIDTH_AMBIGUOUS = re.compile("[\ufe0e\ufe0f\U0001f3fb-\U0001f3ff]")


def _spelling(character: str) -> str:
    code = ord(character)
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "␡"
    if code < 0xA0:
        return f"\\x{code:02x}"
    if code > 0xFFFF:
        return f"\\U{code:08x}"
    return f"\\u{code:04x}"


_SPELLINGS: dict[str, str] = {}


def _spell(match: re.Match[str]) -> str:
    character = match.group()
    spelling = _SPELLINGS.get(character)
    if spelling is None:
        spelling = _SPELLINGS[character] = _spelling(character)
    return spelling


def printable(text: str) -> str:
    """``text`` with nothing a terminal would act on or hide: CRLF becomes a newline, every other
    control character a control picture (ESC ``␛``, CR ``␍``), C1 controls ``\\x9b``, invisible and
    reordering characters and lone surrogates ``\\u200b``. Newlines and tabs stay."""
    if "\r\n" in text:
        text = text.replace("\r\n", "\n")
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(_spell, text)


def cell_stable(text: str) -> str:
    """:func:`printable` text without the characters terminals measure differently, so a line laid
    out in cells keeps its right border in every terminal. For the screen only: copies and exports
    keep them."""
    return _WIDTH_AMBIGUOUS.sub("", text) if _WIDTH_AMBIGUOUS.search(text) else text


def _json_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code > 0xFFFF:
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def json_text(dumped: str) -> str:
    """JSON text from ``json.dumps(..., ensure_ascii=False)`` with the characters :func:`printable`
    would spell out written as ``\\u`` escapes: the same value, valid UTF-8, inert in a terminal (JSON
    escapes C0 controls itself, and these characters can only occur inside its strings)."""
    return re.sub(_JSON_UNSAFE, _json_escape, dumped) if re.search(_JSON_UNSAFE, dumped) else dumped


def say(message: str, file: TextIO | None = None) -> None:
    """One line from nano-tui on stderr (or ``file``), ``nano-tui: `` first, made printable: the
    messages quote paths, model names and provider replies."""
    print(f"nano-tui: {printable(message)}", file=file or sys.stderr, flush=True)
