"""Shared exports replace what looks like a secret and say where; look-alikes stay; ``--no-redact``
keeps every byte; the run's own files are never touched."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from nano_tui.trajectory.export.redaction import Redactor
from tests.processes import NANO_TUI, clean_env
from tests.trajectory.builders import typical_run

FAKE = "x1Y2z3W4v5U6t7S8r9Q0p1O2n3M4l5K6j7I8h9G0"  # 40 letters and digits, a key's shape

SECRETS = {
    "openai key": f"sk-proj-{FAKE}",
    "anthropic key": f"sk-ant-api03-{FAKE}",
    "github token": f"ghp_{FAKE[:36]}",
    "aws key": "AKIAQWERTYUIOPASDFGH",
    "slack token": f"xoxb-1234567890-{FAKE[:20]}",
    "google key": f"AIza{FAKE[:35]}",
    "hugging face token": f"hf_{FAKE[:34]}",
    "jwt": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
    "private key": "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n"
                   "-----END OPENSSH PRIVATE KEY-----",
}


@pytest.mark.parametrize("kind", SECRETS)
def test_each_family_is_replaced_by_its_marker(kind: str) -> None:
    redactor = Redactor()
    text = redactor.text(f"before {SECRETS[kind]} after", "turn 2")
    assert text == f"before [REDACTED:{kind}] after"
    assert [(f.where, f.kind) for f in redactor.findings] == [("turn 2", kind)]


@pytest.mark.parametrize(("text", "kept"), [
    ("export OPENAI_API_KEY=abc123def456ghi", "export OPENAI_API_KEY=[REDACTED:secret variable]"),
    ('{"api_key": "abc123def456ghi"}', '{"api_key": "[REDACTED:secret variable]"}'),
    ("DB_PASSWORD: 'hunter2hunter2'", "DB_PASSWORD: '[REDACTED:secret variable]'"),
    ("Authorization: Bearer abcdefghijklmnop1234", "Authorization: Bearer [REDACTED:bearer token]"),
    ("PASSWORD=hunter2hunter2", "PASSWORD=[REDACTED:secret variable]"),
    ("aws_secret_access_key = wJalrXUtnFEMIK7MDENG", "aws_secret_access_key = [REDACTED:secret variable]"),
    # a call's raw arguments: JSON inside JSON, its quotes escaped
    ('{"content": "{\\"password\\": \\"hunter2hunter2\\"}"}',
     '{"content": "{\\"password\\": \\"[REDACTED:secret variable]\\"}"}'),
])
def test_values_of_secret_variables_and_bearer_tokens_go_their_names_stay(text: str, kept: str) -> None:
    assert Redactor().text(text, "run") == kept


@pytest.mark.parametrize("text", [
    "commit 3f786850e387550fdab836ed7e6dc881de23001b",  # a git SHA
    "id 123e4567-e89b-12d3-a456-426614174000",  # a UUID
    "sorted(runs, key=lambda run: run.date)",
    "PASSWORD=${DB_PASSWORD}",
    "the tokenizer splits words; skip-ant-colony tasks",
    "TOKEN_LIMIT=32768",
])
def test_look_alikes_are_left_alone(text: str) -> None:
    redactor = Redactor()
    assert redactor.text(text, "run") == text and not redactor.findings


def leaky_run(tmp_path: Path) -> Path:
    run = typical_run("5.0")
    call = run.call("shell", {"cmd": "env | grep KEY"})
    run.assistant("Check the environment.", [call])
    run.tool(call, f"OPENAI_API_KEY={SECRETS['openai key']}\nHOME=/root")
    run.assistant("Done.")
    return run.write(tmp_path)


def nano_tui(*args: str, cache: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([NANO_TUI, *args], capture_output=True, text=True, timeout=120,
                          env=clean_env(XDG_CACHE_HOME=str(cache)))


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_an_export_says_what_it_redacted_and_the_run_is_untouched(fmt: str, tmp_path: Path) -> None:
    run = leaky_run(tmp_path / "runs")
    before = {path.name: path.read_bytes() for path in run.iterdir()}
    out = tmp_path / f"run.{fmt}"
    done = nano_tui("export", str(run), "--format", fmt, "-o", str(out), cache=tmp_path / "cache")
    assert done.returncode == 0, done.stderr
    text = out.read_text()
    assert SECRETS["openai key"] not in text and "[REDACTED:openai key]" in text
    assert re.search(r"redacted 1 openai key in turn \d+\.tool_calls\[0\]\.output", done.stderr)
    assert {path.name: path.read_bytes() for path in run.iterdir()} == before
    kept = nano_tui("export", str(run), "--format", fmt, "--no-redact", cache=tmp_path / "cache")
    assert SECRETS["openai key"] in kept.stdout and "redacted" not in kept.stderr


def test_the_dataset_redacts_inside_values_and_keeps_other_lines_exact(tmp_path: Path) -> None:
    run = leaky_run(tmp_path / "runs")
    done = nano_tui("export", str(run), "--format", "dataset", cache=tmp_path / "cache")
    (line,) = done.stdout.splitlines()
    record = json.loads(line)
    assert SECRETS["openai key"] not in line
    (tool,) = [message for message in record["messages"] if "OPENAI_API_KEY" in str(message.get("content"))]
    assert tool["content"].startswith("OPENAI_API_KEY=[REDACTED:openai key]")
    logged = (run / "messages.jsonl").read_text().splitlines()
    assert logged[0] in line, "a line with no secret is written as logged"
    assert "messages.jsonl line" in done.stderr and "redacted" in done.stderr
    kept = nano_tui("export", str(run), "--format", "dataset", "--no-redact", cache=tmp_path / "cache")
    assert all(text in kept.stdout for text in logged)
