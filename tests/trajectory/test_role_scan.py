"""The quick scan reads a line's role from its bytes; it must never disagree with the parsed message,
whatever the line nests: turns built from the file equal turns built from the parsed messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nano_tui.trajectory import load
from nano_tui.trajectory.model import RunInfo
from nano_tui.trajectory.trajectory import Trajectory

CALL = {"function": {"arguments": '{"cmd": "ls"}', "name": "shell"}, "id": "c1", "type": "function"}

#: Lines whose last ``"role"`` is not the message's own, or whose own role is not last.
TRICKY = {
    "nested after": '{"role": "user", "x": {"role": "assistant"}}',
    "nested in a list": '{"role": "tool", "tool_call_id": "c1", "z": [{"role": "assistant"}]}',
    "nested, spaced": '{ "role" : "user" , "x" : { "role" : "assistant" } }  ',
    "nested deeper": '{"role": "user", "x": {"y": [{"role": "system", "z": {}}]}}',
    "only nested": '{"content": "hi", "x": {"role": "assistant"}}',
    "role first, unsorted": '{"role": "assistant", "content": "done"}',
    "role in a string": '{"content": "\\"role\\": \\"assistant\\"", "role": "user"}',
    "tool calls after": json.dumps({"content": None, "role": "assistant", "tool_calls": [CALL]}),
    "a calls' nested role": json.dumps({"role": "assistant", "tool_calls": [{**CALL, "role": "tool"}]}),
    "not UTF-8 after": '{"role": "user", "x": "\udcff"}',
}


def write(folder: Path, lines: list[str]) -> Path:
    folder.mkdir()
    (folder / "messages.jsonl").write_text("".join(line + "\n" for line in lines), "utf-8", "surrogateescape")
    return folder


@pytest.mark.parametrize("tricky", TRICKY, ids=list(TRICKY))
def test_the_scan_agrees_with_the_parsed_messages(tmp_path: Path, tricky: str) -> None:
    lines = [
        '{"content": "system prompt", "role": "system"}',
        '{"content": "the task", "role": "user"}',
        json.dumps({"content": None, "role": "assistant", "tool_calls": [CALL]}),
        '{"content": "a.py", "role": "tool", "tool_call_id": "c1"}',
        TRICKY[tricky],
        '{"content": "after", "role": "assistant"}',
    ]
    loaded = load(write(tmp_path / "run", lines))
    parsed = Trajectory.live(RunInfo(path=None))
    for number, line in enumerate(lines):
        text = line.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        parsed.add_message(number, json.loads(text))
    assert [turn.message_indices for turn in loaded] == [turn.message_indices for turn in parsed]
    assert list(loaded) == list(parsed)
