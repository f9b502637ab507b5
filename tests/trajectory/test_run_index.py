"""The run index: runs re-read only when they change, safe with two listings at once, rebuilt or
bypassed when damaged, and ``runs --json`` with its filters on top."""

from __future__ import annotations

import json
import sqlite3
import subprocess
from pathlib import Path

import pytest

from nano_tui.contract import SIDECAR
from nano_tui.trajectory.discovery import locate, summarize
from nano_tui.trajectory.run_index import RunIndex
from tests.processes import NANO_TUI, clean_env
from tests.ui.runlogs import assistant, story, write_run


def make_runs(folder: Path, count: int, task: str = "Fix the failing test in app.py") -> list[Path]:
    messages = [{"content": task, "role": "user"}, *story()[1:]]
    return [write_run(folder / f"2025-01-{1 + n % 28:02d}T10:00:{n % 60:02d}-{n:08x}", messages)
            for n in range(count)]


class Counting:
    """``summarize``, counting the runs it reads."""

    def __init__(self) -> None:
        self.read: list[Path] = []

    def __call__(self, run: str, location: str):  # type: ignore[no-untyped-def]
        self.read.append(Path(run))
        return summarize(run, location)


def test_a_run_is_read_again_only_when_it_changed(tmp_path: Path) -> None:
    runs = make_runs(tmp_path / "runs", 3)
    index_file = tmp_path / "cache" / "runs.sqlite3"
    first = Counting()
    summaries = RunIndex(index_file).summaries(list(locate(runs)), first)
    assert first.read == runs and [s.turns for s in summaries] == [5, 5, 5]

    unchanged = Counting()
    assert RunIndex(index_file).summaries(list(locate(runs)), unchanged) == summaries
    assert unchanged.read == []

    with open(runs[1] / "messages.jsonl", "a") as log:
        log.write(json.dumps(assistant("One more thing.")) + "\n")
    added = make_runs(tmp_path / "more", 1)
    changed = Counting()
    again = RunIndex(index_file).summaries(list(locate([*runs, *added])), changed)
    assert changed.read == [runs[1], *added]
    assert [s.turns for s in again] == [5, 6, 5, 5]

    (runs[2] / "stats.json").write_text(json.dumps({"ended_normally": True}))  # the run ended
    with open(runs[0] / "messages.jsonl", "a") as log:  # nano-tui writes its sidecar beside the messages
        log.write(json.dumps(assistant("Done.")) + "\n")
    (runs[0] / SIDECAR).write_text(json.dumps({"event": "message", "time": 1.0e9, "index": 6}) + "\n")
    ended = Counting()
    summaries = RunIndex(index_file).summaries(list(locate(runs)), ended)
    assert ended.read == [runs[0], runs[2]]
    assert summaries[2].end == "finished"
    with open(runs[0] / SIDECAR, "a") as sidecar:  # a sidecar that grows is read again
        sidecar.write(json.dumps({"event": "run_ended", "time": 1.0e9, "reason": "time limit"}) + "\n")
    grown = Counting()
    RunIndex(index_file).summaries(list(locate(runs)), grown)
    assert grown.read == [runs[0]]


