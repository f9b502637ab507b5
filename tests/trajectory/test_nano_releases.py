"""Logs written by published nano-agent releases (made by tests/fixtures/make_nano_logs.py) load,
read the same in every wording era, and export to every format."""

from __future__ import annotations

from pathlib import Path

import pytest

from nano_tui.trajectory import load
from nano_tui.trajectory.export import FORMATS, exporter

LOGS = Path(__file__).resolve().parents[1] / "fixtures" / "nano_logs"
VERSIONS = sorted(p.name for p in LOGS.iterdir())


def run_folder(version: str, scenario: str) -> Path:
    (folder,) = (LOGS / version / scenario).iterdir()
    return folder


def test_fixtures_span_every_wording_era() -> None:
    assert {"0.3.5", "2.0.0", "3.4.0", "5.0.0"} <= set(VERSIONS)


@pytest.mark.parametrize("version", VERSIONS)
def test_normal_run(version: str) -> None:
    trajectory = load(run_folder(version, "normal"))
    assert trajectory.skipped == [] and trajectory.info.ended_normally is True
    assert trajectory.info.task == "Fix the bug in add() in app.py."
    statuses = [[c.status for c in turn.tool_calls] for turn in trajectory]
    assert statuses == [[], ["ok", "failed"], ["failed"], ["ok"], ["failed"], []]
    assert trajectory.turn(1).thinking == ["I should list the files first."]
    assert trajectory.turn(3).thinking == ["The minus sign is the bug."]
    assert trajectory.turn(3).text == "Fixing the operator."
    assert "-return a - b\n+return a + b\n" in trajectory.turn(3).diff
    assert "return a + b" in trajectory.cumulative_diff(len(trajectory) - 1)
    warned = trajectory.turn(3).tool_calls[0]
    assert warned.warning and warned.warning not in warned.output and warned.result.startswith(warned.warning)
    assert trajectory.turn(4).tool_calls[0].name == "browse"


@pytest.mark.parametrize("version", VERSIONS)
def test_outputs_carry_no_nano_tags(version: str) -> None:
    for scenario in ("normal", "malformed"):
        for turn in load(run_folder(version, scenario)):
            for call in turn.tool_calls:
                assert "<nano:" not in call.output, call.output


def test_tag_era_release_outputs_keep_the_note_text_and_the_exact_result() -> None:
    turns = list(load(run_folder("3.4.0", "normal")))
    cat = turns[1].tool_calls[1]
    assert cat.output == ("command failed with exit code 1. Error output:\n"
                          "cat: missing.py: No such file or directory")
    assert cat.result == ("<nano:feedback>command failed with exit code 1. Error output:</nano:feedback>\n"
                          "cat: missing.py: No such file or directory")
    patch = turns[3].tool_calls[0]
    assert patch.output == "patch applied successfully"
    assert patch.warning == "<nano:warning>3 tools left. Prioritize essential changes.</nano:warning>"
    assert patch.result == patch.warning + "<nano:feedback>patch applied successfully</nano:feedback>"
    assert turns[4].tool_calls[0].output == "unknown tool: browse"
    malformed = load(run_folder("3.4.0", "malformed")).turn(1).tool_calls[0]
    assert malformed.output.startswith("Malformed tool arguments JSON: Expecting ',' delimiter")
    assert malformed.result == f"<nano:warning>{malformed.output}</nano:warning>"


@pytest.mark.parametrize("version", VERSIONS)
def test_malformed_arguments_run(version: str) -> None:
    trajectory = load(run_folder(version, "malformed"))
    call = trajectory.turn(1).tool_calls[0]
    assert call.parse_error and call.arguments_raw == '{"cmd": "ls"'
    if version < "3":
        assert call.status == "no result" and trajectory.info.ended_normally is False
    else:
        assert call.status == "failed" and "Do not stop working" in trajectory.turn(2).nudges[0]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("version", VERSIONS)
def test_every_export_works(version: str, fmt: str) -> None:
    for scenario in ("normal", "malformed"):
        text = exporter(fmt)(load(run_folder(version, scenario)))
        assert "Fix the bug in add()" in text
