"""``nano-tui record``: a run played into an asciicast v2 file, a marker at each turn, paced by
--speed, read back by playing it into a terminal emulator (pyte) as asciinema's player would."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pyte

from tests.processes import NANO_TUI, Terminal, clean_env, needs_tmux


def record(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([NANO_TUI, "record", *args], capture_output=True, text=True, env=clean_env(),
                          timeout=120)


def read_cast(path: Path) -> tuple[dict, list[list]]:
    header, *events = path.read_text(encoding="utf-8").splitlines()
    return json.loads(header), [json.loads(event) for event in events]


def last_frame(header: dict, events: list[list]) -> str:
    screen = pyte.Screen(header["width"], header["height"])
    stream = pyte.Stream(screen)
    for _, code, data in events:
        if code == "o":
            stream.feed(data)
    return "\n".join(screen.display)


def test_a_recording_has_a_marker_per_turn_and_ends_on_the_runs_end(story: Path, tmp_path: Path) -> None:
    cast = tmp_path / "run.cast"
    done = record(str(story), "-o", str(cast), "--present", "--size", "80x24", "--speed", "4")
    assert done.returncode == 0, done.stderr
    assert f"recorded 6 turns to {cast}" in done.stderr
    header, events = read_cast(cast)
    assert (header["version"], header["width"], header["height"]) == (2, 80, 24)
    assert [data for _, code, data in events if code == "m"] == [f"turn {turn}" for turn in range(6)]
    times = [time for time, _, _ in events]
    assert times == sorted(times) and times[-1] > times[0]
    frame = last_frame(header, events)
    assert "turn 5 of 5" in frame and "final answer" in frame, frame
    assert "Fixed" in frame and "End of the run." not in frame, "the end held, no toast over it"

    slow = tmp_path / "slow.cast"
    assert record(str(story), "-o", str(slow), "--present", "--size", "80x24", "--speed", "2").returncode == 0
    _, slow_events = read_cast(slow)
    marks = [time for time, code, _ in events if code == "m"]
    slow_marks = [time for time, code, _ in slow_events if code == "m"]
    assert [round(b / a, 6) for a, b in zip(marks[1:], slow_marks[1:], strict=True)] == [2.0] * 5, \
        "half the speed, twice the time between turns"


def test_without_presenter_mode_the_timeline_is_recorded(story: Path, tmp_path: Path) -> None:
    cast = tmp_path / "run.cast"
    assert record(str(story), "-o", str(cast), "--speed", "8").returncode == 0
    header, events = read_cast(cast)
    assert (header["width"], header["height"]) == (100, 30)
    frame = last_frame(header, events)
    assert frame.splitlines()[1].startswith(" turn 5 of 5"), frame
    assert "0   setup" in frame and "apply_patch" in frame, "the timeline lists the turns"


def test_bad_input_is_one_line_and_writes_nothing(story: Path, tmp_path: Path) -> None:
    cast = tmp_path / "run.cast"
    for args, said in (([str(story), "-o", str(cast), "--size", "wide"], "--size wants WIDTHxHEIGHT"),
                       ([str(story), "-o", str(cast), "--speed", "0"], "--speed must be above 0"),
                       ([str(tmp_path / "nowhere"), "-o", str(cast)], "no such path"),
                       ([str(story), "-o", str(tmp_path)], "is a folder")):
        done = record(*args)
        assert done.returncode == 1 and said in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert [path.name for path in tmp_path.iterdir()] == [story.name], "no file, not even half a one"


def test_each_marker_stops_the_player_on_its_turns_first_frame(story: Path, tmp_path: Path) -> None:
    """What a player paused at each marker (asciinema play --pause-on-markers) shows."""
    cast = tmp_path / "run.cast"
    assert record(str(story), "-o", str(cast), "--present", "--size", "80x24").returncode == 0
    header, events = read_cast(cast)
    stops = [number for number, (_, code, _) in enumerate(events) if code == "m"]
    for turn, stop in enumerate(stops):
        frame = last_frame(header, events[:stop])
        assert f"turn {turn} of 5" in frame, frame
    assert "sent to the model" in last_frame(header, events[:stops[1]]), "turn 1 opens on its request"


@needs_tmux
def test_asciinema_plays_the_recording_to_its_end(story: Path, tmp_path: Path) -> None:
    cast = tmp_path / "run.cast"
    assert record(str(story), "-o", str(cast), "--present", "--size", "80x24", "--speed", "8").returncode == 0
    player = Path(NANO_TUI).with_name("asciinema")
    terminal = Terminal(tmp_path, 80, 24)
    try:
        terminal.start(f"{player} play --speed 4 {cast}")
        screen = terminal.shows("EXIT=0")
        assert "turn 5 of 5" in screen and "final answer" in screen
    finally:
        terminal.close()
