"""The one place a unified diff is made of two texts: a patch's real diff (the file before and after,
see ``core/tools.apply_patch``) and the diff rebuilt from an ``apply_patch`` call's search/replace.

nano never recorded the diff of one patch, only the run's final ``git diff``. The search/replace pair
says what changed but not where in the file, so a rebuilt hunk's line numbers count from the start of
the search text: the change is exact, its position unknown (:func:`without_positions` says so on
screen).
"""

from __future__ import annotations

import difflib
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nano_tui.trajectory.model import Patch

#: What a rebuilt hunk's header says on screen: the change is known, its line numbers are not.
UNPLACED_HUNK = "@@ line numbers unknown @@"
#: Compiled on first use, through ``re``'s cache: only a rebuilt diff on screen needs it.
_HUNK_HEADER = r"(?m)^@@ -\d+(?:,\d+)? \+\d+(?:,\d+)? @@"


def unified_diff(file: str, before: str, after: str, context: int = 3) -> str:
    """``before`` → ``after`` as a unified diff of ``file`` in git's ``a/``/``b/`` form (empty when
    nothing changes); a last line without a newline is marked as git marks it."""
    lines = []
    for line in difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                     f"a/{file}", f"b/{file}", n=context):
        lines.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(lines)


def rebuild_patch_diff(patch: Patch) -> str:
    """The diff of a search → replace, every line of the two texts shown (as context where they agree).
    The texts are pieces of a file, so their last lines count as whole lines."""
    search, replace = (text if text.endswith("\n") else text + "\n" for text in (patch.search, patch.replace))
    return unified_diff(patch.file, search, replace, max(search.count("\n"), replace.count("\n")))


def without_positions(diff: str) -> str:
    """``diff`` with each hunk header saying that its line numbers are unknown, for showing a rebuilt
    diff without pretending the change sits at line 1."""
    return re.sub(_HUNK_HEADER, UNPLACED_HUNK, diff)
