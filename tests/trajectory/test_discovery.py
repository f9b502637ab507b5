"""Run discovery and the ``runs`` table."""

from __future__ import annotations

import json
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
    assert {Path(r.path).name for r in runs} == {folder.name, broken.name}
    assert next(r for r in runs if Path(r.path).name == broken.name).error.startswith("empty log")


def test_runs_command_prints_a_table(isolated_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = typical_run("5.0").write(isolated_home)
    assert cli(["runs", str(folder.parent)]) == 0
    header, row = capsys.readouterr().out.splitlines()
    assert header.split()[:3] == ["date", "model", "turns"]
    assert "openai/test-model" in row and "Fix add() in app.py" in row and str(folder) in row


def mini_trajectory(path: Path, task: str = "Fix it") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({
        "info": {"exit_status": "Submitted", "submission": "", "config": {"model": {"model_name": "gpt-x"}}},
        "messages": [{"role": "system", "content": "sys"},
                     {"role": "user", "content": f"<pr_description>\n{task}\n</pr_description>\n\nRules."},
                     {"role": "assistant", "content": "```bash\nls\n```"},
                     {"role": "user", "content": "<returncode>0</returncode>\n<output>\n</output>"}],
    }))
    return path


def test_runs_are_found_at_any_depth_but_not_in_git_or_environments(tmp_path: Path) -> None:
    """``runs/<model>/<task>/<run>`` is how experiments are kept; version control, virtual
    environments and caches are never searched."""
    root = tmp_path / "runs"
    deep = typical_run("5.0").write(root / "qwen3-8b" / "task-1", stamp="2025-06-01T10:00:00")
    deeper = typical_run("3.4").write(root / "gpt" / "sweep" / "task-2", stamp="2025-06-02T10:00:00")
    typical_run("5.0").write(root / ".git" / "objects")
    typical_run("5.0").write(root / "node_modules" / "x")
    venv = root / "env"
    venv.mkdir()
    (venv / "pyvenv.cfg").write_text("home = /usr/bin\n")
    typical_run("5.0").write(venv / "lib")
    traj = mini_trajectory(root / "mini" / "astropy-1234" / "astropy-1234.traj.json")
    runs = discover([root])
    assert {run.path for run in runs} == {str(deep), str(deeper), str(traj)}
    locations = {run.location for run in runs}
    assert locations == {deep.relative_to(root).as_posix(), deeper.relative_to(root).as_posix(),
                         "mini/astropy-1234/astropy-1234.traj.json"}
    assert deeper.relative_to(root).as_posix().startswith("gpt/sweep/task-2/")
    mini = next(run for run in runs if run.path == str(traj))
    assert mini.task_line == "Fix it" and mini.model == "gpt-x" and mini.turns == 1


@pytest.mark.parametrize("command", ["runs", "replay"])
def test_runs_and_replay_share_one_rule_for_nothing_found(command: str, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "empty").mkdir()
    assert cli([command, str(tmp_path / "empty")]) == 1
    assert capsys.readouterr().err.startswith(f"nano-tui: no runs found in {tmp_path / 'empty'}")
    assert cli([command, str(tmp_path / "nope"), str(tmp_path / "empty")]) == 1
    assert capsys.readouterr().err == f"nano-tui: no such path: {tmp_path / 'nope'}\n"
