"""Fields computed on first read behave like plain dataclass fields; iteration (which parses turns
ahead in batches) gives the same turns as opening each turn on its own."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from nano_tui.trajectory import ToolCall, Turn, load
from nano_tui.trajectory.trajectory import READ_AHEAD
from tests.trajectory.builders import RunBuilder, typical_run


def test_loaded_fields_read_as_values_everywhere(tmp_path: Path) -> None:
    trajectory = load(typical_run("5.0").write(tmp_path))
    patch = trajectory.turn(3).tool_calls[0]
    data = dataclasses.asdict(patch)
    assert data["arguments"] == {"search": "return a - b", "replace": "return a + b", "file": "app.py"}
    assert data["status"] == "ok" and data["output"] == "patch applied successfully"
    assert data["diff_approximate"] is True and "+return a + b\n" in data["diff"]
    turn = trajectory.turn(1)
    copy = dataclasses.replace(turn, error="boom")
    assert copy.thinking == ["Where is add?"] and copy.text == "Let me look." and copy.error == "boom"
    assert dataclasses.replace(turn) == turn
    assert repr(patch).count("PENDING") == 0 and "patch applied successfully" in repr(patch)


def test_a_value_set_before_the_first_read_is_kept(tmp_path: Path) -> None:
    call = load(typical_run("5.0").write(tmp_path)).turn(1).tool_calls[1]
    call.status = "skipped"
    call.output = "shown instead"
    assert call.warning == "3 tools left. Prioritize essential changes."
    assert (call.status, call.output, call.truncated) == ("skipped", "shown instead", False)


def test_built_by_hand_they_are_plain_dataclasses() -> None:
    call = ToolCall("c1", "shell", "not json")
    assert (call.arguments, call.parse_error, call.output, call.status) == (None, None, "", "unknown")
    assert (call.diff, call.diff_approximate, call.warning) == ("", False, None)
    turn = Turn(index=1)
    turn.thinking.append("x")
    assert Turn(index=2).thinking == [] and turn.text == "" and turn.diff == ""


def _long_log(tmp_path: Path) -> Path:
    """More turns than one read-ahead batch, with lines the batch cannot read among them."""
    run = RunBuilder("5.0")
    for n in range(READ_AHEAD * 2 + 5):
        call = run.call("shell", {"cmd": f"echo {n}"})
        run.assistant(f"step {n} é", [call])
        run.tool(call, f"{n}")
    folder = run.write(tmp_path)
    log = folder / "messages.jsonl"
    lines = log.read_bytes().splitlines(keepends=True)
    lines[10] = b"not json\n"
    lines[70] = lines[70].replace(b"step", b"st\xffep")
    lines[90] = b'{"a": 1} {"b": 2}\n'
    lines[100] = lines[100].rstrip(b"\n") + b"  \r\n"
    lines[130] = b"   \n"
    lines[150] = b"[1, 2]\n"
    lines[200] = b"  " + lines[200]
    log.write_bytes(b"".join(lines))
    return folder


def test_iteration_reads_the_same_turns_as_opening_each(tmp_path: Path) -> None:
    folder = _long_log(tmp_path)
    iterated = [json.dumps(dataclasses.asdict(turn), default=str) for turn in load(folder)]
    one_by_one = load(folder)
    opened = [json.dumps(dataclasses.asdict(one_by_one.turn(i)), default=str) for i in range(len(one_by_one))]
    assert iterated == opened
    assert len(iterated) > READ_AHEAD * 2


def test_skipped_lines_are_the_same_however_the_log_is_read(tmp_path: Path) -> None:
    folder = _long_log(tmp_path)
    expected = [(11, "not JSON"), (91, "not JSON"), (151, "not a JSON object")]
    first = load(folder)
    assert [(s.line, s.reason.partition(" (")[0]) for s in first.skipped] == expected
    second = load(folder)
    list(second)
    assert [(s.line, s.reason.partition(" (")[0]) for s in second.skipped] == expected
    turns = list(first)
    assert any("st\ufffdep" in turn.text for turn in turns)
    lines = (folder / "messages.jsonl").read_bytes().splitlines()
    assert sum(len(turn.messages) for turn in turns) == len(lines) - 4
