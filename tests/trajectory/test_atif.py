"""ATIF out and in: every nano era becomes ATIF v1.8 that the ``atif`` models accept (each tool result
byte for byte what the model saw, odd arguments kept, nudges as user steps) and reads back as the same
turns; another agent's ATIF trajectory replays with its own tools."""

from __future__ import annotations

import json
from pathlib import Path

import atif
import pytest

from nano_tui.trajectory import load
from nano_tui.trajectory.export import chunks, exporter
from nano_tui.trajectory.export.redaction import Redactor
from tests.trajectory.builders import typical_run

LOGS = Path(__file__).resolve().parents[1] / "fixtures" / "nano_logs"
RUNS = sorted(path.parent for path in LOGS.rglob("messages.jsonl"))


@pytest.mark.parametrize("run", RUNS, ids=[str(run.relative_to(LOGS)) for run in RUNS])
def test_every_era_is_valid_atif_faithful_to_its_log(run: Path) -> None:
    data = json.loads(exporter("atif")(load(run)))
    trajectory = atif.Trajectory.model_validate(data)
    messages = [json.loads(line) for line in (run / "messages.jsonl").read_text().splitlines()
                if line.strip() and _object(line)]
    assert trajectory.steps[0].source == "system" and trajectory.steps[0].message == messages[0]["content"]
    assert trajectory.steps[1].source == "user" and trajectory.steps[1].message == messages[1]["content"]
    assistants = [m for m in messages if m.get("role") == "assistant"]
    agent_steps = [step for step in trajectory.steps if step.source == "agent"]
    assert len(agent_steps) == len(assistants)
    results = [result.content for step in agent_steps if step.observation
               for result in step.observation.results]
    assert results == [m["content"] for m in messages if m.get("role") == "tool"], "what the model saw"
    ids = [call.tool_call_id for step in agent_steps for call in step.tool_calls or []]
    assert ids == [call["id"] for m in assistants for call in m.get("tool_calls") or []], "ids kept"
    assert trajectory.agent.tool_definitions == json.loads((run / "tools.json").read_text())


def _object(line: str) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except ValueError:
        return False


def test_odd_arguments_nudges_and_reasoning_go_where_atif_wants_them(tmp_path: Path) -> None:
    run = typical_run("5.0")
    call = run.call("shell", "{not json")
    run.assistant("<think>Look first.</think>Listing.", [call])
    run.tool(call, "Malformed tool arguments JSON: Expecting property name")
    run.assistant("Done.")
    run.nudge()
    data = json.loads(exporter("atif")(load(run.write(tmp_path))))
    atif.Trajectory.model_validate(data)
    odd = next(step for step in data["steps"] if step.get("reasoning_content") == "Look first.")
    assert odd["message"] == "Listing."
    (made,) = odd["tool_calls"]
    assert made["arguments"] == {} and made["extra"]["raw_arguments"] == "{not json"
    nudge = run.messages[-1]["content"]
    assert data["steps"][-1] == {"step_id": len(data["steps"]), "source": "user", "message": nudge}


def test_a_shared_atif_file_is_redacted(tmp_path: Path) -> None:
    run = typical_run("5.0")
    call = run.call("shell", {"cmd": "cat .env"})
    run.assistant("Read the settings.", [call])
    run.tool(call, "GITHUB_TOKEN=ghp_x1Y2z3W4v5U6t7S8r9Q0p1O2n3M4l5K6j7I8")
    redactor = Redactor()
    text = "".join(chunks("atif", redactor)(load(run.write(tmp_path))))
    atif.Trajectory.model_validate(json.loads(text))
    assert "ghp_x1Y2" not in text and "[REDACTED:github token]" in text and redactor.findings


@pytest.mark.parametrize("run", RUNS, ids=[str(run.relative_to(LOGS)) for run in RUNS])
def test_a_run_exported_to_atif_and_read_back_shows_the_same_turns(run: Path, tmp_path: Path) -> None:
    out = tmp_path / "run.atif.json"
    out.write_text(exporter("atif")(load(run)))
    original, again = list(load(run)), list(load(out))
    assert len(again) == len(original)
    for before, after in zip(original, again, strict=True):
        assert after.text == before.text and after.thinking == before.thinking
        assert [(c.name, c.arguments_raw, c.result, c.command) for c in after.tool_calls] == \
            [(c.name, c.arguments_raw, c.result, c.command) for c in before.tool_calls]
        assert all(call.known for call in after.tool_calls) == all(call.known for call in before.tool_calls)


def test_another_agents_atif_trajectory_replays_with_its_own_tools(tmp_path: Path) -> None:
    from atif import Agent, Observation, ObservationResult, Step, ToolCall, Trajectory

    foreign = Trajectory(schema_version="ATIF-v1.8", session_id="s-1", agent=Agent(
        name="claude-code", version="2.0.0", model_name="claude-sonnet-4-5"), steps=[
        Step(step_id=1, source="user", message="List the files, then fix the typo in README.md"),
        Step(step_id=2, source="agent", message="Looking around.", reasoning_content="Start with ls.",
             tool_calls=[ToolCall(tool_call_id="toolu_1", function_name="Bash",
                                  arguments={"command": "ls -la"})],
             observation=Observation(results=[ObservationResult(source_call_id="toolu_1",
                                                                content="README.md\nsrc")])),
        Step(step_id=3, source="agent", message="", tool_calls=[ToolCall(
            tool_call_id="toolu_2", function_name="Edit",
            arguments={"file_path": "README.md", "old_string": "teh", "new_string": "the"})],
             observation=Observation(results=[ObservationResult(source_call_id="toolu_2", content="ok")])),
        Step(step_id=4, source="agent", message="Fixed the typo."),
    ])
    path = tmp_path / "claude.json"
    path.write_text(json.dumps(foreign.to_json_dict()))
    trajectory = load(path)
    assert trajectory.info.source == "atif" and trajectory.info.model == "claude-sonnet-4-5"
    assert trajectory.info.task == "List the files, then fix the typo in README.md"
    turns = list(trajectory)
    (bash,) = turns[1].tool_calls
    assert bash.name == "Bash" and bash.command == "ls -la" and bash.result == "README.md\nsrc" and bash.known
    (edit,) = turns[2].tool_calls
    assert edit.known and edit.command is None and edit.arguments == {
        "file_path": "README.md", "old_string": "teh", "new_string": "the"}
    assert turns[1].thinking == ["Start with ls."] and turns[-1].text == "Fixed the typo."
