"""Whatever bytes a log holds, the loader loads it or raises LogError — nothing else escapes."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nano_tui.trajectory import LogError, load
from nano_tui.trajectory.export import FORMATS, exporter
from tests.trajectory.builders import typical_run

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)
roles = st.sampled_from(["system", "user", "assistant", "tool", "critic", "", None])
tool_calls = st.lists(
    st.fixed_dictionaries({}, optional={
        "id": st.sampled_from(["c1", "c2", None]) | json_values,
        "function": st.fixed_dictionaries({}, optional={
            "name": st.sampled_from(["shell", "apply_patch", "other"]) | json_values,
            "arguments": st.sampled_from(['{"cmd": "ls"}', '{"search": "a", "replace": "b", "file": "f.py"}',
                                          '{"cmd', "[]"]) | json_values,
        }) | json_values,
    }) | json_values,
    max_size=3,
) | json_values
contents = st.sampled_from(["<think>x", "a</think>b<think>c</think>", "[command failed: exit 1]\nx",
                            "<nano:warning>3 tools left.</nano:warning>x", "patch applied successfully",
                            "3 tools left. Prioritize essential changes.\nok... output truncated"])
contents = contents | json_values
messages = st.fixed_dictionaries({}, optional={
    "role": roles, "content": contents, "tool_calls": tool_calls,
    "tool_call_id": st.sampled_from(["c1", "c2"]),
    "reasoning_content": json_values, "thinking_blocks": json_values, "function_call": json_values,
})
lines = st.lists(messages.map(lambda m: json.dumps(m).encode())
                 | json_values.map(lambda v: json.dumps(v).encode()) | st.binary(max_size=30), max_size=12)


def check(log: bytes, extra_files: dict[str, bytes] | None = None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "messages.jsonl").write_bytes(log)
        for name, data in (extra_files or {}).items():
            (folder / name).write_bytes(data)
        try:
            trajectory = load(folder)
        except LogError:
            return
        assert len(list(trajectory)) == len(trajectory)
        for i in range(len(trajectory)):
            trajectory.cumulative_diff(i)
        for fmt in FORMATS:
            exporter(fmt)(trajectory)


fast = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@fast
@given(lines, st.sampled_from([b"\n", b"\r\n"]))
def test_random_logs(raw_lines: list[bytes], newline: bytes) -> None:
    check(newline.join(raw_lines))


@fast
@given(st.binary(max_size=40), st.binary(max_size=40), st.binary(max_size=40))
def test_random_side_files(sidecar: bytes, tool_log: bytes, metadata: bytes) -> None:
    log = b'{"role": "system", "content": "s"}\n{"role": "assistant", "content": "a"}\n'
    check(log, {"nano-tui.jsonl": sidecar, "tool_log.jsonl": tool_log, "metadata.json": metadata,
                "tools.json": metadata, "stats.json": tool_log, "diff.txt": sidecar})


def _typical_lines() -> list[bytes]:
    with tempfile.TemporaryDirectory() as tmp:
        return (typical_run("5.0").write(Path(tmp)) / "messages.jsonl").read_bytes().splitlines(keepends=True)


TYPICAL = _typical_lines()


@fast
@given(st.data())
def test_mutated_logs(data: st.DataObject) -> None:
    log_lines = list(TYPICAL)
    for _ in range(data.draw(st.integers(1, 4))):
        action = data.draw(st.sampled_from(["flip", "drop", "duplicate", "truncate", "insert"]))
        index = data.draw(st.integers(0, len(log_lines) - 1)) if log_lines else 0
        if not log_lines:
            break
        if action == "flip" and log_lines[index]:
            line = bytearray(log_lines[index])
            position = data.draw(st.integers(0, len(line) - 1))
            line[position] = data.draw(st.integers(0, 255))
            log_lines[index] = bytes(line)
        elif action in ("drop", "flip"):
            del log_lines[index]
        elif action == "duplicate":
            log_lines.insert(index, log_lines[index])
        elif action == "insert":
            log_lines.insert(index, json.dumps(data.draw(json_values)).encode() + b"\n")
        else:
            log_lines[index] = log_lines[index][: data.draw(st.integers(0, len(log_lines[index])))]
    check(b"".join(log_lines))