def nano_tui(*args: str, cache: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([NANO_TUI, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=clean_env(XDG_CACHE_HOME=str(cache)))


def finished(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=120)
    return process.returncode, out, err


def test_two_listings_at_once_agree_and_leave_a_sound_index(tmp_path: Path) -> None:
    make_runs(tmp_path / "runs", 150)
    cache = tmp_path / "cache"
    both = [nano_tui("runs", "--json", str(tmp_path / "runs"), cache=cache) for _ in range(2)]
    (code_a, out_a, err_a), (code_b, out_b, err_b) = (finished(process) for process in both)
    assert (code_a, err_a, code_b, err_b) == (0, "", 0, "")
    assert out_a == out_b and len(out_a.splitlines()) == 150
    with sqlite3.connect(cache / "nano-tui" / "runs.sqlite3") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("SELECT count(*) FROM runs").fetchone() == (150,)
    assert finished(nano_tui("runs", "--json", str(tmp_path / "runs"), cache=cache))[1] == out_a


def test_a_damaged_index_is_set_aside_and_rebuilt(tmp_path: Path) -> None:
    make_runs(tmp_path / "runs", 2)
    cache = tmp_path / "cache"
    (cache / "nano-tui").mkdir(parents=True)
    (cache / "nano-tui" / "runs.sqlite3").write_bytes(b"this is not a database" * 100)
    code, out, err = finished(nano_tui("runs", str(tmp_path / "runs"), cache=cache))
    assert code == 0 and len(out.splitlines()) == 3
    (line,) = err.splitlines()
    assert line.startswith("nano-tui: the run index was damaged (") and "rebuilt; the old file is" in line
    assert len(list((cache / "nano-tui").glob("runs.sqlite3.damaged-*"))) == 1
    assert finished(nano_tui("runs", str(tmp_path / "runs"), cache=cache))[2] == "", "sound again"


def test_an_index_that_cannot_be_made_is_bypassed(tmp_path: Path) -> None:
    make_runs(tmp_path / "runs", 2)
    blocked = tmp_path / "cache-is-a-file"
    blocked.write_text("")
    code, out, err = finished(nano_tui("runs", str(tmp_path / "runs"), cache=blocked))
    assert code == 0 and len(out.splitlines()) == 3
    assert err.startswith("nano-tui: the run index cannot be used (") and err.endswith(
        "runs are read from their folders\n")


def test_no_index_writes_none(tmp_path: Path) -> None:
    make_runs(tmp_path / "runs", 2)
    code, out, _ = finished(nano_tui("runs", "--no-index", str(tmp_path / "runs"), cache=tmp_path / "cache"))
    assert code == 0 and len(out.splitlines()) == 3 and not (tmp_path / "cache").exists()


def test_runs_json_fields_groups_and_filters(tmp_path: Path) -> None:
    fix = make_runs(tmp_path / "runs" / "fix", 3)
    other = make_runs(tmp_path / "runs" / "other", 2, task="Add a --verbose flag")
    crashed = write_run(tmp_path / "runs" / "crashed" / "2025-02-01T00:00:00-0000dead", story()[:3], diff="")
    cache = tmp_path / "cache"
    lines = finished(nano_tui("runs", "--json", str(tmp_path / "runs"), cache=cache))[1].splitlines()
    rows = {row["path"]: row for row in map(json.loads, lines)}
    assert set(rows) == {str(path) for path in [*fix, *other, crashed]}
    first = rows[str(fix[0])]
    keys = ("model", "task", "turns", "tool_calls", "failed_calls", "files_changed", "end")
    assert {key: first[key] for key in keys} == {
        "model": "openai/gpt-4.1-mini", "task": "Fix the failing test in app.py", "turns": 5, "tool_calls": 4,
        "failed_calls": 1, "files_changed": 1, "end": "finished"}
    assert first["started"].startswith("2025-01-01T10:00:00") and first["diff_bytes"] > 0
    assert rows[str(crashed)]["end"] == "crashed"
    assert len({rows[str(path)]["group"] for path in fix}) == 1
    assert rows[str(fix[0])]["group"] != rows[str(other[0])]["group"]

    def listed(*filters: str) -> set[str]:
        out = finished(nano_tui("runs", "--json", *filters, str(tmp_path / "runs"), cache=cache))[1]
        return {json.loads(line)["path"] for line in out.splitlines()}

    assert listed("--end", "crashed") == {str(crashed)}
    assert listed("--task", "VERBOSE") == {str(path) for path in other}
    assert listed("--since", "2025-01-03") == {str(fix[2]), str(crashed)}, "started 01-03 and 02-01"
    assert listed("--model", "no-such-model") == set()


@pytest.mark.parametrize("value", ["yesterday", "2025-13-01"])
def test_a_bad_since_is_one_line(tmp_path: Path, value: str) -> None:
    make_runs(tmp_path / "runs", 1)
    listing = nano_tui("runs", "--since", value, str(tmp_path / "runs"), cache=tmp_path / "c")
    code, out, err = finished(listing)
    assert (code, out) == (1, "") and err == (f"nano-tui: --since takes a date like 2025-01-31 or "
                                              f"2025-01-31T14:00, not {value!r}\n")
