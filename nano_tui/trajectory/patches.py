"""A per-call diff rebuilt from an ``apply_patch`` call's search/replace.

nano never recorded the diff of one patch, only the run's final ``git diff``. The search/replace pair
says what changed but not where in the file, so the hunk's line numbers count from the start of the
search text: the change is exact, its position approximate. Lines the two texts share at the start
and the end become context, the rest is one change — linear time, so loading stays fast.
"""

from __future__ import annotations

from typing import Any


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
    body = [" " + line for line in old[:prefix]]
    body += ["-" + line for line in old[prefix:len(old) - suffix]]
    body += ["+" + line for line in new[prefix:len(new) - suffix]]
    body += [" " + line for line in old[len(old) - suffix:]]
    header = f"--- a/{file}\n+++ b/{file}\n@@ -{_range(len(old))} +{_range(len(new))} @@\n"
    return header + "".join(body)


def _range(count: int) -> str:
    return f"{1 if count else 0},{count}"


def _lines(text: str) -> list[str]:
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    return lines
