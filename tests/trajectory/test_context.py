"""A turn's request: the conversation up to just before its reply, the new part, and its size (the
provider's count where the sidecar has it, else an estimate said so)."""

from __future__ import annotations

from pathlib import Path

from nano_tui.trajectory import load
from nano_tui.trajectory.context import request_for, request_line
from tests.trajectory.builders import typical_run, write_sidecar


def test_each_request_holds_every_earlier_message_and_marks_the_newest(tmp_path: Path) -> None:
    trajectory = load(write_sidecar(typical_run("5.0").write(tmp_path)))
    assert request_for(trajectory, 0) is None, "the setup sends nothing of its own"
    first, second = request_for(trajectory, 1), request_for(trajectory, 2)
    assert [message["role"] for message in first.messages] == ["system", "user"] and first.new_from == 0
    assert (first.tokens, first.exact) == (100, True), "the sidecar's prompt_tokens for turn 1's call"
    assert "100 tokens" in request_line(first) and "estimated" not in request_line(first)
    earlier = [message for index in range(2) for message in trajectory.turn(index).messages]
    assert second.messages == earlier and second.new_from == 2
    assert not second.exact and "≈" in request_line(second) and "(estimated)" in request_line(second)
    last = request_for(trajectory, len(trajectory) - 1)
    assert len(last.messages) == sum(len(trajectory.turn(index).messages)
                                     for index in range(len(trajectory) - 1))
