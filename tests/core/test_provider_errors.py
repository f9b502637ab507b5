"""Provider failures end the run with reason "error" and one readable line; nothing written is lost."""

from __future__ import annotations

import email.utils
import socket
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from nano_tui.core.events import Retrying, RunEnded
from nano_tui.trajectory import load
from tests.core.conftest import read_jsonl, run_agent
from tests.openai_server import Call, OpenAIServer, Reply


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


# -- what a provider asks for, and what the run's time allows -----------------------------------------


def run_within(seconds: float, replies: list[Reply], repo: Path,
               **options: Any) -> tuple[Any, Any, OpenAIServer]:
    """:func:`run_agent` on a thread; the test fails, rather than hangs, if the run outlives ``seconds``."""
    result: list[Any] = []
    worker = threading.Thread(target=lambda: result.append(run_agent(replies, repo, **options)), daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), f"the run was still going after {seconds} s"
    agent, recorder, _, server = result[0]
    assert load(agent.run_dir).info.end_reason == agent.end_reason, "the log loads and says how it ended"
    return agent, recorder, server


@pytest.mark.parametrize("header", ["seconds", "HTTP date"])
def test_retry_after_is_honoured(git_repo: Path, header: str) -> None:
    value = "2" if header == "seconds" else email.utils.formatdate(time.time() + 3, usegmt=True)
    replies = [Reply(status=429, error="slow down", headers={"Retry-After": value}), Reply(content="done")]
    _agent, recorder, server = run_within(60, replies, git_repo, retry_backoff=0.01)
    (retry,) = recorder.of(Retrying)
    assert 1 <= retry.wait <= 3, "the provider's wait, not the backoff's 0.01 s"
    assert server.times[1] - server.times[0] >= retry.wait
    assert len(server.requests) >= 2


def test_a_wait_longer_than_the_time_left_ends_the_run_at_once(git_repo: Path) -> None:
    replies = [Reply(status=429, error="slow down", headers={"Retry-After": "600"})]
    agent, recorder, server = run_within(60, replies, git_repo, time_limit=30)
    assert_ended_with_error(agent, recorder, "asks to wait 600 s before trying again; the run has")
    assert len(server.requests) == 1 and not recorder.of(Retrying)


def test_a_model_that_never_answers_ends_at_the_time_limit(git_repo: Path) -> None:
    agent, _recorder, server = run_within(60, [Reply(hang=True)], git_repo, time_limit=3)
    assert agent.end_reason == "time limit"
    assert "the run's time ran out" in agent.error and "before the reply was complete" in agent.error
    assert len(server.requests) == 1
    ended = read_jsonl(agent.run_dir / "nano-tui.jsonl")[-1]
    assert ended["event"] == "run_ended" and ended["reason"] == "time limit"


def test_a_request_timeout_tighter_than_the_time_left_is_retried(git_repo: Path) -> None:
    fix = Call("apply_patch", {"file": "app.py", "search": "a - b", "replace": "a + b"})
    replies = [Reply(hang=True), Reply(tool_calls=[fix]), Reply(content="done")]
    agent, recorder, server = run_within(60, replies, git_repo, request_timeout=1, retries=1)
    (retry,) = recorder.of(Retrying)
    assert "no complete reply within 1 s (--request-timeout)" in retry.error
    assert agent.end_reason == "finished" and len(server.requests) == 3


def test_a_slow_drip_is_cut_by_the_time_limit(git_repo: Path) -> None:
    drip = Reply(content="word " * 400, drip=0.05)
    agent, _recorder, _server = run_within(60, [drip], git_repo, time_limit=3)
    assert agent.end_reason == "time limit" and "the run's time ran out" in agent.error


def test_a_stalled_stream_is_cut(git_repo: Path) -> None:
    stalled = Reply(content="word " * 400, drip=5, drip_after=4)
    agent, recorder, _server = run_within(60, [stalled], git_repo, stall_timeout=1, time_limit=50)
    assert_ended_with_error(agent, recorder, "the reply stream stalled: nothing arrived for 1 s")


@pytest.mark.parametrize(("stream", "good_chunks"), [(False, 0), (True, 0), (True, 3)],
                         ids=["whole", "streamed", "streamed after 3 chunks"])
def test_a_reply_that_is_not_json_says_so(git_repo: Path, stream: bool, good_chunks: int) -> None:
    garbage = Reply(content="hello there", body='{"id": "x", "choices": [ {oops', garbage_after=good_chunks)
    agent, recorder, _server = run_within(60, [garbage] * 2, git_repo, stream=stream, retries=0)
    assert_ended_with_error(agent, recorder, "the server's reply is not valid JSON")
    assert "connection cut" not in agent.error
