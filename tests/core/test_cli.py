"""``nano-tui run`` and ``nano-tui demo`` as a user runs them: real processes, real exit codes."""

from __future__ import annotations

import json
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from nano_tui.trajectory import load
from tests.core.test_tools import _wait_for
from tests.openai_server import Call, OpenAIServer, Reply
from tests.processes import clean_env


def nano_tui(
    *args: str, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "nano_tui", *args],
        capture_output=True,
        text=True,
        env=env or clean_env(),
        timeout=timeout,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def assert_one_line_error(result: subprocess.CompletedProcess[str], fragment: str) -> None:
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("nano-tui: "), result.stderr
    assert fragment in lines[0]


def test_not_a_git_repo(tmp_path: Path) -> None:
    assert_one_line_error(nano_tui("run", "x", "--repo", str(tmp_path), "--headless"), "not a git repository")


def test_dirty_repo(git_repo: Path) -> None:
    (git_repo / "new.txt").write_text("untracked\n")
    result = nano_tui("run", "x", "--repo", str(git_repo), "--model", "openai/m", "--headless")
    assert_one_line_error(result, "uncommitted changes")


def test_no_model(git_repo: Path) -> None:
    assert_one_line_error(nano_tui("run", "x", "--repo", str(git_repo), "--headless"), "no model given")


