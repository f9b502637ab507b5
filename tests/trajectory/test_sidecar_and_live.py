"""nano-tui's own runs: the sidecar adds status, timing and diffs; live feeding builds the same turns."""

from __future__ import annotations

import json
from pathlib import Path

from nano_tui.core import events
from nano_tui.trajectory import RunInfo, Trajectory, load
from nano_tui.trajectory.export import exporter
from tests.trajectory.builders import PATCH_DIFF, sidecar_records, typical_run, write_sidecar


def test_sidecar_wins_over_the_text(tmp_path: Path) -> None:
    folder = typical_run("5.0").write(tmp_path)
    write_sidecar(folder)
    trajectory = load(folder)

    info = trajectory.info
    assert (info.source, info.repo, info.commit) == ("nano-tui", "/repo", "abc123")
    assert info.end_reason == "finished"
    assert info.api_base == "http://127.0.0.1:1/v1" and info.limits == {"tool_limit": 50}
    ls = trajectory.turn(1).tool_calls[0]
    assert ls.status == "failed" and ls.duration == 0.25
    assert trajectory.turn(1).duration == 2.5 and trajectory.turn(1).usage["prompt_tokens"] == 100
    patch = trajectory.turn(3).tool_calls[0]
    assert patch.diff == PATCH_DIFF and not patch.diff_approximate
    assert trajectory.turn(3).diff == PATCH_DIFF


def test_live_feeding_builds_the_turns_loading_builds(tmp_path: Path) -> None:
    folder = typical_run("5.0").write(tmp_path)
    records = sidecar_records(folder)
    with (folder / "nano-tui.jsonl").open("w") as out:
        out.writelines(json.dumps(r) + "\n" for r in records)
    loaded = load(folder)

    live = Trajectory.live(RunInfo(path=folder, source="live"))
    messages = [json.loads(line) for line in (folder / "messages.jsonl").read_text().splitlines()]
    live.add_record(records[0])
    for index, message in enumerate(messages):
        live.add_message(index, message)
        live.turn(len(live) - 1)  # a live view reads the growing turn as it goes
    for record in records[1:]:
        live.add_record(record)

    assert len(live) == len(loaded)
    assert [live.turn(i) for i in range(len(live))] == list(loaded)
    assert live.info.task == loaded.info.task and live.info.end_reason == "finished"


def test_live_call_in_flight_is_running_until_answered() -> None:
    live = Trajectory.live(RunInfo(path=None, source="live"))
    live.add_message(0, {"role": "system", "content": "s"})
    live.add_message(1, {"role": "user", "content": "t"})
    call = {"function": {"arguments": '{"cmd": "sleep 1"}', "name": "shell"}, "id": "c1", "type": "function"}
    live.add_message(2, {"role": "assistant", "content": None, "tool_calls": [call]})
    assert live.turn(1).tool_calls[0].status == "no result"
    live.add_record(events.to_record(events.ToolStarted(1, "c1", "shell", '{"cmd": "sleep 1"}'), 1.0))
    assert live.turn(1).tool_calls[0].status == "running"
    live.add_message(3, {"role": "tool", "content": "command succeeded", "tool_call_id": "c1"})
    finished = events.ToolFinished(1, "c1", "shell", "command succeeded", "ok", 1.0)
    live.add_record(events.to_record(finished, 2.0))
    assert live.turn(1).tool_calls[0].status == "ok" and live.turn(1).tool_calls[0].duration == 1.0


def test_exports_show_recorded_timing(tmp_path: Path) -> None:
    folder = typical_run("5.0").write(tmp_path)
    write_sidecar(folder)
    trajectory = load(folder)
    assert "## Turn 1 (2.50 s, 120 tokens)" in exporter("md")(trajectory)
    assert "<small>2.50 s, 120 tokens</small>" in exporter("html")(trajectory)
