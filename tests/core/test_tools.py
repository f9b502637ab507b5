"""The two tools on real files and real bash: reply strings, path safety, encodings, secrets, timeouts."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from nano_tui.core.environment import scrubbed_environment
from nano_tui.core.shell.backends import BackendSpec
from nano_tui.core.shell.local import LocalBackend
from nano_tui.core.tools import ToolOutcome, ToolStats, apply_patch
from nano_tui.core.tools import shell as run_shell
from nano_tui.core.workspace import Workspace


@pytest.fixture
def workspace(git_repo: Path) -> Workspace:
    return Workspace(git_repo)


def shell(args: dict, workspace: Workspace, stats: ToolStats, timeout: float) -> ToolOutcome:
    """The shell tool with nano-agent's own backend (``bash -rc`` in the repository)."""
    backend = LocalBackend(BackendSpec("local"), workspace.root, scrubbed_environment())
    return run_shell(args, backend, stats, timeout)


def patch(workspace: Workspace, file: str, search: str, replace: str) -> str:
    return apply_patch({"file": file, "search": search, "replace": replace}, workspace, ToolStats()).output


def test_patch_reply_strings(workspace: Workspace) -> None:
    stats = ToolStats()
    assert apply_patch({"file": "app.py"}, workspace, stats).output == "invalid `apply_patch` arguments"
    assert patch(workspace, "nope.py", "a", "b") == "file nope.py not found"
    assert (
        patch(workspace, "app.py", "zzz", "b")
        == "search string not found - try using grep to find the exact text"
    )
    assert (
        patch(workspace, "app.py", "b", "c")
        == "search ambiguous: 2 matches - add more context to make search unique"
    )
    outcome = apply_patch({"file": "app.py", "search": "a - b", "replace": "a + b"}, workspace, stats)
    assert (outcome.output, outcome.state, outcome.file) == ("patch applied successfully", "ok", "app.py")
    assert outcome.diff == (
        "--- a/app.py\n+++ b/app.py\n@@ -1,2 +1,2 @@\n def add(a, b):\n-    return a - b\n+    return a + b\n"
    )
    assert (workspace.root / "app.py").read_text() == "def add(a, b):\n    return a + b\n"
    assert (
        stats.report()["tool_calls_apply_patch"] == 2
        and stats.report()["tool_success_rate_apply_patch"] == 0.5
    )


@pytest.mark.parametrize("kind", ["traversal", "absolute", "symlink-file", "symlink-dir"])
def test_patch_refuses_paths_outside_the_repo(kind: str, workspace: Workspace, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "secret.txt"
    secret.write_text("token = 1\n")
    if kind == "traversal":
        file = "../outside/secret.txt"
    elif kind == "absolute":
        file = str(secret)
    elif kind == "symlink-file":
        (workspace.root / "link.txt").symlink_to(secret)
        file = "link.txt"
    else:
        (workspace.root / "linked").symlink_to(outside, target_is_directory=True)
        file = "linked/secret.txt"
    assert patch(workspace, file, "token = 1", "token = 2") == "Path must be inside the repository"
    assert secret.read_text() == "token = 1\n"


def test_patch_through_a_symlink_that_stays_inside_is_allowed(workspace: Workspace) -> None:
    (workspace.root / "alias.py").symlink_to(workspace.root / "app.py")
    assert patch(workspace, "alias.py", "a - b", "a + b") == "patch applied successfully"
    assert "a + b" in (workspace.root / "app.py").read_text()


def test_patch_keeps_crlf_line_endings(workspace: Workspace) -> None:
    path = workspace.root / "win.txt"
    path.write_bytes(b"first\r\nsecond\r\nthird\r\n")
    assert patch(workspace, "win.txt", "first\nsecond\n", "one\ntwo\n") == "patch applied successfully"
    assert path.read_bytes() == b"one\r\ntwo\r\nthird\r\n"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("café = 1\n".encode("latin-1"), "café = 2\n".encode("latin-1")),
        (b"\xef\xbb\xbfname = 1\n", b"\xef\xbb\xbfname = 2\n"),
        ("naïve = 1\n".encode(), "naïve = 2\n".encode()),
    ],
    ids=["latin-1", "utf-8-bom", "utf-8"],
)
def test_patch_keeps_the_file_encoding(raw: bytes, expected: bytes, workspace: Workspace) -> None:
    path = workspace.root / "data.txt"
    path.write_bytes(raw)
    assert patch(workspace, "data.txt", "= 1", "= 2") == "patch applied successfully"
    assert path.read_bytes() == expected