def test_unreachable_api_base(git_repo: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/v1"
    result = nano_tui(
        "run", "x", "--repo", str(git_repo), "--model", "hosted_vllm/m", "--api-base", url, "--headless"
    )
    assert_one_line_error(result, f"cannot reach --api-base {url}")


def test_missing_key_and_unknown_model(git_repo: Path) -> None:
    result = nano_tui("run", "x", "--repo", str(git_repo), "--model", "openai/gpt-4.1-mini", "--headless")
    assert_one_line_error(result, "OPENAI_API_KEY")
    result = nano_tui("run", "x", "--repo", str(git_repo), "--model", "nonsense-model", "--headless")
    assert_one_line_error(result, "unknown model 'nonsense-model'")


def test_a_model_name_typo_is_caught_before_anything_starts(git_repo: Path, tmp_path: Path) -> None:
    """openai/gpt-4.1-mnii used to start, retry three times against the provider, then fail."""
    run = ["run", "x", "--repo", str(git_repo), "--headless", "--log-dir", str(tmp_path / "logs")]
    env = clean_env(OPENAI_API_KEY="sk-not-used")
    result = nano_tui(*run, "--model", "openai/gpt-4.1-mnii", env=env)
    assert_one_line_error(result, "unknown model 'openai/gpt-4.1-mnii'")
    assert "closest: openai/gpt-4.1-mini" in result.stderr and "--any-model" in result.stderr
    assert not (tmp_path / "logs").exists(), "nothing started"
    # a model newer than litellm's list: one flag; a local server serves whatever it loaded
    result = nano_tui(*run, "--model", "openai/gpt-4.1-mnii", "--any-model")
    assert_one_line_error(result, "needs OPENAI_API_KEY")
    with OpenAIServer([Reply(content="hi")]) as server:
        result = nano_tui(*run, "--model", "openai/my-finetune", "--api-base", server.url)
    assert "unknown model" not in result.stderr


def test_help_and_version_do_not_import_litellm() -> None:
    probe = (
        "import sys\n"
        "from nano_tui.cli import main\n"
        "for argv in (['--help'], ['--version'], ['run', '--help'], ['demo', '--help']):\n"
        "    try:\n"
        "        main(argv)\n"
        "    except SystemExit:\n"
        "        pass\n"
        "import nano_tui\n"
        "nano_tui.Agent\n"
        "print('LITELLM' if 'litellm' in sys.modules else 'CLEAN', file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60,
                            env=clean_env())
    assert result.stderr.strip().splitlines()[-1] == "CLEAN"
    assert "nano-tui" in result.stdout and "--headless" in result.stdout


def test_help_lists_every_command_and_a_command_its_own_options() -> None:
    overview = nano_tui("--help")
    assert overview.returncode == 0
    for command in ("run", "demo", "replay", "record", "export", "runs", "compare", "themes"):
        assert re.search(rf"^\s+{command}\s", overview.stdout, re.MULTILINE), command
    replay = nano_tui("replay", "--help")
    assert replay.returncode == 0 and "usage: nano-tui replay" in replay.stdout
    assert "--autoplay" in replay.stdout and "--tool-limit" not in replay.stdout
    typo = nano_tui("replya", "x")
    assert typo.returncode == 2 and "invalid choice: 'replya'" in typo.stderr and "replay" in typo.stderr
    wrong = nano_tui("replay", "--tool-limit", "3")
    assert wrong.returncode == 2 and "unrecognized arguments: --tool-limit" in wrong.stderr


def test_headless_run_prints_turns_and_escapes_control_characters(git_repo: Path, tmp_path: Path) -> None:
    fix = Call("apply_patch", {"file": "app.py", "search": "a - b", "replace": "a + b"})
    replies = [
        Reply(reasoning="Plan: fix it.", content="Patching \x1b]0;owned\x07 now.", tool_calls=[fix]),
        Reply(content="Fixed \x1b[31mred\x1b[0m [bold]."),
    ]
    with OpenAIServer(replies) as server:
        args = ["run", "fix it", "--repo", str(git_repo), "--model", "openai/m", "--api-base", server.url]
        result = nano_tui(*args, "--headless", "--log-dir", str(tmp_path / "logs"))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "\x1b" not in out and "\x07" not in out
    assert "Patching ␛]0;owned␇ now." in out, "as the panels show it"
    assert "Fixed ␛[31mred␛[0m [bold]." in out
    assert "Plan: fix it." in out and "patch applied successfully" in out
    assert "run ended: finished" in out and "+    return a + b" in out
    (run_dir,) = (tmp_path / "logs").iterdir()
    assert json.loads((run_dir / "messages.jsonl").read_text().splitlines()[-1])["content"].startswith(
        "Fixed \x1b[31m"
    )


def test_headless_provider_error_exits_1_with_one_line(git_repo: Path, tmp_path: Path) -> None:
    with OpenAIServer([Reply(status=401, error="bad key")]) as server:
        args = [
            "run",
            "x",
            "--repo",
            str(git_repo),
            "--model",
            "openai/m",
            "--api-base",
            server.url,
            "--headless",
        ]
        result = nano_tui(*args, "--log-dir", str(tmp_path / "logs"))
    assert_one_line_error(result, "the run failed: AuthenticationError")
    assert "run ended: error" in result.stdout


def test_a_model_that_never_answers_ends_at_the_time_limit(git_repo: Path, tmp_path: Path) -> None:
    with OpenAIServer([Reply(hang=True)]) as server:
        result = nano_tui("run", "x", "--repo", str(git_repo), "--model", "openai/m", "--api-base",
                          server.url, "--headless", "--time-limit", "3", "--log-dir", str(tmp_path / "logs"),
                          timeout=60)
    assert result.returncode == 0, result.stderr
    assert "run ended: time limit" in result.stdout and "Traceback" not in result.stderr
    assert "the run's time ran out 3 s into a model call" in result.stdout
    (run_dir,) = (tmp_path / "logs").iterdir()
    assert load(run_dir).info.end_reason == "time limit"


@pytest.mark.parametrize("flag", ["--request-timeout", "--stall-timeout"])
@pytest.mark.parametrize("value", ["0", "-1", "nan", "inf"])
def test_timeouts_must_be_seconds_above_zero(git_repo: Path, flag: str, value: str) -> None:
    result = nano_tui("run", "x", "--repo", str(git_repo), "--model", "openai/m", flag, value)
    assert_one_line_error(result, f"{flag} must be a number of seconds above 0, not {float(value):g}")


def test_demo_headless_fixes_the_bug(tmp_path: Path) -> None:
    result = nano_tui("demo", "--headless", "--speed", "0", "--log-dir", str(tmp_path / "logs"))
    assert result.returncode == 0, result.stderr
    assert "run ended: finished" in result.stdout
    copy = Path(re.search(r"sample repository copied to (\S+)", result.stdout).group(1))
    tests = subprocess.run([sys.executable, "-B", "-m", "unittest"], cwd=copy, capture_output=True, text=True)
    assert tests.returncode == 0, tests.stderr
    assert "-    return (ordered[middle] + ordered[middle + 1]) / 2" in result.stdout
    (run_dir,) = (tmp_path / "logs").iterdir()
    runs = [call for turn in load(run_dir) for call in turn.tool_calls if "unittest" in call.summary]
    assert [call.status for call in runs] == ["failed", "ok"], "the failing test run is shown failing"
    assert (run_dir / "diff.txt").read_text() == subprocess.run(
        ["git", "-C", str(copy), "diff"], capture_output=True, text=True
    ).stdout


@pytest.mark.parametrize("moment", ["streaming", "running a command"])
def test_sigkill_mid_turn_leaves_parseable_logs(moment: str, git_repo: Path, tmp_path: Path) -> None:
    first = Reply(content="Looking.", tool_calls=[Call("shell", {"cmd": "echo one"})])
    if moment == "streaming":
        second = Reply(content="thinking out loud " * 100, chunk_delay=0.05)
    else:
        second = Reply(tool_calls=[Call("shell", {"cmd": "sleep 8"})])
    logs = tmp_path / "logs"
    with OpenAIServer([first, second]) as server:
        args = ["run", "x", "--repo", str(git_repo), "--model", "openai/m", "--api-base", server.url]
        process = subprocess.Popen(
            [sys.executable, "-m", "nano_tui", *args, "--headless", "--log-dir", str(logs)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=clean_env(),
        )
        try:
            def sidecar_text() -> str:
                """The sidecar so far; the run folder exists a moment before its files do."""
                runs = list(logs.iterdir()) if logs.exists() else []
                sidecar = runs[0] / "nano-tui.jsonl" if runs else None
                return sidecar.read_text() if sidecar is not None and sidecar.is_file() else ""

            wanted = '"event": "tool_started"' if moment != "streaming" else '"event": "turn_ended"'
            count = 2 if moment != "streaming" else 1
            assert _wait_for(lambda: sidecar_text().count(wanted) >= count, timeout=60)
            time.sleep(0.3)
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=10)
        finally:
            process.kill()
    run_dir = next(logs.iterdir())
    messages = [json.loads(line) for line in (run_dir / "messages.jsonl").read_text().splitlines()]
    records = [json.loads(line) for line in (run_dir / "nano-tui.jsonl").read_text().splitlines()]
    assert [m["role"] for m in messages][:4] == ["system", "user", "assistant", "tool"]
    assert records[0]["event"] == "run_started" and records[-1]["event"] != "run_ended"
    assert (run_dir / "diff.txt").read_text() == ""  # like nano: only a run that ended writes it


def test_without_a_terminal_a_run_is_headless(tmp_path: Path) -> None:
    """``nano-tui demo > out.txt`` used to start the full screen and fill the file with escape codes."""
    result = nano_tui("demo", "--speed", "0", "--log-dir", str(tmp_path / "logs"))
    assert result.returncode == 0, result.stderr
    assert "not a terminal: running as --headless" in result.stderr
    assert "run ended: finished" in result.stdout and "\x1b[" not in result.stdout
    result = nano_tui("demo", "--step", "--speed", "0", "--log-dir", str(tmp_path / "logs"))
    assert_one_line_error(result, "--step needs a terminal")


@pytest.mark.parametrize(("flags", "fragment"), [
    (["--backend", "docker"], "--backend docker needs --image IMAGE"),
    (["--backend", "apptainer", "--image", "x.sif"], "apptainer is not installed here"),
    (["--backend", "local", "--image", "python:3.12"], "--image is for --backend docker or apptainer"),
])
def test_backend_problems_are_one_line_before_anything_starts(flags: list[str], fragment: str,
                                                              git_repo: Path, tmp_path: Path) -> None:
    result = nano_tui("run", "x", "--repo", str(git_repo), "--model", "openai/gpt-4.1-mini", "--headless",
                      "--log-dir", str(tmp_path / "logs"), *flags, env=clean_env(OPENAI_API_KEY="sk-unused"))
    assert_one_line_error(result, fragment)
    assert not (tmp_path / "logs").exists()


def test_without_bubblewrap_the_shell_runs_local_with_a_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    from nano_tui.core.shell import sandbox
    from nano_tui.core.shell.backends import default_spec

    monkeypatch.setattr(sandbox.shutil, "which", lambda name: None)
    sandbox.bubblewrap_problem.cache_clear()
    try:
        spec, warning = default_spec()
    finally:
        sandbox.bubblewrap_problem.cache_clear()
    assert spec.name == "local"
    assert warning and "not confined" in warning and "apt-get install bubblewrap" in warning
