"""``export DIR --format atif -o OUTDIR``: a folder of runs as a Harbor job, each run a trial whose
``agent/trajectory.json`` is the run's own ATIF export, listed by Harbor's real viewer."""

from __future__ import annotations

import glob
import json
import os
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import atif
import pytest

from nano_tui.contract import LISTED_ENDS
from tests.processes import NANO_TUI, clean_env
from tests.trajectory.builders import typical_run, write_sidecar
from tests.ui.runlogs import assistant, tool, write_run

LOGS = Path(__file__).resolve().parents[1] / "fixtures" / "nano_logs"
HARBOR = "harbor==0.26.0"
#: Where the test's Harbor install is kept between runs (read before the tests give each its HOME).
CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "nano-tui-tests"
PYENV = Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv")
KEY = "sk-proj-" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6"


def export(*args: str, cache: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([NANO_TUI, "export", *args, "--format", "atif"], capture_output=True, text=True,
                          env=clean_env(XDG_CACHE_HOME=str(cache)), timeout=120)


def read(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def runs_folder(root: Path) -> Path:
    """Every nano era, and a nano-tui run whose sidecar recorded times and token usage."""
    shutil.copytree(LOGS, root)
    write_sidecar(typical_run("5.0").write(root / "nano-tui"))
    return root


def test_a_folder_of_runs_becomes_a_harbor_job_with_a_trial_per_run(tmp_path: Path) -> None:
    source = runs_folder(tmp_path / "rollouts")
    done = export(str(source), "-o", str(tmp_path / "jobs"), cache=tmp_path / "cache")
    assert done.returncode == 0, done.stderr
    job = tmp_path / "jobs" / "rollouts"
    runs = sorted(path.parent for path in source.rglob("messages.jsonl"))
    assert f"{len(runs)} runs written as the Harbor job {job}" in done.stderr
    assert f"harbor view {tmp_path / 'jobs'}" in done.stderr
    assert sorted(os.listdir(tmp_path / "jobs")) == ["rollouts"]  # nothing half-made left beside it

    trials = {read(path.parent / "result.json")["agent_result"]["metadata"]["path"]: path.parent
              for path in job.glob("*/config.json")}
    assert sorted(trials) == [str(run) for run in runs]
    for run, trial in trials.items():
        single = subprocess.run([NANO_TUI, "export", run, "--format", "atif"], capture_output=True,
                                env=clean_env(), timeout=60).stdout
        assert (trial / "agent" / "trajectory.json").read_bytes() == single
        atif.Trajectory.model_validate_json(single)
        result, config = read(trial / "result.json"), read(trial / "config.json")
        assert result["trial_name"] == trial.name == config["trial_name"]
        assert result["config"] == config and config["job_id"] == read(job / "result.json")["id"]
        assert result["agent_info"]["model_info"] == {"name": "scripted-model", "provider": "openai"} \
            or "/nano-tui/" in run

    [tui] = [read(trial / "result.json") for run, trial in trials.items() if "/nano-tui/" in run]
    assert tui["agent_result"]["n_input_tokens"] == 100 and tui["agent_result"]["n_output_tokens"] == 20
    assert tui["started_at"].startswith("2023-11-14T22:13:20") and tui["finished_at"] > tui["started_at"]
    assert tui["agent_info"] == {"name": "nano-agent", "version": tui["agent_info"]["version"],
                                 "model_info": {"name": "test-model", "provider": "openai"}}
    era = read(trials[str(runs[0])] / "result.json")
    assert "started_at" not in era and "n_input_tokens" not in era["agent_result"]  # the log has neither

    crashed = [result for result in map(read, job.glob("*/result.json"))
               if result["agent_result"]["metadata"]["end"] in ("crashed", "error")]
    assert crashed and all(result["exception_info"]["exception_type"] in ("RunCrashed", "RunError")
                           for result in crashed)
    totals = read(job / "result.json")
    assert totals["n_total_trials"] == len(runs) and totals["stats"]["n_errored_trials"] == len(crashed)
    assert totals["stats"]["n_input_tokens"] == 100
    assert {agent["model_name"] for agent in read(job / "config.json")["agents"]} == \
        {"openai/scripted-model", "openai/test-model"}


def test_exporting_again_replaces_the_job_and_another_folder_is_never_overwritten(tmp_path: Path) -> None:
    source = runs_folder(tmp_path / "rollouts")
    jobs = tmp_path / "jobs"
    assert export(str(source), "-o", str(jobs), cache=tmp_path / "cache").returncode == 0
    shutil.rmtree(source / "5.0.0")
    again = export(str(source), "-o", str(jobs), "--only", "finished", cache=tmp_path / "cache")
    assert again.returncode == 0, again.stderr
    assert "left out by the filters" in again.stderr
    assert not any("5.0.0" in trial.name for trial in (jobs / "rollouts").iterdir())
    assert all(read(path)["agent_result"]["metadata"]["end"] == "finished"
               for path in (jobs / "rollouts").glob("*/result.json"))
    assert sorted(os.listdir(jobs)) == ["rollouts"]

    theirs = tmp_path / "theirs"
    (theirs / "rollouts").mkdir(parents=True)
    (theirs / "rollouts" / "notes.txt").write_text("mine")
    refused = export(str(source), "-o", str(theirs), cache=tmp_path / "cache")
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "was not written by nano-tui" in refused.stderr
    assert os.listdir(theirs) == ["rollouts"] and os.listdir(theirs / "rollouts") == ["notes.txt"]

    no_output = export(str(source), cache=tmp_path / "cache")
    assert no_output.returncode == 1 and "-o OUTDIR" in no_output.stderr and not no_output.stdout


def test_a_run_that_cannot_be_read_is_a_failed_trial_that_says_why(tmp_path: Path) -> None:
    shutil.copytree(LOGS / "5.0.0" / "normal", tmp_path / "runs")
    (tmp_path / "runs" / "torn").mkdir()
    (tmp_path / "runs" / "torn" / "messages.jsonl").write_bytes(b"garbage\n\x00\x01\n")
    done = export(str(tmp_path / "runs"), "-o", str(tmp_path / "jobs"), cache=tmp_path / "cache")
    assert done.returncode == 0 and "Traceback" not in done.stderr
    assert f"{tmp_path / 'runs' / 'torn'}: no trajectory written (no readable message" in done.stderr
    torn = tmp_path / "jobs" / "runs" / "torn"
    assert not (torn / "agent" / "trajectory.json").exists()
    failure = read(torn / "result.json")["exception_info"]
    assert failure["exception_type"] == "RunCrashed" and "no readable message" in failure["exception_message"]
    assert read(tmp_path / "jobs" / "runs" / "result.json")["stats"]["n_errored_trials"] == 1


def test_secrets_are_kept_out_of_every_file_of_the_job(tmp_path: Path) -> None:
    write_run(tmp_path / "runs" / "leaky", [
        {"role": "user", "content": f"Deploy with OPENAI_API_KEY={KEY}"},
        assistant(None, [("call_1", "shell", {"cmd": "env"})]),
        tool("call_1", f"OPENAI_API_KEY={KEY}\nHOME=/root"),
        assistant("Deployed."),
    ])
    done = export(str(tmp_path / "runs"), "-o", str(tmp_path / "jobs"), cache=tmp_path / "cache")
    assert done.returncode == 0, done.stderr
    written = [path for path in (tmp_path / "jobs").rglob("*") if path.is_file()]
    assert len(written) == 6 and not any(KEY in path.read_text() for path in written)
    assert "[REDACTED:" in (tmp_path / "jobs" / "runs" / "leaky" / "agent" / "trajectory.json").read_text()
    assert f"{tmp_path / 'runs' / 'leaky'}: redacted" in done.stderr
    kept = export(str(tmp_path / "runs"), "-o", str(tmp_path / "jobs"), "--no-redact",
                  cache=tmp_path / "cache")
    assert kept.returncode == 0 and KEY in (tmp_path / "jobs" / "runs" / "leaky" / "result.json").read_text()


def _python312() -> str | None:
    pyenv = sorted(glob.glob(str(PYENV / "versions" / "3.12*" / "bin" / "python3.12")))
    candidates = [shutil.which("python3.12"), *pyenv]
    for candidate in filter(None, candidates):
        probe = subprocess.run([candidate, "-c", "import sys; assert sys.version_info >= (3, 12)"],
                               capture_output=True, timeout=60)
        if probe.returncode == 0:
            return candidate
    return None


@pytest.fixture(scope="module")
def harbor() -> Path:
    """Harbor's command, installed once into a venv of its own (it needs Python 3.12)."""
    venv = CACHE / HARBOR.replace("==", "-")
    done = venv / "installed"  # written last: a venv without it was cut short
    if done.exists():
        return venv / "bin" / "harbor"
    python = _python312()
    if python is None:
        pytest.skip("Harbor needs Python 3.12, which this machine does not have")
    shutil.rmtree(venv, ignore_errors=True)
    subprocess.run([python, "-m", "venv", str(venv)], check=True, timeout=300)
    install = subprocess.run([str(venv / "bin" / "pip"), "install", "-q", HARBOR], capture_output=True,
                             text=True, timeout=1200)
    if install.returncode != 0:
        pytest.skip(f"could not install {HARBOR}: {install.stderr.strip().splitlines()[-1:]}")
    done.write_text(HARBOR)
    return venv / "bin" / "harbor"


def _get(url: str) -> object:
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.load(response)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_harbor_view_lists_the_job_its_trials_and_their_trajectories(tmp_path: Path, harbor: Path) -> None:
    source = runs_folder(tmp_path / "rollouts")
    assert export(str(source), "-o", str(tmp_path / "jobs"), cache=tmp_path / "cache").returncode == 0
    port = _free_port()
    log = (tmp_path / "viewer.log").open("w")
    viewer = subprocess.Popen([str(harbor), "view", str(tmp_path / "jobs"), "--host", "127.0.0.1",
                               "--port", str(port), "--no-build"], stdout=log, stderr=subprocess.STDOUT,
                              env=clean_env())
    base = f"http://127.0.0.1:{port}/api"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                _get(f"{base}/health")
                break
            except OSError:
                assert viewer.poll() is None and time.monotonic() < deadline, \
                    (tmp_path / "viewer.log").read_text()
                time.sleep(0.2)
        [job] = _get(f"{base}/jobs")["items"]
        runs = sorted(source.rglob("messages.jsonl"))
        assert job["name"] == "rollouts" and job["n_total_trials"] == len(runs)
        assert job["agents"] == ["nano-agent"] and job["models"] == ["scripted-model", "test-model"]
        trials = _get(f"{base}/jobs/rollouts/trials")["items"]
        assert sorted(trial["name"] for trial in trials) == sorted(path.name for path in
                                                                    (tmp_path / "jobs" / "rollouts").iterdir()
                                                                    if path.is_dir())
        assert {trial["error_type"] for trial in trials} >= {None, "RunCrashed"}
        for trial in trials:
            detail = _get(f"{base}/jobs/rollouts/trials/{trial['name']}")
            steps = _get(f"{base}/jobs/rollouts/trials/{trial['name']}/trajectory")["steps"]
            written = read(tmp_path / "jobs" / "rollouts" / trial["name"] / "agent" / "trajectory.json")
            assert detail["trial_name"] == trial["name"] and steps == written["steps"]
            assert detail["agent_result"]["metadata"]["end"] in LISTED_ENDS  # its result.json, not a stand-in
        assert "Failed to parse" not in (tmp_path / "viewer.log").read_text()
    finally:
        viewer.terminate()
        viewer.wait(timeout=30)
        log.close()
