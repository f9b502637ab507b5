"""Run folders for the UI tests, written fresh in a temp dir by each test."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ui.runlogs import write_hostile, write_long_run, write_story


@pytest.fixture
def story(tmp_path: Path) -> Path:
    return write_story(tmp_path / "2025-12-03T10:00:00-0badc0de")


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    return write_hostile(tmp_path / "hostile")


@pytest.fixture
def long_run(tmp_path: Path) -> Path:
    return write_long_run(tmp_path / "long", 60)
