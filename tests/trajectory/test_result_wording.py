"""Whether a call failed, read from the tool message's text: every wording nano-agent's releases wrote.

The strings are those of nano-agent's ``tools.py`` / ``agent.py`` per release (0.1.1 → 5.0.0), with the
exception texts Python puts in the bracket era's ``[command failed: {e}]``.
"""

from __future__ import annotations

import pytest

from nano_tui.trajectory.results import read_result

BASH = "Command '['bash', '-rc', 'python -m pytest']'"
WORDINGS = [
    # 0.1.1 – 0.3.4: any exception of subprocess.check_output, output lost
    ("0.3", f"[command failed: {BASH} returned non-zero exit status 1.]", "failed"),
    ("0.3", f"[command failed: {BASH} timed out after 4 seconds]", "failed"),
    ("0.3", "[command failed: [Errno 2] No such file or directory: 'bash']", "failed"),
    ("0.3", "[file app.py not found]", "failed"),
    ("0.3", "[search string not found]", "failed"),
    ("0.3", "[ambiguous search string: 2 occurrences]", "failed"),
    ("0.3", "[failed to apply patch: [Errno 13] Permission denied]", "failed"),
    ("0.3", "[file new.py already exists]", "failed"),
    ("0.3", "[failed to create new.py: boom]", "failed"),
    ("0.3", "[patch applied successfully]", "ok"),
    ("0.3", "[created new.py]", "ok"),
    ("0.3", "def add(a, b):\n    return a - b\n[output truncated]", "ok"),
    # 0.3.5 – 2.0.0
    ("1.0", "[invalid `shell` arguments]", "failed"),
    ("1.0", f"[shell failed: {BASH} timed out after 4 seconds]", "failed"),
    ("1.0", "[command failed: exit 1]\nF\n1 failed", "failed"),
    ("1.0", "[command failed: exit 2]\n[no output]", "failed"),
    ("1.0", "[no output]", "ok"),
    ("1.0", "[unknown tool: create_file]", "failed"),
    ("1.0", "[invalid `apply_patch` arguments]", "failed"),
    ("2.0", "[invalid `create` arguments]", "failed"),
    ("2.0", "[invalid repo format]", "failed"),
    ("2.0", "[deepwiki error: timeout]", "failed"),
    ("2.0", "[SYSTEM NOTE: Only 3 tool calls remaining. Please finish soon.]\n[command failed: exit 1]\nx",
     "failed"),
    ("2.0", "[SYSTEM WARNING: Context window is almost full. Finish your task now!]\nall good", "ok"),
    # 3.2 – 3.4: the same sentences as 4.0, inside tags
    ("3.4", "<nano:feedback>command succeeded</nano:feedback>", "ok"),
    ("3.4", "<nano:feedback>command failed with exit code 2. Error output:</nano:feedback>\nboom", "failed"),
    ("3.4", "<nano:feedback>command failed with exit code 1</nano:feedback>", "failed"),
    ("3.4", "<nano:warning>command timed out after 4s</nano:warning>", "failed"),
    ("3.4", "<nano:warning>shell execution failed</nano:warning>", "failed"),
    ("3.4", "<nano:warning>shell tool missing required 'cmd' parameter</nano:warning>", "failed"),
    ("3.4", "<nano:warning>invalid `apply_patch` arguments</nano:warning>", "failed"),
    ("3.4", "<nano:feedback>file must be inside the repository</nano:feedback>", "failed"),
    ("3.4", "<nano:feedback>file app.py not found</nano:feedback>", "failed"),
    ("3.4", "<nano:feedback>search ambiguous: 2 matches - add more context to make search unique"
            "</nano:feedback>", "failed"),
    ("3.4", "<nano:feedback>patch operation failed</nano:feedback>", "failed"),
    ("3.4", "<nano:warning>Malformed tool arguments JSON: Expecting value</nano:warning>", "failed"),
    ("3.4", "<nano:warning>unknown tool: create</nano:warning>", "failed"),
    ("3.4", "<nano:warning>3 tools left. Prioritize essential changes.</nano:warning>"
            "<nano:feedback>command failed with exit code 1</nano:feedback>", "failed"),
    ("3.4", "<nano:warning>Last tool call! Make it count.</nano:warning>x", "ok"),
    # 4.0 – 5.0: plain sentences
    ("4.0", "command failed with exit code 1. Error output:\nF", "failed"),
    ("4.0", "command timed out after 4s", "failed"),
    ("4.0", "shell execution failed", "failed"),
    ("4.0", "patch operation failed", "failed"),
    ("4.0", "file must be inside the repository", "failed"),
    ("5.0", "command failed with exit code 124. Error output:\nCommand timed out after 120s", "failed"),
    ("5.0", "shell execution failed: [Errno 7] Argument list too long", "failed"),
    ("5.0", "Path must be inside the repository", "failed"),
    ("5.0", "patch operation failed: 'utf-8' codec can't decode", "failed"),
    ("5.0", "search string not found - try using grep to find the exact text", "failed"),
    ("5.0", "Malformed tool arguments JSON: Unterminated string", "failed"),
    ("5.0", "unknown tool: python", "failed"),
    ("5.0", "2 tools left. Prioritize essential changes.\ncommand failed with exit code 1", "failed"),
    ("5.0", "command succeeded", "ok"),
    ("5.0", "patch applied successfully", "ok"),
    ("5.0", "1 passed in 0.01s", "ok"),
    # nano-tui's own reply to a call the user skipped in step mode
    ("nano-tui", "The user skipped this tool call; it was not run.", "skipped"),
]


@pytest.mark.parametrize(("era", "text", "status"), WORDINGS, ids=[f"{e}:{t[:40]}" for e, t, _ in WORDINGS])
def test_status_of_every_era_wording(era: str, text: str, status: str) -> None:
    assert read_result(text).status == status


def test_bracket_era_failure_counts_in_the_trajectory(tmp_path) -> None:
    """0.3.x failures are failed calls: marked, filtered and counted."""
    from nano_tui.trajectory import discover, load
    from tests.ui.runlogs import assistant, tool, write_run

    folder = write_run(tmp_path / "2025-01-01T10:00:00", [
        {"content": "task", "role": "user"},
        assistant(None, [("c1", "shell", {"cmd": "python -m pytest"})]),
        tool("c1", f"[command failed: {BASH} returned non-zero exit status 1.]"),
        assistant(None, [("c2", "shell", {"cmd": "sleep 9"})]),
        tool("c2", "[command failed: Command '['bash', '-rc', 'sleep 9']' timed out after 4 seconds]"),
        assistant("done"),
    ])
    trajectory = load(folder)
    assert [trajectory.turn(i).failed_calls for i in (1, 2)] == [1, 1]
    (summary,) = discover([tmp_path])
    assert summary.failed_calls == 2