def test_shell_reply_strings(workspace: Workspace) -> None:
    stats = ToolStats()
    run = lambda cmd: shell({"cmd": cmd}, workspace, stats, timeout=10)  # noqa: E731
    assert shell({}, workspace, stats, timeout=10).output == "shell tool missing required 'cmd' parameter"
    assert run("true").output == "command succeeded"
    assert run("false").output == "command failed with exit code 1"
    failed = run("echo out; echo err >&2; exit 4")
    assert (failed.output, failed.state) == (
        "command failed with exit code 4. Error output:\nout\nerr",
        "failed",
    )
    ok = run("  printf '  padded  \\n\\n'")
    assert (ok.output, ok.state) == ("padded", "ok")
    assert run("cd /").output.startswith(
        "command failed with exit code 1. Error output:\n"
    )  # restricted bash
    assert run("cat app.py | head -n 1").output == "def add(a, b):"
    report = stats.report()
    assert report["tool_calls_shell"] == 6 and report["shell_cmd_cat"] == 1 and report["shell_cmd_head"] == 1


def test_shell_cannot_see_secrets(workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    secrets = {
        "OPENAI_API_KEY": "sk-live-123",
        "MY_SECRET_TOKEN": "tok-456",
        "ANTHROPIC_API_KEY": "ak-789",
        "DB_PASSWORD": "hunter2",
        "OPENROUTER_BASE": "https://private.example",
        "GITHUB_PAT": "ghp-000",
    }
    for name, value in secrets.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("HARMLESS_SETTING", "visible")
    output = shell({"cmd": "env"}, workspace, ToolStats(), timeout=10).output
    for name, value in secrets.items():
        assert name not in output and value not in output
    assert "HARMLESS_SETTING=visible" in output and "PATH=" in output


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "State:\tZ" not in state


def _wait_for(condition: Callable[[], bool], timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def test_shell_timeout_kills_the_whole_process_group(workspace: Workspace) -> None:
    started = time.monotonic()
    outcome = shell({"cmd": "sleep 37.5 & echo $!; wait"}, workspace, ToolStats(), timeout=0.5)
    assert time.monotonic() - started < 5
    assert outcome.output == "command failed with exit code 124. Error output:\nCommand timed out after 0.5s"
    assert not _wait_for(lambda: any(_is_sleep(pid, "37.5") for pid in _pids()), timeout=0.5)


def _pids() -> list[int]:
    return [int(p) for p in os.listdir("/proc") if p.isdigit()]


def _is_sleep(pid: int, marker: str) -> bool:
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    return cmdline == f"sleep\0{marker}\0".encode() and _alive(pid)


def test_patch_never_touches_git_or_writes_through_a_hard_link(workspace: Workspace, tmp_path: Path) -> None:
    assert patch(workspace, ".git/config", "[core]", "[core]\n\tfsmonitor = touch pwned") == (
        "Path must be inside the repository, not in .git")
    outside = tmp_path / "outside.txt"
    outside.write_text("keep me\n")
    os.link(outside, workspace.root / "linked.txt")
    assert patch(workspace, "linked.txt", "keep me", "changed") == "patch applied successfully"
    assert outside.read_text() == "keep me\n", "the patch wrote through the hard link"
    assert (workspace.root / "linked.txt").read_text() == "changed\n"
