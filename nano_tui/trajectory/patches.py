"""A per-call diff rebuilt from an ``apply_patch`` call's search/replace.

nano never recorded the diff of one patch, only the run's final ``git diff``. The search/replace pair
says what changed but not where in the file, so the hunk's line numbers count from the search text:
the change is exact, its position approximate.
"""

from __future__ import annotations

import difflib
from typing import Any


def rebuild_patch_diff(arguments: dict[str, Any]) -> str:
    """A unified diff of ``search`` → ``replace`` in ``file``; empty when the arguments are not text."""
    search, replace, file = arguments.get("search"), arguments.get("replace"), arguments.get("file")
    if not (isinstance(search, str) and isinstance(replace, str) and isinstance(file, str)):
        return ""
    lines = difflib.unified_diff(
        _lines(search), _lines(replace), fromfile=f"a/{file}", tofile=f"b/{file}", lineterm="\n"
    )
    return "".join(lines)


def _lines(text: str) -> list[str]:
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    return lines
