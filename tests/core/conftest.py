"""Helpers for the core tests: agents pointed at the scripted OpenAI server, with events recorded."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from nano_tui.core.agent import Agent
from nano_tui.core.events import Event
from tests.openai_server import OpenAIServer, Reply


@pytest.fixture(autouse=True)
def no_pacing() -> None:
    from nano_tui.core import scripted

    scripted.set_speed(0)


@pytest.fixture
def openai_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """litellm's OpenAI client insists on a key, even for the local server."""
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-local-server")


class Recorder:
    """An ``on_event`` callback that keeps every event."""

    def __init__(self) -> None:
        self.events: list[Event] = []

    def __call__(self, event: Event) -> None:
        self.events.append(event)

    def of(self, kind: type) -> list[Any]:
        return [event for event in self.events if isinstance(event, kind)]

    def names(self) -> list[str]:
        return [type(event).__name__ for event in self.events]


def run_agent(
    replies: list[Reply], repo: Path, task: str = "fix the bug", **options: Any
) -> tuple[Agent, Recorder, str, OpenAIServer]:
    """Run our Agent against a fresh server playing ``replies``; returns agent, events, diff and server."""
    recorder = Recorder()
    options.setdefault("retry_backoff", 0)
    options.setdefault("log_dir", repo.parent / "logs")
    with OpenAIServer(replies) as server:
        agent = Agent(
            model="openai/scripted-model",
            api_base=server.url,
            api_key="sk-test",
            on_event=recorder,
            **options,
        )
        diff = agent.run(task, repo)
    return agent, recorder, diff, server


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def clone(repo: Path, target: Path) -> Path:
    shutil.copytree(repo, target, symlinks=True)
    return target
