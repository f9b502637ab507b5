"""The loop against the real local OpenAI server: events, the run folder, nudges, limits, handlers."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from nano_tui.core.agent import NUDGE, Agent
from nano_tui.core.events import (
    MessageLogged,
    PatchApplied,
    RunEnded,
    RunStarted,
    TextDelta,
    ThinkingDelta,
    ToolCallDelta,
    ToolFinished,
    ToolStarted,
    TurnEnded,
)
from nano_tui.errors import UserError
from tests.conftest import git
from tests.core.conftest import read_jsonl, run_agent
from tests.openai_server import Call, Reply

FIX = Call("apply_patch", {"file": "app.py", "search": "return a - b", "replace": "return a + b"})


def fixing_replies() -> list[Reply]:
    return [
        Reply(
            reasoning="Look first.",
            content="Reading app.py.",
            tool_calls=[Call("shell", {"cmd": "cat app.py"})],
        ),
        Reply(content="Fixing the operator.", tool_calls=[FIX]),
        Reply(content="Done: add now adds."),
    ]


@pytest.mark.parametrize("stream", [True, False], ids=["streamed", "whole"])
def test_events_tell_the_whole_run_in_order(stream: bool, git_repo: Path) -> None:
    agent, recorder, diff, _ = run_agent(fixing_replies(), git_repo, stream=stream)

    assert agent.end_reason == "finished" and agent.error is None
    assert "+    return a + b" in diff
    names = [n for n in recorder.names() if not n.endswith("Delta")]
    assert names == [
        "RunStarted", "MessageLogged", "MessageLogged",
        "ModelCallStarted", "MessageLogged", "ToolStarted", "MessageLogged", "ToolFinished", "TurnEnded",
        "ModelCallStarted", "MessageLogged", "ToolStarted", "MessageLogged", "ToolFinished", "PatchApplied",
        "TurnEnded",
        "ModelCallStarted", "MessageLogged", "TurnEnded",
        "RunEnded",
    ]  # fmt: skip
    # the deltas add up to exactly what was logged
    first = agent.messages[2]
    assert "".join(e.text for e in recorder.of(ThinkingDelta) if e.turn == 1) == first["reasoning_content"]
    assert "".join(e.text for e in recorder.of(TextDelta) if e.turn == 1) == first["content"]
    arguments = "".join(e.arguments for e in recorder.of(ToolCallDelta) if e.turn == 2)
    assert arguments == agent.messages[4]["tool_calls"][0]["function"]["arguments"]
    # messages are reported with their line numbers and turns
    logged = recorder.of(MessageLogged)
    assert [e.index for e in logged] == list(range(len(agent.messages)))
    assert [e.turn for e in logged] == [0, 0, 1, 1, 2, 2, 3]
    finished = recorder.of(ToolFinished)
    assert [f.state for f in finished] == ["ok", "ok"]
    assert finished[1].output == "patch applied successfully"
    (patch,) = recorder.of(PatchApplied)
    assert patch.file == "app.py" and "-    return a - b\n+    return a + b\n" in patch.diff
    assert recorder.of(TurnEnded)[0].usage == {
        "prompt_tokens": 100,
        "completion_tokens": 20,
        "total_tokens": 120,
    }
    ended = recorder.events[-1]
    assert isinstance(ended, RunEnded) and ended.reason == "finished" and ended.diff == diff


def test_run_folder_holds_nano_files_and_the_sidecar(git_repo: Path) -> None:
    head = git(git_repo, "rev-parse", "HEAD").strip()
    agent, recorder, diff, _ = run_agent(fixing_replies(), git_repo)
    run_dir = agent.run_dir
    assert run_dir is not None and run_dir.name[:4].isdigit() and len(run_dir.name.rsplit("-", 1)[1]) == 8
    expected = {"messages.jsonl", "tools.json", "metadata.json", "diff.txt", "stats.json", "nano-tui.jsonl"}
    assert {p.name for p in run_dir.iterdir()} == expected
    assert read_jsonl(run_dir / "messages.jsonl") == agent.messages
    assert (run_dir / "diff.txt").read_text() == diff
    stats = json.loads((run_dir / "stats.json").read_text())
    assert stats["tool_calls_shell"] == 1 and stats["tool_success_rate_apply_patch"] == 1.0
    assert stats["shell_cmd_cat"] == 1

    records = read_jsonl(run_dir / "nano-tui.jsonl")
    assert records[0]["event"] == "run_started"
    assert records[0]["commit"] == head and records[0]["repo"] == str(git_repo.resolve())
    assert records[0]["task"] == "fix the bug" and records[0]["model"] == "openai/scripted-model"
    assert [r["index"] for r in records if r["event"] == "message"] == list(range(7))
    assert all("message" not in r for r in records)
    (patch,) = [r for r in records if r["event"] == "patch_applied"]
    assert "+    return a + b" in patch["diff"]
    assert [r["event"] for r in records].count("turn_ended") == 3
    assert records[-1]["event"] == "run_ended" and records[-1]["reason"] == "finished"
    assert records[-1]["error"] is None
    times = [r["time"] for r in records]
    assert times == sorted(times)
    assert isinstance(recorder.events[0], RunStarted) and recorder.events[0].run_dir == str(run_dir)


def test_leading_think_tags_stream_as_thinking_and_log_as_reasoning(git_repo: Path) -> None:
    replies = [
        Reply(content="<think>The minus is wrong.</think>\n\nPatching.", tool_calls=[FIX]),
        Reply(content="ok"),
    ]
    agent, recorder, _, _ = run_agent(replies, git_repo)
    assert "".join(e.text for e in recorder.of(ThinkingDelta)) == "The minus is wrong."
    assert "".join(e.text for e in recorder.of(TextDelta) if e.turn == 1) == "\n\nPatching."
    # what litellm logs for the same reply unstreamed
    assert agent.messages[2]["reasoning_content"] == "The minus is wrong."
    assert agent.messages[2]["content"] == "\n\nPatching."


def test_inline_thinking_streams_in_pieces(git_repo: Path) -> None:
    """Thinking in the text reaches the screen as it arrives, not all at once when its tag closes."""
    thought = " ".join(f"step{n}" for n in range(40))
    replies = [Reply(content=f"<thinking>{thought}</thinking>Patching.", tool_calls=[FIX], chunk_delay=0.001),
               Reply(content="ok")]
    agent, recorder, _, _ = run_agent(replies, git_repo)
    pieces = [event.text for event in recorder.of(ThinkingDelta)]
    first_text = next(n for n, event in enumerate(recorder.events) if isinstance(event, TextDelta))
    first_thought = next(n for n, event in enumerate(recorder.events) if isinstance(event, ThinkingDelta))
    assert len(pieces) > 5 and "".join(pieces) == thought and first_thought < first_text
    assert agent.messages[2]["reasoning_content"] == thought and agent.messages[2]["content"] == "Patching."


def test_answer_without_tools_on_clean_repo_is_nudged(git_repo: Path) -> None:
    agent, _, _, server = run_agent(
        [Reply(content="All good."), Reply(tool_calls=[FIX]), Reply(content="ok")], git_repo
    )
    assert agent.messages[3] == {"role": "user", "content": NUDGE}
    assert agent.end_reason == "finished"
    assert server.requests[1]["messages"][-1] == {"role": "user", "content": NUDGE}


def test_tool_limit_ends_the_run_with_warnings_on_the_way(git_repo: Path) -> None:
    replies = [Reply(tool_calls=[Call("shell", {"cmd": f"echo {n}"})]) for n in range(10)]
    agent, recorder, _, server = run_agent(replies, git_repo, tool_limit=3)
    assert agent.end_reason == "tool limit"
    tool_results = [m["content"] for m in agent.messages if m["role"] == "tool"]
    assert tool_results == [
        "3 tools left. Prioritize essential changes.\n0",
        "2 tools left. Prioritize essential changes.\n1",
        "Last tool call! Make it count.\n2",
        "3",
    ]
    assert len(server.requests) == 4  # nano allows tool_limit + 1 calls
    assert recorder.events[-1].reason == "tool limit"


def test_time_limit_ends_the_run(git_repo: Path) -> None:
    replies = [Reply(tool_calls=[Call("shell", {"cmd": "ls"})], delay=1.2)] * 3
    agent, _, _, server = run_agent(replies, git_repo, time_limit=2)
    assert agent.end_reason == "time limit"
    assert len(server.requests) == 1


def test_token_limit_ends_the_run_before_calling_the_model(git_repo: Path) -> None:
    agent, _, _, server = run_agent([Reply(content="never asked")], git_repo, token_limit=700)
    assert agent.end_reason == "token limit"
    assert server.requests == [] and len(agent.messages) == 2


def test_failing_event_handler_ends_the_run_loudly_and_completes_the_log(
    git_repo: Path, tmp_path: Path
) -> None:
    seen: list[object] = []

    def handler(event: object) -> None:
        seen.append(event)
        if isinstance(event, ToolStarted):
            raise ValueError("widget gone")

    from tests.openai_server import OpenAIServer

    with OpenAIServer(fixing_replies()) as server:
        agent = Agent(
            model="openai/m", api_base=server.url, api_key="k", on_event=handler, log_dir=tmp_path / "l"
        )
        agent.run("fix", git_repo)
    assert agent.end_reason == "error"
    assert agent.error == "event handler failed: ValueError: widget gone"
    assert isinstance(seen[-1], RunEnded) and seen[-1].error == agent.error
    records = read_jsonl(agent.run_dir / "nano-tui.jsonl")
    assert records[-1]["event"] == "run_ended" and records[-1]["reason"] == "error"


def test_no_log_writes_nothing(git_repo: Path, isolated_home: Path) -> None:
    agent, recorder, _, _ = run_agent(fixing_replies(), git_repo, log=False, log_dir=None)
    assert agent.run_dir is None and agent.end_reason == "finished"
    assert not (isolated_home / ".nano").exists()
    assert recorder.of(RunStarted)[0].run_dir is None


def test_preconditions_raise_user_errors(git_repo: Path, tmp_path: Path) -> None:
    agent = Agent(model="openai/m", log_dir=tmp_path / "logs")
    plain = tmp_path / "plain"
    plain.mkdir()
    with pytest.raises(UserError, match="not a git repository"):
        agent.run("x", plain)
    with pytest.raises(UserError, match="repository folder not found"):
        agent.run("x", tmp_path / "nowhere")
    (git_repo / "app.py").write_text("changed\n")
    with pytest.raises(UserError, match="uncommitted changes"):
        agent.run("x", git_repo)
    assert not (tmp_path / "logs").exists()


def test_one_reply_cannot_run_past_the_tool_limit(git_repo: Path) -> None:
    """30 calls in one reply with --tool-limit 4 ran all 30 (nano checks only between replies); now the
    calls past the budget are answered without running, and the run ends on the tool limit."""
    calls = [Call("shell", {"cmd": f"echo {n} >> count.txt"}) for n in range(30)]
    agent, _, _, _ = run_agent([Reply(tool_calls=calls)], git_repo, tool_limit=4)
    results = [message["content"] for message in agent.messages if message["role"] == "tool"]
    assert len(results) == 30, "every call is answered, as the chat protocol wants"
    assert sum("tool limit reached: this call was not run" in result for result in results) == 25
    assert (git_repo / "count.txt").read_text().split() == ["0", "1", "2", "3", "4"]
    assert agent.end_reason == "tool limit"
    logged = read_jsonl(agent.run_dir / "messages.jsonl")
    assert logged[-1]["content"].endswith("tool limit reached: this call was not run")
    finished = [r for r in read_jsonl(agent.run_dir / "nano-tui.jsonl") if r["event"] == "tool_finished"]
    assert [r["state"] for r in finished].count("failed") == 25


def test_one_reply_cannot_run_past_the_time_limit(git_repo: Path) -> None:
    calls = [Call("shell", {"cmd": "sleep 1"}) for _ in range(12)]
    started = time.monotonic()
    agent, _, _, _ = run_agent([Reply(tool_calls=calls)], git_repo, time_limit=4)
    assert time.monotonic() - started < 9, "12 × sleep 1 ran against --time-limit 4"
    results = [message["content"] for message in agent.messages if message["role"] == "tool"]
    assert len(results) == 12 and "time limit reached: this call was not run" in results[-1]
    assert agent.end_reason == "time limit"
