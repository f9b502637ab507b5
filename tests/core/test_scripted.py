"""The scripted model and the bundled sample repository: the demo's bug is real and really gets fixed."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

from nano_tui.commands.demo import make_sample_repo
from nano_tui.commands.run import prepare
from nano_tui.core.agent import Agent
from nano_tui.core.events import TextDelta, ThinkingDelta
from nano_tui.errors import UserError
from tests.core.conftest import Recorder, read_jsonl
from tests.processes import clean_env

ASSISTANT_KEYS = {"content", "function_call", "provider_specific_fields", "role", "tool_calls"}


def unit_tests(repo: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-B", "-m", "unittest"], cwd=repo, capture_output=True, text=True)


def test_sample_repo_has_a_real_failing_test() -> None:
    repo = make_sample_repo()
    result = unit_tests(repo)
    assert result.returncode == 1 and "FAILED (failures=1, errors=1)" in result.stderr
    status = subprocess.run(["git", "-C", str(repo), "status", "--porcelain"], capture_output=True, text=True)
    assert status.stdout == ""  # committed, and test runs leave it clean


@pytest.mark.parametrize("stream", [True, False], ids=["streamed", "whole"])
def test_scripted_model_fixes_the_sample_repo_through_the_real_loop(stream: bool, tmp_path: Path) -> None:
    repo = make_sample_repo()
    recorder = Recorder()
    agent = Agent(model="scripted/fix-bug", log_dir=tmp_path, on_event=recorder, stream=stream)
    diff = agent.run("make the tests pass", repo)
    assert agent.end_reason == "finished"
    assert "+    return (ordered[middle - 1] + ordered[middle]) / 2" in diff
    assert unit_tests(repo).returncode == 0
    assistants = [m for m in read_jsonl(agent.run_dir / "messages.jsonl") if m["role"] == "assistant"]
    assert len(assistants) == 6
    for message in assistants:
        assert set(message) - {"reasoning_content"} == ASSISTANT_KEYS
        for call in message["tool_calls"] or []:
            assert set(call) == {"function", "id", "type"} and json.loads(call["function"]["arguments"])
    assert sum("reasoning_content" in m for m in assistants) == 4
    thinking = "".join(e.text for e in recorder.of(ThinkingDelta) if e.turn == 1)
    assert thinking == assistants[0]["reasoning_content"]
    assert "<think>" not in "".join(e.text for e in recorder.of(TextDelta))


def test_streamed_and_whole_replies_log_the_same_messages(tmp_path: Path) -> None:
    logs = []
    for stream in (True, False):
        agent = Agent(model="scripted/fix-bug", log_dir=tmp_path / str(stream), stream=stream)
        agent.run("make the tests pass", make_sample_repo())
        logs.append([m for m in read_jsonl(agent.run_dir / "messages.jsonl") if m["role"] == "assistant"])
    assert logs[0] == logs[1]  # (tool outputs name each run's own temporary folder)


def run_args(repo: Path, model: str) -> argparse.Namespace:
    from nano_tui.cli import build_parser

    return build_parser().parse_args(["run", "task", "--repo", str(repo), "--model", model])


def test_unknown_script_is_a_user_error() -> None:
    with pytest.raises(UserError, match="no scripted model 'nope'; available: fix-bug"):
        prepare(run_args(make_sample_repo(), "scripted/nope"))


def test_prepare_describes_the_run(git_repo: Path) -> None:
    spec = prepare(run_args(git_repo, "scripted/fix-bug"))
    assert spec.repo == git_repo.resolve() and spec.model == "scripted/fix-bug" and spec.task == "task"
    assert spec.agent_options["top_p"] == 0.95 and spec.agent_options["tool_limit"] == 50
    agent = spec.make_agent()
    assert agent.llm_kwargs["model"] == "scripted/fix-bug" and agent.control.step is False


def test_token_counting_never_touches_the_network() -> None:
    probe = (
        "import socket\n"
        "def refuse(*args, **kwargs):\n"
        "    raise AssertionError('network access')\n"
        "socket.getaddrinfo = refuse\n"
        "socket.socket.connect = refuse\n"
        "from nano_tui.core.llm import load_litellm\n"
        "litellm = load_litellm()\n"
        "for model in ('scripted/fix-bug', 'openai/gpt-4.1-mini', 'hosted_vllm/Qwen/Qwen3-8B',\n"
        "              'hosted_vllm/meta-llama/Llama-3.1-8B-Instruct'):\n"
        "    print(litellm.token_counter(model, messages=[{'role': 'user', 'content': 'hello there'}]))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120,
                            env=clean_env())
    assert result.returncode == 0, result.stderr
    counts = [int(line) for line in result.stdout.split()]
    assert len(counts) == 4 and all(count > 0 for count in counts)
    assert "network" not in result.stderr.lower()
