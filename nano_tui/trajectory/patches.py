"""A per-call diff rebuilt from an ``apply_patch`` call's search/replace.

nano never recorded the diff of one patch, only the run's final ``git diff``. The search/replace pair
says what changed but not where in the file, so the hunk's line numbers count from the start of the
search text: the change is exact, its position approximate. Lines the two texts share at the start
and the end become context, the rest is one change — linear time, so loading stays fast.
"""

from __future__ import annotations

import re
from typing import Any

#: What a rebuilt hunk's header says on screen: the change is known, its line numbers are not.
UNPLACED_HUNK = "@@ line numbers unknown @@"
_HUNK_HEADER = re.compile(r"^@@ -\d+(?:,\d+)? \+\d+(?:,\d+)? @@", re.MULTILINE)


def rebuild_patch_diff(arguments: dict[str, Any]) -> str:
    """A unified diff of ``search`` → ``replace`` in ``file``; empty when nothing changes."""
    search, replace, file = arguments.get("search"), arguments.get("replace"), arguments.get("file")
    if not (isinstance(search, str) and isinstance(replace, str) and isinstance(file, str)):
        return ""
    old, new = _lines(search), _lines(replace)
    if old == new:
        return ""
    prefix = 0
    while prefix < min(len(old), len(new)) and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(old), len(new)) - prefix and old[-1 - suffix] == new[-1 - suffix]:
        suffix += 1
    body = _marked(" ", old[:prefix]) + _marked("-", old[prefix:len(old) - suffix])
    body += _marked("+", new[prefix:len(new) - suffix]) + _marked(" ", old[len(old) - suffix:])
    header = f"--- a/{file}\n+++ b/{file}\n@@ -{_range(len(old))} +{_range(len(new))} @@\n"
    return header + body


def _marked(mark: str, lines: list[str]) -> str:
    """``lines`` (each ending in a newline) with ``mark`` before each one."""
    return mark + mark.join(lines) if lines else ""


def _range(count: int) -> str:
    return f"{1 if count else 0},{count}"


def _lines(text: str) -> list[str]:
    """Lines split on newlines only (a stray ``\r`` or form feed stays inside its line)."""
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    return [line + "\n" for line in lines]


def without_positions(diff: str) -> str:
    """``diff`` with each hunk header saying that its line numbers are unknown, for showing a rebuilt
    diff without pretending the change sits at line 1."""
    return _HUNK_HEADER.sub(UNPLACED_HUNK, diff)
