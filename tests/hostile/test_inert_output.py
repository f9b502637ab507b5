"""The payload corpus is inert on every surface: the screen (what tmux received), the clipboard, the
headless transcript, the CLI's tables and errors, and every export."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from rich.cells import cell_len

from nano_tui.safe_text import json_text, printable
from tests.hostile.payloads import PAYLOADS, live_payloads, osc52_copies, write_payload_run
from tests.openai_server import Call, OpenAIServer, Reply
from tests.processes import NANO_TUI, Terminal, clean_env, needs_tmux

EVERY = " | ".join(text for _, text in PAYLOADS)


def nano_tui(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([NANO_TUI, *args], capture_output=True, timeout=timeout, env=clean_env())


@pytest.fixture
def payload_run(tmp_path: Path) -> Path:
    return write_payload_run(tmp_path / "runs \x1b]0;PWN-folder\x07" / "2025-01-01T00:00:00-0badf00d")


@pytest.mark.parametrize(("name", "text"), PAYLOADS, ids=[name for name, _ in PAYLOADS])
def test_printable_and_json_text_leave_nothing_live(name: str, text: str) -> None:
    shown = printable(text)
    assert live_payloads(shown.encode("utf-8")) == [], shown
    assert len(shown) >= len(text) and shown.count("PWN") == text.count("PWN"), "shown, nothing dropped"
    dumped = json_text(json.dumps({"v": text}, ensure_ascii=False))
    assert live_payloads(dumped.encode("utf-8")) == []
    assert json.loads(dumped) == {"v": text}, "JSON keeps every character"


def test_runs_table_is_inert(payload_run: Path) -> None:
    result = nano_tui("runs", str(payload_run.parent))
    assert result.returncode == 0, result.stderr
    assert live_payloads(result.stdout) == []
    header, row = result.stdout.decode().splitlines()
    assert "␛]0;PWN-folder␇" in row and "␛]0;PWN-title" in row, "shown, not hidden"
    column = row.index(str(payload_run.parent.parent))
    assert cell_len(row[:column]) == cell_len(header[:header.index("path")]), "the columns line up"


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_exports_are_inert_on_stdout_and_in_files(payload_run: Path, tmp_path: Path, fmt: str) -> None:
    result = nano_tui("export", str(payload_run), "--format", fmt)
    assert result.returncode == 0, result.stderr
    target = tmp_path / f"run.{fmt}"
    assert nano_tui("export", str(payload_run), "--format", fmt, "-o", str(target)).returncode == 0
    for data in (result.stdout, target.read_bytes()):
        assert live_payloads(data) == []
        assert b"PWN-title" in data
    if fmt == "json":
        exported = json.loads(result.stdout, parse_constant=lambda constant: pytest.fail(constant))
        assert exported["run"]["task"].startswith("task " + PAYLOADS[0][1]), "every character kept"
        assert "\ud800" in exported["run"]["task"]


def test_headless_run_prints_a_hostile_provider_error_inert(git_repo: Path, tmp_path: Path) -> None:
    with OpenAIServer([Reply(status=400, error=EVERY)]) as server:
        result = nano_tui("run", "fix it", "--repo", str(git_repo), "--model", "openai/m", "--api-base",
                          server.url, "--headless", "--log-dir", str(tmp_path / "logs"))
    assert result.returncode == 1
    assert b"PWN" in result.stdout + result.stderr
    assert live_payloads(result.stdout) == [] and live_payloads(result.stderr) == []


def _inert_copies(stream: bytes) -> list[str]:
    copies = osc52_copies(stream)
    for text in copies:
        assert live_payloads(text.encode("utf-8")) == []
        assert not any(ord(ch) < 0x20 and ch not in "\n\t" for ch in text), repr(text)
    return copies


@needs_tmux
def test_replay_and_its_copies_are_inert_in_a_real_terminal(tmp_path: Path) -> None:
    payload_run = write_payload_run(tmp_path / "runs" / "2025-01-01T00:00:00-0badf00d")
    record = tmp_path / "terminal.bytes"
    terminal = Terminal(tmp_path, 100, 40)
    try:
        terminal.start(f"{NANO_TUI} replay {payload_run}", record=record)
        terminal.shows("PWN-title")
        for _ in range(5):
            terminal.keys("y")
            terminal.shows("Copied")
            terminal.keys("o", "Right")
        terminal.keys("r")
        terminal.shows("raw messages")
        terminal.keys("y")
        terminal.shows("Copied")
        terminal.keys("Escape")
        terminal.gone("raw messages")
        terminal.keys("q")
        terminal.shows("EXIT=0")
    finally:
        terminal.close()
    stream = record.read_bytes()
    assert b"PWN-title" in stream
    assert live_payloads(stream) == []
    copies = _inert_copies(stream)
    assert len(copies) == 6 and any("␛[201~PWN" in text for text in copies)


@needs_tmux
def test_live_summary_and_farewell_are_inert(git_repo: Path, tmp_path: Path) -> None:
    hostile = Call("x\x1b]0;PWN-tool\x1b\\\x1b]52;c;UFdO\x1b\\", {"cmd": EVERY})
    fix = Call("apply_patch", {"file": "app.py", "search": "a - b", "replace": "a + b"})
    replies = [Reply(content=EVERY, reasoning=EVERY, tool_calls=[hostile, fix]),
               Reply(content="Done " + EVERY)]
    record = tmp_path / "terminal.bytes"
    terminal = Terminal(tmp_path, 100, 40)
    with OpenAIServer(replies) as server:
        try:
            terminal.start(f"{NANO_TUI} run 'fix it' --repo {git_repo} --model openai/m"
                           f" --api-base {server.url} --log-dir {tmp_path / 'logs'} --backend local",
                           record=record)
            terminal.shows("The run finished")
            terminal.keys("y")
            terminal.shows("Copied")
            terminal.keys("q")
            terminal.shows("EXIT=0")
        finally:
            terminal.close()
    stream = record.read_bytes()
    assert b"PWN-tool" in stream, "the tool's name is shown, escaped"
    assert live_payloads(stream) == []
    assert len(_inert_copies(stream)) == 1
