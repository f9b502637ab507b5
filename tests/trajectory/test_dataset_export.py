"""``export --format dataset``: one JSON line per run, its messages byte for byte as logged, read by
DuckDB as a training pipeline would; the runs filters select; a damaged line is named, not fatal."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import duckdb

from tests.processes import NANO_TUI, clean_env
from tests.ui.runlogs import assistant, story, write_run

LOGS = Path(__file__).resolve().parents[1] / "fixtures" / "nano_logs"


def export(*args: str, cache: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([NANO_TUI, "export", *args, "--format", "dataset"], capture_output=True, text=True,
                          env=clean_env(XDG_CACHE_HOME=str(cache)), timeout=120)


def test_every_nano_era_becomes_one_line_equal_to_its_files(tmp_path: Path) -> None:
    out = tmp_path / "runs.jsonl"
    done = export(str(LOGS), "-o", str(out), cache=tmp_path / "cache")
    assert done.returncode == 0, done.stderr
    lines = out.read_text(encoding="utf-8").splitlines()
    runs = sorted(path.parent for path in LOGS.rglob("messages.jsonl"))
    assert len(lines) == len(runs) and f"{len(runs)} runs written to {out}" in done.stderr
    assert oct(out.stat().st_mode & 0o777) == oct(0o666 & ~_umask()), "a file like any other, not 0600"
    by_path = {json.loads(line)["path"]: line for line in lines}
    for run in runs:
        line = by_path[str(run)]
        record = json.loads(line)
        logged = (run / "messages.jsonl").read_bytes().decode("utf-8").splitlines()
        readable = [text for text in logged if _is_object(text)]
        assert record["messages"] == [json.loads(text) for text in readable], run
        for text in readable:  # what the model saw, not re-encoded
            assert text in line, (run, text[:80])
        assert record["tools"] == json.loads((run / "tools.json").read_text()), run
        assert record["metadata"] == json.loads((run / "metadata.json").read_text()), run
        assert {"turns", "tool_calls", "failed_calls", "end", "group", "task", "started"} <= record.keys()


def _is_object(text: str) -> bool:
    try:
        return isinstance(json.loads(text), dict)
    except ValueError:
        return False


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def test_duckdb_reads_the_dataset_and_the_filters_select(tmp_path: Path) -> None:
    root = tmp_path / "runs"
    write_run(root / "2025-12-01T09:00:00-00000001", story())
    write_run(root / "2025-12-02T09:00:00-00000002", story()[:3])  # ends on a tool result: crashed
    write_run(root / "2025-12-03T09:00:00-00000003", story(), model="hosted_vllm/Qwen/Qwen3-8B")
    out = tmp_path / "finished.jsonl"
    done = export(str(root), "--only", "finished", "-o", str(out), cache=tmp_path / "cache")
    assert done.returncode == 0 and "2 runs written" in done.stderr and "1 left out" in done.stderr
    rows = duckdb.sql(f"SELECT model, turns, len(messages) AS messages, messages[2].content AS task "
                      f"FROM read_json_auto('{out}') ORDER BY model").fetchall()
    assert rows == [("hosted_vllm/Qwen/Qwen3-8B", 5, 11, "Fix the failing test in app.py"),
                    ("openai/gpt-4.1-mini", 5, 11, "Fix the failing test in app.py")]
    qwen = export(str(root), "--model", "qwen", cache=tmp_path / "cache")  # to stdout
    assert [json.loads(line)["model"] for line in qwen.stdout.splitlines()] == ["hosted_vllm/Qwen/Qwen3-8B"]


def test_a_torn_line_is_named_and_the_rest_is_written(tmp_path: Path) -> None:
    run = write_run(tmp_path / "runs" / "torn", [*story(), assistant("One more")])
    with open(run / "messages.jsonl", "ab") as log:
        log.write(b'{"role": "assistant", "content": "cut he')
    nan = write_run(tmp_path / "runs" / "nan", story())
    with open(nan / "messages.jsonl", "a") as log:
        log.write('{"role": "user", "content": "x", "score": NaN}\n')
    out = tmp_path / "out.jsonl"
    done = export(str(tmp_path / "runs"), "-o", str(out), cache=tmp_path / "cache")
    assert done.returncode == 0
    assert f"{run}: messages.jsonl line 13 left out: not JSON" in done.stderr
    records = {Path(record["path"]).name: record
               for record in map(json.loads, out.read_text().splitlines())}
    assert records["torn"]["messages"][-1]["content"] == "One more"
    assert records["nan"]["messages"][-1] == {"role": "user", "content": "x", "score": None}, "valid JSON"


def test_a_single_run_format_refuses_several_runs(tmp_path: Path) -> None:
    one = write_run(tmp_path / "a", story())
    two = shutil.copytree(one, tmp_path / "b")
    done = subprocess.run([NANO_TUI, "export", str(one), str(two)], capture_output=True, text=True,
                          env=clean_env(), timeout=60)
    assert done.returncode == 1 and "--format json writes one run" in done.stderr
    assert "Traceback" not in done.stderr
