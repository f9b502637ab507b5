"""Fixtures shared by every test area: real git repositories and the scripted OpenAI server."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.processes import Terminal

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout


@pytest.fixture
def git_repo(tmp_path: Path) -> Path:
    """A clean repository with one commit holding ``app.py`` (with a bug) and ``README.md``."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "test@example.com")
    git(repo, "config", "user.name", "Test")
    (repo / "app.py").write_text("def add(a, b):\n    return a - b\n")
    (repo / "README.md").write_text("# sample\n")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "init")
    return repo


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own HOME so nothing reads or writes the real ~/.nano."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    return home


@pytest.fixture
def terminal(tmp_path: Path):
    """A 120×36 tmux terminal for the real process; killed after the test."""
    terminal = Terminal(tmp_path)
    yield terminal
    terminal.close()
