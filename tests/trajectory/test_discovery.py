"""Run discovery and the ``runs`` table."""

from __future__ import annotations

from pathlib import Path

import pytest

from nano_tui.cli import main as cli
from nano_tui.trajectory import discover
from tests.trajectory.builders import RunBuilder, typical_run


def test_runs_are_listed_newest_first_with_their_facts(isolated_home: Path) -> None:
    typical_run("5.0").write(isolated_home, stamp="2025-06-01T10:00:00")
    crashed = RunBuilder("2.0", task="\n  Second task\nmore words")
    call = crashed.call("shell", {"cmd": "ls"})
    crashed.assistant(None, [call])
    crashed.write(isolated_home, stamp="2025-06-02T10:00:00", crashed=True)

    newest, oldest = discover()
    assert newest.task_line == "Second task" and newest.ended_normally is False and newest.diff_size == 0
    assert (newest.turns, newest.tool_calls, newest.failed_calls) == (1, 1, 0)
    assert oldest.model == "openai/test-model" and oldest.ended_normally is True
    assert (oldest.turns, oldest.tool_calls, oldest.failed_calls) == (5, 5, 2)
    assert oldest.diff_size > 0 and newest.date > oldest.date


def test_local_dot_nano_and_broken_runs(isolated_home: Path, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    project = tmp_path / "project"
    folder = typical_run("3.4").write(project)
    broken = project / ".nano" / "2025-01-01T00:00:00-deadbeef"
    broken.mkdir()
    (broken / "messages.jsonl").write_bytes(b"")
    monkeypatch.chdir(project)
    runs = discover()
    assert {r.path.name for r in runs} == {folder.name, broken.name}
    assert next(r for r in runs if r.path.name == broken.name).error.startswith("empty log")


def test_runs_command_prints_a_table(isolated_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = typical_run("5.0").write(isolated_home)
    assert cli(["runs", str(folder.parent)]) == 0
    header, row = capsys.readouterr().out.splitlines()
    assert header.split()[:3] == ["date", "model", "turns"]
    assert "openai/test-model" in row and "Fix add() in app.py" in row and str(folder) in row
