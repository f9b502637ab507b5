"""Provider failures end the run with reason "error" and one readable line; nothing written is lost."""

from __future__ import annotations

import socket
from pathlib import Path

from nano_tui.core.events import Retrying, RunEnded
from tests.core.conftest import read_jsonl, run_agent
from tests.openai_server import Call, Reply


def assert_ended_with_error(agent, recorder, fragment: str) -> None:  # type: ignore[no-untyped-def]
    assert agent.end_reason == "error"
    assert fragment in agent.error and "\n" not in agent.error
    ended = recorder.events[-1]
    assert isinstance(ended, RunEnded) and ended.reason == "error" and ended.error == agent.error
    records = read_jsonl(agent.run_dir / "nano-tui.jsonl")
    assert records[-1]["event"] == "run_ended" and records[-1]["error"] == agent.error


def test_server_error_is_retried_then_ends_the_run(git_repo: Path) -> None:
    agent, recorder, _, server = run_agent([Reply(status=500, error="overloaded")] * 5, git_repo, retries=2)
    assert_ended_with_error(agent, recorder, "InternalServerError")
    assert "overloaded" in agent.error
    assert len(server.requests) == 3
    assert [e.attempt for e in recorder.of(Retrying)] == [1, 2]
    assert [r["event"] for r in read_jsonl(agent.run_dir / "nano-tui.jsonl")].count("retrying") == 2


def test_rate_limit_recovers_after_a_retry(git_repo: Path) -> None:
    fix = Call("apply_patch", {"file": "app.py", "search": "a - b", "replace": "a + b"})
    replies = [Reply(status=429, error="slow down"), Reply(tool_calls=[fix]), Reply(content="done")]
    agent, recorder, diff, _ = run_agent(replies, git_repo)
    assert agent.end_reason == "finished" and "a + b" in diff
    (retry,) = recorder.of(Retrying)
    assert "RateLimitError" in retry.error


def test_bad_key_is_not_retried(git_repo: Path) -> None:
    agent, recorder, _, server = run_agent([Reply(status=401, error="invalid api key")] * 3, git_repo)
    assert_ended_with_error(agent, recorder, "AuthenticationError")
    assert len(server.requests) == 1 and not recorder.of(Retrying)


def test_connection_refused(git_repo: Path, tmp_path: Path) -> None:
    from nano_tui.core.agent import Agent
    from tests.core.conftest import Recorder

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    recorder = Recorder()
    agent = Agent(model="openai/m", api_base=f"http://127.0.0.1:{port}/v1", api_key="k", on_event=recorder,
                  retries=1, retry_backoff=0, log_dir=tmp_path / "logs")  # fmt: skip
    agent.run("task", git_repo)
    assert_ended_with_error(agent, recorder, "APIConnectionError")
    assert len(recorder.of(Retrying)) == 1


def test_slow_server_times_out(git_repo: Path) -> None:
    agent, recorder, _, server = run_agent(
        [Reply(content="late", delay=3)] * 2, git_repo, retries=0, request_timeout=0.5
    )
    assert_ended_with_error(agent, recorder, "Timeout")
    assert len(server.requests) == 1


def test_cut_stream_ends_the_run_and_keeps_earlier_messages(git_repo: Path) -> None:
    replies = [
        Reply(tool_calls=[Call("shell", {"cmd": "echo hi"})]),
        Reply(content="a long answer " * 20, cut_after=4),
    ]
    agent, recorder, _, _ = run_agent(replies, git_repo)
    assert_ended_with_error(agent, recorder, "connection cut")
    assert [m["role"] for m in read_jsonl(agent.run_dir / "messages.jsonl")] == [
        "system",
        "user",
        "assistant",
        "tool",
    ]
    assert (agent.run_dir / "diff.txt").read_text() == ""
    assert not recorder.of(Retrying)  # text had already been shown: no silent second attempt
