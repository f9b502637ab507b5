"""Logs shaped like each nano-agent era load into the same turns."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nano_tui.trajectory import LogError, load
from nano_tui.trajectory.export import exporter
from tests.trajectory.builders import RunBuilder, shell_failure, typical_run

ERAS = ["0.3", "2.0", "3.4", "5.0"]


@pytest.mark.parametrize("era", ERAS)
def test_typical_run_reads_the_same_in_every_era(era: str, tmp_path: Path) -> None:
    folder = typical_run(era).write(tmp_path)
    trajectory = load(folder)

    assert len(trajectory) == 6
    assert trajectory.info.task == "Fix add() in app.py"
    assert trajectory.info.model == "openai/test-model"
    assert trajectory.info.ended_normally is True
    first = trajectory.turn(1)
    assert first.thinking == ["Where is add?"]
    assert first.text == "Let me look."
    ls, cat = first.tool_calls
    assert (ls.name, ls.arguments, ls.status) == ("shell", {"cmd": "ls"}, "ok")
    assert ls.output == "app.py\nREADME.md"
    assert cat.status == "failed"
    assert cat.warning is not None and "3" in cat.warning
    assert "No such file" in cat.output and cat.warning not in cat.output
    assert cat.result.startswith(cat.warning.split("\n")[0])
    assert trajectory.turn(2).thinking == ["The operator is wrong."]
    assert trajectory.turn(2).tool_calls[0].status == "failed"
    assert trajectory.turn(2).diff == ""
    patch = trajectory.turn(3).tool_calls[0]
    assert patch.status == "ok" and patch.diff_approximate
    assert "-return a - b\n+return a + b\n" in patch.diff
    big = trajectory.turn(4).tool_calls[0]
    assert big.truncated and big.output.endswith("399") and big.result != big.output
    assert trajectory.turn(5).text == "The bug is fixed." and trajectory.turn(5).tool_calls == []
    assert trajectory.cumulative_diff(5) == trajectory.info.final_diff
    assert "return a + b" in trajectory.cumulative_diff(3)
    assert trajectory.skipped == []


@pytest.mark.parametrize("era", ["3.4", "5.0"])
def test_tag_era_output_reads_like_the_plain_era(era: str, tmp_path: Path) -> None:
    trajectory = load(typical_run(era).write(tmp_path))
    cat = trajectory.turn(1).tool_calls[1]
    assert cat.output == "command failed with exit code 1. Error output:\ncat: missing.py: No such file"
    not_found = trajectory.turn(2).tool_calls[0]
    assert not_found.output == "search string not found - try using grep to find the exact text"
    patch = trajectory.turn(3).tool_calls[0]
    assert patch.output == "patch applied successfully"
    assert patch.result == ("<nano:feedback>patch applied successfully</nano:feedback>" if era == "3.4"
                            else "patch applied successfully")


def test_tag_era_note_after_a_warning_and_before_truncation(tmp_path: Path) -> None:
    run = RunBuilder("3.4")
    shell, browse = run.call("shell", {"cmd": "make"}), run.call("browse", {"url": "x"})
    run.assistant(None, [shell, browse])
    failed = run.tool(shell, shell_failure("3.4", "error 1\nerror 2"), warning=True, truncated=True)
    run.tool(browse, "<nano:warning>unknown tool: browse</nano:warning>", warning=True)
    shell_call, browse_call = load(run.write(tmp_path)).turn(1).tool_calls
    assert shell_call.output == "command failed with exit code 1. Error output:\nerror 1\nerror 2"
    assert shell_call.truncated and shell_call.status == "failed" and shell_call.result == failed
    assert shell_call.warning == "<nano:warning>3 tools left. Prioritize essential changes.</nano:warning>"
    assert browse_call.output == "unknown tool: browse" and browse_call.status == "failed"


def test_command_output_that_only_mentions_a_tag_is_left_alone(tmp_path: Path) -> None:
    run = RunBuilder("3.4")
    call = run.call("shell", {"cmd": "cat notes.txt"})
    run.assistant(None, [call])
    run.tool(call, "see <nano:feedback>x</nano:feedback>")
    assert load(run.write(tmp_path)).turn(1).tool_calls[0].output == "see <nano:feedback>x</nano:feedback>"


def test_bracket_era_folder_without_suffix_gets_its_start_time(tmp_path: Path) -> None:
    folder = typical_run("0.3").write(tmp_path, stamp="2024-03-01T09:30:00")
    assert folder.name == "2024-03-01T09:30:00"
    info = load(folder).info
    assert info.started_at is not None


def test_tool_log_status_wins_over_the_text(tmp_path: Path) -> None:
    run = RunBuilder("2.0")
    call = run.call("shell", {"cmd": "grep x"})
    run.assistant(None, [call])
    run.tool(call, "x", success=False)
    assert load(run.write(tmp_path)).turn(1).tool_calls[0].status == "failed"


def test_crashed_run_keeps_the_unanswered_call(tmp_path: Path) -> None:
    run = RunBuilder("2.0")
    first, second = run.call("shell", {"cmd": "ls"}), run.call("shell", {"cmd": '{"broken'})
    run.assistant(None, [first, second])
    run.tool(first, "app.py")
    trajectory = load(run.write(tmp_path, crashed=True))
    assert trajectory.info.ended_normally is False
    assert [c.status for c in trajectory.turn(1).tool_calls] == ["ok", "no result"]
    assert trajectory.turn(1).tool_calls[1].result is None


def test_malformed_arguments_keep_raw_text_and_error(tmp_path: Path) -> None:
    run = RunBuilder("5.0")
    call = run.call("shell", '{"cmd": "ls"')
    run.assistant(None, [call])
    run.tool(call, "Malformed tool arguments JSON: Expecting ',' delimiter")
    got = load(run.write(tmp_path)).turn(1).tool_calls[0]
    assert got.arguments is None and got.parse_error and got.arguments_raw == '{"cmd": "ls"'
    assert got.status == "failed"


def test_nudge_belongs_to_the_turn_it_follows(tmp_path: Path) -> None:
    run = RunBuilder("3.4")
    run.assistant("I think it is fine.")
    run.nudge()
    run.assistant("Looking again.")
    trajectory = load(run.write(tmp_path))
    assert len(trajectory) == 3
    assert "Do not stop working" in trajectory.turn(1).nudges[0]


def test_thinking_in_every_form(tmp_path: Path) -> None:
    run = RunBuilder("5.0")
    run.assistant("Answer first.\n<think>inline later</think> then text")
    run.assistant("<think>cut off before closing")
    run.assistant("plain", thinking_blocks=[{"type": "thinking", "thinking": "block thought"}])
    run.assistant("<thinking>the other tag</thinking>said")
    trajectory = load(run.write(tmp_path))
    assert trajectory.turn(4).thinking == ["the other tag"] and trajectory.turn(4).text == "said"
    assert trajectory.turn(1).thinking == ["inline later"]
    assert trajectory.turn(1).text == "Answer first.\n then text"
    assert trajectory.turn(2).thinking == ["cut off before closing"] and trajectory.turn(2).text == ""
    assert trajectory.turn(3).thinking == ["block thought"]


def test_unknown_tools_roles_and_keys_are_kept(tmp_path: Path) -> None:
    run = RunBuilder("5.0")
    call = run.call("browse", {"url": "x"})
    run.assistant(None, [call], annotations=[{"note": 1}])
    run.tool(call, "unknown tool: browse")
    run.messages.append({"role": "critic", "content": "hmm", "score": 3})
    turn = load(run.write(tmp_path)).turn(1)
    assert turn.tool_calls[0].name == "browse" and not turn.tool_calls[0].known
    assert turn.tool_calls[0].status == "failed"
    assert turn.extra["annotations"] == [{"note": 1}]
    assert turn.extra["other_messages"][0]["role"] == "critic"
    assert len(turn.messages) == 3


def test_results_pair_by_id_then_by_order(tmp_path: Path) -> None:
    run = RunBuilder("5.0")
    a, b = run.call("shell", {"cmd": "echo a"}), run.call("shell", {"cmd": "echo b"})
    run.assistant(None, [a, b])
    run.tool(b, "b")
    run.messages.append({"content": "a", "role": "tool"})
    calls = load(run.write(tmp_path)).turn(1).tool_calls
    assert [c.result for c in calls] == ["a", "b"]


def test_torn_blank_and_non_utf8_lines_are_reported_not_fatal(tmp_path: Path) -> None:
    folder = typical_run("5.0").write(tmp_path)
    log = folder / "messages.jsonl"
    lines = log.read_bytes().splitlines(keepends=True)
    lines.insert(3, b"\n")
    lines.insert(4, b"not json at all\n")
    damaged = next(number for number, line in enumerate(lines) if b"Let me" in line)
    lines[damaged] = lines[damaged].replace(b"Let me", b"Let \xff me")
    log.write_bytes(b"".join(lines) + b'{"role": "assistant", "content": "tor')
    trajectory = load(folder)
    assert [s.line for s in trajectory.skipped] == [5, len(lines) + 1]
    assert trajectory.skipped[-1].reason == "torn last line"
    assert [(s.line, s.reason[:16]) for s in trajectory.damaged] == [(damaged + 1, "invalid UTF-8 at")]
    assert trajectory.turn(1).text == "Let \ufffd me look."
    assert len(list(trajectory)) == len(trajectory)


def test_growing_log_is_read_again_from_where_it_stopped(tmp_path: Path) -> None:
    run = typical_run("5.0")
    folder = run.write(tmp_path)
    log = folder / "messages.jsonl"
    trajectory = load(folder)
    assert len(trajectory) == 6
    with log.open("a") as out:
        out.write('{"content": "one more", "role": "assis')
    assert trajectory.refresh() == 6
    assert trajectory.skipped[-1].reason == "torn last line"
    with log.open("a") as out:
        out.write('tant"}\n')
    assert trajectory.refresh() == 7
    assert trajectory.turn(6).text == "one more"
    assert trajectory.skipped == []


@pytest.mark.parametrize("content", [b"", b"\n\n", b"garbage\n"])
def test_empty_or_unreadable_log_is_a_clear_error(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "messages.jsonl").write_bytes(content)
    with pytest.raises(LogError):
        load(tmp_path)


def test_not_a_run_folder_and_missing_path(tmp_path: Path) -> None:
    with pytest.raises(LogError, match="not a run folder"):
        load(tmp_path)
    with pytest.raises(LogError, match="no such path"):
        load(tmp_path / "nope")


def test_messages_file_path_works_too(tmp_path: Path) -> None:
    folder = typical_run("5.0").write(tmp_path)
    assert len(load(folder / "messages.jsonl")) == 6


def test_mini_swe_agent_trajectory(tmp_path: Path) -> None:
    path = tmp_path / "run.traj.json"
    path.write_text(json.dumps({
        "info": {"exit_status": "Submitted", "submission": "diff --git a/x b/x\n",
                 "config": {"model": {"model_name": "gpt-x"}}},
        "messages": [
            {"role": "system", "content": "sys"},
            {"role": "user", "content": "Fix it"},
            {"role": "assistant", "content": "Look:\n```bash\nls -la\n```"},
            {"role": "user", "content": "<returncode>2</returncode>\n<output>\nno\n</output>"},
            {"role": "assistant", "content": "done"},
        ],
        "trajectory_format": "mini-swe-agent-1",
    }))
    trajectory = load(path)
    assert trajectory.info.source == "mini-swe-agent" and trajectory.info.model == "gpt-x"
    call = trajectory.turn(1).tool_calls[0]
    assert (call.name, call.arguments_raw, call.status) == ("bash", "ls -la", "failed")
    assert call.known and call.command == "ls -la", "bash is mini-swe-agent's own tool"
    assert trajectory.cumulative_diff(2) == "diff --git a/x b/x\n"
    assert "```bash\nls -la\n```" in exporter("md")(trajectory)


def test_mini_swe_agent_task_line_skips_its_tags(tmp_path: Path) -> None:
    path = tmp_path / "run.traj.json"
    task = "<pr_description>\nConsider the following PR description:\nsep is ignored\n</pr_description>\n"
    path.write_text(json.dumps({"messages": [{"role": "system", "content": "sys"},
                                             {"role": "user", "content": task}]}))
    assert load(path).info.task_line == "Consider the following PR description:"


def test_tools_json_decides_which_tools_exist(tmp_path: Path) -> None:
    """nano 0.x offered ``create``: its calls are not "unknown tool"; a tool nobody offered is."""
    run = RunBuilder("0.3")
    run.assistant(None, [run.call("create", {"path": "x.py", "content": "x"}), run.call("python", {})])
    folder = run.write(tmp_path)
    tools = [{"function": {"name": name}, "type": "function"} for name in ("shell", "apply_patch", "create")]
    (folder / "tools.json").write_text(json.dumps(tools))
    create, python = load(folder).turn(1).tool_calls
    assert create.known and not python.known


def test_a_line_of_several_megabytes_loads(tmp_path: Path) -> None:
    run = RunBuilder("5.0")
    call = run.call("shell", {"cmd": "cat big.log"})
    run.assistant(None, [call])
    run.tool(call, "x" * 6_000_000)
    run.assistant("Read it all.")
    trajectory = load(run.write(tmp_path))
    assert len(trajectory.turn(1).tool_calls[0].result) == 6_000_000
    assert trajectory.turn(2).text == "Read it all."


def test_lines_that_only_parse_together_are_not_merged(tmp_path: Path) -> None:
    folder = RunBuilder("5.0").write(tmp_path)
    with (folder / "messages.jsonl").open("a") as out:
        out.write('{"role": "assistant", "content": "a", "x": [1\n2], "y": {"role": "tool"}}\n')
    trajectory = load(folder)
    assert [s.line for s in trajectory.skipped] == [3, 4]


def test_a_log_cut_shorter_while_open_is_a_clear_error(tmp_path: Path) -> None:
    folder = typical_run("5.0").write(tmp_path)
    trajectory = load(folder)
    (folder / "messages.jsonl").write_text("")
    with pytest.raises(LogError, match="cut shorter"):
        list(trajectory)
