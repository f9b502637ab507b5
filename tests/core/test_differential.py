"""nano-agent 5.0.0 and nano_tui.Agent, given nano's prompt and tools and the same model replies on two
identical repositories, must write the same messages.jsonl, diff.txt, tools.json, metadata.json and
stats.json — streamed or not."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nano_tui.core.agent import Agent
from tests.core.conftest import clone, read_jsonl
from tests.openai_server import Call, OpenAIServer, Reply

MODEL = "openai/scripted-model"


def exploring_and_fixing() -> list[Reply]:
    """Every reply string of the tools, a nudge, several calls per message and the call-budget warnings."""
    return [
        Reply(
            reasoning="Start by looking around.",
            content="Let me look.",
            tool_calls=[Call("shell", {"cmd": "ls"})],
        ),
        Reply(content="I think it is fine."),  # no tool calls on a clean repo: the nudge
        Reply(
            tool_calls=[
                Call("shell", {"cmd": "cat app.py"}),
                Call("shell", {"cmd": "echo oops >&2; exit 3"}),
                Call("shell", {"cmd": "true"}),
                Call("shell", {}),
            ]
        ),
        Reply(tool_calls=[Call("shell", '{"cmd": "ls"')]),  # malformed JSON
        Reply(tool_calls=[Call("browse", {"url": "https://example.com"})]),  # a tool nano never offered
        Reply(tool_calls=[Call("shell", {"cmd": "seq 1 3000"})]),  # truncated output
        Reply(
            tool_calls=[
                Call("apply_patch", {"file": "app.py", "search": "nothing like this", "replace": "x"}),
                Call("apply_patch", {"file": "app.py", "search": "b", "replace": "c"}),
                Call("apply_patch", {"file": "missing.py", "search": "a", "replace": "b"}),
                Call("apply_patch", {"file": "app.py"}),
            ]
        ),
        Reply(
            reasoning="The operator is wrong.",
            tool_calls=[
                Call("apply_patch", {"file": "app.py", "search": "return a - b", "replace": "return a + b"})
            ],
        ),
        Reply(tool_calls=[Call("shell", {"cmd": "git diff --stat"}), Call("shell", {"cmd": "echo checked"})]),
        Reply(content="Fixed: `add` subtracted instead of adding."),
    ]


def running_out_of_tokens() -> list[Reply]:
    """Large outputs against a small token budget: the token warnings, then the token limit."""
    return [
        Reply(content=f"Reading part {n}.", tool_calls=[Call("shell", {"cmd": f"seq {n} 3000"})])
        for n in range(1, 12)
    ]


SCENARIOS = {
    "explore-and-fix": (exploring_and_fixing, {"token_limit": 32768, "tool_limit": 16}),
    "token-budget": (running_out_of_tokens, {"token_limit": 4000, "tool_limit": 50}),
}


@pytest.mark.parametrize("stream", [True, False], ids=["streamed", "whole"])
@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_same_log_as_nano(
    scenario: str, stream: bool, git_repo: Path, tmp_path: Path, isolated_home: Path, openai_key: None
) -> None:
    from nano.agent import SYSTEM_PROMPT
    from nano.agent import Agent as NanoAgent
    from nano.tools import PATCH_TOOL, SHELL_TOOL

    make_replies, limits = SCENARIOS[scenario]
    settings = dict(model=MODEL, time_limit=300, response_limit=4096, temperature=0.7, top_p=0.95, **limits)
    nano_repo, our_repo = git_repo, clone(git_repo, tmp_path / "ours")

    with OpenAIServer(make_replies()) as server:
        nano = NanoAgent(api_base=server.url, **settings)
        nano_diff = nano.run("Fix the bug in app.py", nano_repo)
        nano_requests = server.requests
    with OpenAIServer(make_replies()) as server:
        ours = Agent(
            api_base=server.url,
            system_prompt=SYSTEM_PROMPT,
            tools=[SHELL_TOOL, PATCH_TOOL],
            log_dir=tmp_path / "our-logs",
            stream=stream,
            **settings,
        )
        our_diff = ours.run("Fix the bug in app.py", our_repo)
        our_requests = server.requests

    nano_dir = next((isolated_home / ".nano").iterdir())
    our_dir = ours.run_dir
    assert our_dir is not None and our_dir.parent == tmp_path / "our-logs"

    nano_lines, our_lines = read_jsonl(nano_dir / "messages.jsonl"), read_jsonl(our_dir / "messages.jsonl")
    assert len(our_lines) == len(nano_lines)
    for index, (theirs, mine) in enumerate(zip(nano_lines, our_lines, strict=True)):
        assert mine == theirs, f"messages.jsonl line {index + 1} differs"
    assert our_diff == nano_diff
    assert (our_dir / "diff.txt").read_text() == (nano_dir / "diff.txt").read_text()
    assert (our_dir / "tools.json").read_text() == (nano_dir / "tools.json").read_text()
    # metadata.json: same keys in the same order and the same values, apart from each server's port
    nano_meta, our_meta = (json.loads((d / "metadata.json").read_text()) for d in (nano_dir, our_dir))
    assert list(our_meta) == list(nano_meta)
    assert our_meta.pop("api_base").rsplit(":", 1)[0] == nano_meta.pop("api_base").rsplit(":", 1)[0]
    assert our_meta == nano_meta
    assert json.loads((our_dir / "stats.json").read_text()) == json.loads(
        (nano_dir / "stats.json").read_text()
    )
    # the model was asked the same things, apart from how the reply is delivered
    assert len(our_requests) == len(nano_requests)
    for theirs, mine in zip(nano_requests, our_requests, strict=True):
        for key in ("stream", "stream_options"):
            mine.pop(key, None)
            theirs.pop(key, None)
        assert mine == theirs

    if scenario == "explore-and-fix":
        assert ours.end_reason == "finished"
        contents = [line["content"] for line in our_lines if line["role"] == "tool"]
        assert "command failed with exit code 3. Error output:\noops" in contents
        assert any(c.startswith("Malformed tool arguments JSON: ") for c in contents)
        assert "unknown tool: browse" in contents
        assert any(c.endswith("... output truncated") for c in contents)
        assert any("tools left. Prioritize essential changes." in c for c in contents)
        assert "search ambiguous: 2 matches - add more context to make search unique" in "\n".join(contents)
        assert "+    return a + b" in our_diff
    else:
        assert ours.end_reason == "token limit"
        contents = "\n".join(line["content"] for line in our_lines if line["role"] == "tool")
        assert "Tokens low. Focus on the main issue only." in contents
        assert "Token limit critical! Apply your best fix now." in contents
