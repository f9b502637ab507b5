"""The real ``nano-tui demo`` process in a real terminal (tmux), from the first turn to the summary."""

from __future__ import annotations

from pathlib import Path

from nano_tui.trajectory import load
from tests.processes import NANO_TUI, Terminal, needs_tmux


@needs_tmux
def test_demo_runs_to_the_summary_and_quits_cleanly(terminal: Terminal, tmp_path: Path):
    logs = tmp_path / "logs"
    terminal.start(f"{NANO_TUI} demo --speed 8 --log-dir {logs}")
    screen = terminal.shows("The test suite fails", "streaming", timeout=90)
    terminal.shows("✓ finished", "The run finished", "nano-tui replay", "apply_patch", "tools 5/50")
    terminal.keys("q")
    screen = terminal.shows("EXIT=0", timeout=30)
    replay = next(line for line in screen.splitlines() if line.startswith("replay: "))
    program = Path(replay.split()[1])  # nano-tui is not on this PATH: the path that works from here
    assert program.resolve() == Path(NANO_TUI).resolve() and replay.split()[2] == "replay"
    (run_dir,) = logs.iterdir()
    trajectory = load(run_dir)
    assert trajectory.info.end_reason == "finished" and "middle - 1" in trajectory.info.final_diff


@needs_tmux
def test_demo_in_step_mode_waits_for_enter_and_q_asks_first(terminal: Terminal, tmp_path: Path):
    logs = tmp_path / "logs"
    terminal.start(f"{NANO_TUI} demo --step --speed 8 --log-dir {logs}")
    terminal.shows("paused before the model call", "Enter: call the model", timeout=90)
    terminal.keys("Enter")
    terminal.shows("paused before the tool call", "x: skip it")
    terminal.keys("q")
    terminal.shows("Stop it and quit?")
    terminal.keys("y")
    screen = terminal.shows("EXIT=", timeout=30)
    assert "EXIT=130" in screen and "run stopped" in screen
    (run_dir,) = logs.iterdir()
    assert load(run_dir).info.end_reason == "stopped"


@needs_tmux
def test_demo_in_presenter_mode_at_80_by_24(tmp_path: Path):
    """A projector's terminal: the loop strip, the captions and the progress line, no timeline; the
    lesson's pauses go on by themselves, to the end."""
    terminal = Terminal(tmp_path, 80, 24)
    try:
        terminal.start(f"{NANO_TUI} demo --present --speed 20 --log-dir {tmp_path / 'logs'}")
        screen = terminal.shows("1 context", "5 result", "Everything the model starts with", timeout=90)
        assert "setup" not in screen, "no timeline in presenter mode"
        screen = terminal.shows("final answer", "The run finished", timeout=90)
        rows = screen.rstrip("\n").split("\n")
        assert len(rows) == 24 and all(len(row) <= 80 for row in rows)
        terminal.keys("P")
        terminal.shows("setup")  # P brings the timeline back
        terminal.keys("q")
        terminal.shows("EXIT=0", timeout=30)
    finally:
        terminal.close()
    (run_dir,) = (tmp_path / "logs").iterdir()
    notes = load(run_dir).notes
    assert sorted(notes) == list(range(7)) and "final answer" in notes[6], "the lesson's captions stay"
