"""Stopping and stepping a run from another thread, as the UI does."""

from __future__ import annotations

import queue
import threading
import time
from pathlib import Path
from typing import Any

from nano_tui.core.agent import Agent
from nano_tui.core.control import RunControl
from nano_tui.core.events import (
    Event,
    MessageLogged,
    Paused,
    Resumed,
    RunEnded,
    TextDelta,
    ToolFinished,
    ToolStarted,
)
from nano_tui.core.tools import SKIPPED_REPLY
from tests.core.conftest import read_jsonl
from tests.core.test_tools import _is_sleep, _pids, _wait_for
from tests.openai_server import Call, OpenAIServer, Reply


class Background:
    """Runs an agent on a thread and hands its events to the test thread through a queue."""

    def __init__(self, replies: list[Reply], repo: Path, control: RunControl, **options: Any):
        self.events: queue.Queue[Event] = queue.Queue()
        self.server = OpenAIServer(replies).__enter__()
        self.agent = Agent(
            model="openai/m",
            api_base=self.server.url,
            api_key="k",
            control=control,
            on_event=self.events.put,
            log_dir=repo.parent / "logs",
            retry_backoff=0,
            **options,
        )
        self.thread = threading.Thread(target=self.agent.run, args=("task", repo), daemon=True)
        self.thread.start()

    def next(self, kind: type, timeout: float = 15.0) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                event = self.events.get(timeout=0.1)
            except queue.Empty:
                continue
            if isinstance(event, kind):
                return event
        raise AssertionError(f"no {kind.__name__} within {timeout}s")

    def finish(self, timeout: float = 15.0) -> RunEnded:
        ended = self.next(RunEnded, timeout)
        self.thread.join(timeout)
        self.server.__exit__()
        return ended


def test_stop_kills_a_running_command_and_its_children(git_repo: Path) -> None:
    control = RunControl()
    cmd = "sleep 41.25 & sleep 41.25; wait"
    run = Background([Reply(tool_calls=[Call("shell", {"cmd": cmd})])], git_repo, control)
    run.next(ToolStarted)
    assert _wait_for(lambda: sum(_is_sleep(pid, "41.25") for pid in _pids()) == 2)
    started = time.monotonic()
    control.stop()
    ended = run.finish()
    assert time.monotonic() - started < 5
    assert ended.reason == "stopped" and ended.error is None
    assert _wait_for(lambda: not any(_is_sleep(pid, "41.25") for pid in _pids()), timeout=3)
    run_dir = run.agent.run_dir
    # the call that was interrupted stays unanswered, as in a crashed nano run; everything else is written
    assert [m["role"] for m in read_jsonl(run_dir / "messages.jsonl")] == ["system", "user", "assistant"]
    assert read_jsonl(run_dir / "nano-tui.jsonl")[-1]["reason"] == "stopped"
    assert (run_dir / "diff.txt").exists() and (run_dir / "stats.json").exists()


def test_stop_between_stream_chunks(git_repo: Path) -> None:
    control = RunControl()
    slow = Reply(content="word " * 200, chunk_delay=0.05)
    run = Background([slow], git_repo, control)
    run.next(TextDelta)
    control.stop()
    ended = run.finish(timeout=5)
    assert ended.reason == "stopped"
    assert len(read_jsonl(run.agent.run_dir / "messages.jsonl")) == 2  # a half reply is never logged


def test_stop_while_the_model_has_not_answered_yet(git_repo: Path) -> None:
    control = RunControl()
    run = Background([Reply(content="late", delay=20)], git_repo, control)
    run.next(MessageLogged)
    time.sleep(0.2)  # let the request reach the server
    started = time.monotonic()
    control.stop()
    assert run.finish(timeout=5).reason == "stopped"
    assert time.monotonic() - started < 3


def test_step_mode_pauses_and_obeys_resume_skip_and_run_freely(git_repo: Path) -> None:
    control = RunControl(step=True)
    fix = Call("apply_patch", {"file": "app.py", "search": "a - b", "replace": "a + b"})
    replies = [
        Reply(tool_calls=[Call("shell", {"cmd": "rm app.py"}), fix]),
        Reply(tool_calls=[Call("shell", {"cmd": "ls"})]),
        Reply(content="done"),
    ]
    run = Background(replies, git_repo, control)
    assert run.next(Paused).before == "model"
    assert run.events.empty()
    control.resume()
    paused = run.next(Paused)
    assert paused.before == "tool" and paused.call_id == "call_0001"
    control.skip()
    skipped = run.next(ToolFinished)
    assert (skipped.state, skipped.output) == ("skipped", SKIPPED_REPLY)
    assert run.next(Paused).before == "tool"
    control.resume()
    assert run.next(ToolFinished).output == "patch applied successfully"
    assert run.next(Paused).before == "model"
    control.run_freely()
    ended = run.finish()
    assert ended.reason == "finished"
    assert (git_repo / "app.py").exists()  # the skipped `rm` never ran
    assert control.step is False
    assert run.agent.messages[3] == {"role": "tool", "content": SKIPPED_REPLY, "tool_call_id": "call_0001"}


def test_stop_while_paused(git_repo: Path) -> None:
    control = RunControl(step=True)
    run = Background([Reply(content="never")], git_repo, control)
    run.next(Paused)
    control.stop()
    assert run.finish(timeout=5).reason == "stopped"


def test_time_paused_by_the_user_is_not_the_agents_time(git_repo: Path) -> None:
    """A teacher talks through a step for longer than the whole time limit: the run goes on, and
    the time spent paused is reported, not charged to the agent."""
    control = RunControl(step=True)
    fix = Call("apply_patch", {"file": "app.py", "search": "a - b", "replace": "a + b"})
    run = Background([Reply(tool_calls=[fix]), Reply(content="done")], git_repo, control, time_limit=2)
    run.next(Paused)
    control.resume()
    assert run.next(Paused).before == "tool"
    paused_at = time.monotonic()
    assert _wait_for(lambda: time.monotonic() - paused_at > 2.5, timeout=5)
    control.resume()
    resumed = run.next(Resumed)
    assert resumed.paused >= 2.5
    run.next(Paused)
    control.run_freely()
    ended = run.finish()
    assert ended.reason == "finished", "paused time counted against --time-limit"
    assert control.paused_seconds >= 2.5
    records = read_jsonl(run.agent.run_dir / "nano-tui.jsonl")
    assert sum(r["paused"] for r in records if r["event"] == "resumed") >= 2.5
    turn = next(r for r in records if r["event"] == "turn_ended" and r["turn"] == 1)
    assert turn["duration"] < 1.0, "a turn's duration is the agent's time, pauses left out"


def test_a_held_pause_goes_on_by_itself_and_a_key_ends_it_sooner():
    """demo --present's pace: step mode whose pauses end after ``hold`` seconds unless the user acts."""
    control = RunControl(step=True, hold=0.2)
    paused: list[float] = []
    assert control.checkpoint(lambda: None, paused.append) == "go"
    assert paused and paused[0] >= 0.2 and control.paused_seconds >= 0.2, "held, counted as paused"

    control.hold = 60.0
    decided = threading.Event()
    outcome: list[str] = []

    def loop() -> None:
        outcome.append(control.checkpoint(decided.set))

    thread = threading.Thread(target=loop)
    thread.start()
    assert decided.wait(10)
    control.skip()  # the user answers long before the minute is up
    thread.join(10)
    assert outcome == ["skip"]
