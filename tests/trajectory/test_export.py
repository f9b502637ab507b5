"""Exports carry every call, output and thought of the log, escaped for their format."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from nano_tui.cli import main as cli
from nano_tui.trajectory import load
from nano_tui.trajectory.export import exporter
from nano_tui.trajectory.export.markdown import fenced
from tests.trajectory.builders import RunBuilder, typical_run

HOSTILE = "<script>alert(1)</script> [bold]x[/bold] ```` fence"


def hostile_run(tmp_path: Path) -> Path:
    run = typical_run("5.0")
    call = run.call("shell", {"cmd": f"echo '{HOSTILE}'"})
    run.assistant(f"<think>{HOSTILE}</think>{HOSTILE}", [call])
    run.tool(call, HOSTILE)
    return run.write(tmp_path)


@pytest.mark.parametrize("fmt", ["json", "md"])
def test_every_call_output_and_thought_is_exported(fmt: str, tmp_path: Path) -> None:
    trajectory = load(hostile_run(tmp_path))
    text = exporter(fmt)(trajectory)
    if fmt == "json":
        data = json.loads(text)
        assert data["schema"] == "nano-tui.trajectory/1"
        text = json.dumps(data, ensure_ascii=False)  # search the decoded strings below
        needles = [json.dumps(s, ensure_ascii=False)[1:-1] for s in _needles(trajectory)]
    else:
        needles = _needles(trajectory)
    for needle in needles:
        assert needle in text, needle


def _needles(trajectory) -> list[str]:
    needles = []
    for turn in trajectory:
        needles += [*turn.thinking, turn.text, *turn.nudges]
        for call in turn.tool_calls:
            args = call.arguments or {}
            needles += [call.name, call.output] + [v for v in args.values() if isinstance(v, str)]
            needles += [call.warning] if call.warning else []
    return [n for n in needles if n]


def test_json_keeps_raw_messages_and_results(tmp_path: Path) -> None:
    folder = typical_run("3.4").write(tmp_path)
    data = json.loads(exporter("json")(load(folder)))
    raw = [json.loads(line) for line in (folder / "messages.jsonl").read_text().splitlines()]
    assert [m for turn in data["turns"] for m in turn["messages"]] == raw
    warned = data["turns"][1]["tool_calls"][1]
    assert warned["result"] == raw[4]["content"] and warned["warning"] and warned["status"] == "failed"


def test_html_is_standalone_and_escaped(tmp_path: Path) -> None:
    page = exporter("html")(load(hostile_run(tmp_path)))
    assert "<script" not in page
    assert "&lt;script&gt;" in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "http://" not in page and "https://" not in page
    assert "<details>" in page  # the 399-line output is folded
    assert 'class="hl"' in page  # Pygments highlighting


def test_markdown_fence_outlasts_backticks_in_the_content() -> None:
    block = fenced("a ```` b")
    assert block.startswith("`````text\n") and block.rstrip().endswith("\n`````")


def test_crashed_run_says_it_did_not_end_normally(tmp_path: Path) -> None:
    run = RunBuilder("2.0")
    call = run.call("shell", {"cmd": "ls"})
    run.assistant(None, [call])
    trajectory = load(run.write(tmp_path, crashed=True))
    assert "No result" in exporter("md")(trajectory)
    assert "ended normally" in exporter("html")(trajectory)


@pytest.mark.parametrize("fmt", ["json", "md", "html"])
def test_export_command_writes_the_file(fmt: str, tmp_path: Path) -> None:
    folder = typical_run("5.0").write(tmp_path)
    out = tmp_path / f"run.{fmt}"
    assert cli(["export", str(folder), "--format", fmt, "-o", str(out)]) == 0
    assert "Fix add() in app.py" in out.read_text(encoding="utf-8") or fmt == "md"


def test_export_of_a_missing_run_is_one_clear_line(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(["export", str(tmp_path / "nope")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("nano-tui: no such path") and err.count("\n") == 1


def test_export_of_a_torn_log_lists_the_skipped_line(tmp_path: Path) -> None:
    folder = typical_run("5.0").write(tmp_path)
    with (folder / "messages.jsonl").open("a") as out:
        out.write('{"content": "half a mess')
    out = tmp_path / "torn.md"
    assert cli(["export", str(folder), "--format", "md", "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "## Skipped lines" in text and "line 13: torn last line" in text
    assert "The bug is fixed." in text


def test_streamed_json_is_the_whole_trajectory(tmp_path: Path) -> None:
    """Written a turn at a time, the JSON still holds every turn and field, a turn's fields a line each."""
    import dataclasses

    folder = typical_run("5.0").write(tmp_path)
    text = exporter("json")(load(folder))
    data = json.loads(text)
    trajectory = load(folder)
    assert data["turns"] == json.loads(json.dumps([dataclasses.asdict(turn) for turn in trajectory]))
    assert data["run"]["task"] == trajectory.info.task and data["skipped"] == [] and data["damaged"] == []
    assert text.count('\n      "tool_calls": ') == len(trajectory)


def test_a_failed_export_leaves_the_earlier_file_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    from nano_tui.trajectory.export import json_export

    folder = typical_run("5.0").write(tmp_path)
    target = tmp_path / "run.json"
    assert cli(["export", str(folder), "--format", "json", "-o", str(target)]) == 0
    earlier = target.read_text()
    calls = []

    def failing(value, levels, margin=""):
        calls.append(value)
        if len(calls) > 4:
            raise OSError(28, "No space left on device")
        return json.dumps(value)

    monkeypatch.setattr(json_export, "outline", failing)
    assert cli(["export", str(folder), "--format", "json", "-o", str(target)]) == 1
    assert "No space left on device" in capsys.readouterr().err
    assert target.read_text() == earlier
    assert sorted(path.name for path in tmp_path.iterdir() if path.name.startswith(".run.json")) == []
