"""SVG snapshots of the key screens at a fixed size (Textual is pinned in pyproject).

What the screen shows of the machine (the run folder's temporary path, how ``nano-tui`` is spelled on
this PATH) is made steady, so the pictures change only when the screen does.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from nano_tui.trajectory import discover, load
from nano_tui.trajectory.alignment import Comparison
from nano_tui.ui.app import NanoApp
from tests.ui.helpers import SIZE
from tests.ui.runlogs import write_before_and_after
from tests.ui.test_browser import make_runs

STEADY_FOLDER = Path("/home/you/.nano/2025-12-03T10:00:00-0badc0de")


@pytest.fixture(autouse=True)
def steady_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("nano_tui.invocation.program", lambda: "nano-tui")


def app_for(path: Path, **options) -> NanoApp:
    trajectory = load(path)
    trajectory.info.path = STEADY_FOLDER
    return NanoApp(trajectory, **options)


class TestRunScreen:
    def test_setup_turn(self, snap_compare, story):
        assert snap_compare(app_for(story), terminal_size=SIZE)

    def test_thinking_and_shell_call(self, snap_compare, story):
        assert snap_compare(app_for(story, turn=1), terminal_size=SIZE)

    def test_failed_call(self, snap_compare, story):
        assert snap_compare(app_for(story, turn=2), terminal_size=SIZE)

    def test_patch_with_diff(self, snap_compare, story):
        assert snap_compare(app_for(story, turn=3), terminal_size=SIZE)

    def test_final_answer_with_cumulative_diff(self, snap_compare, story):
        assert snap_compare(app_for(story, turn=5), press=["d"], terminal_size=SIZE)

    def test_filtered_long_run(self, snap_compare, long_run):
        assert snap_compare(app_for(long_run), press=["f"], terminal_size=SIZE)

    def test_hostile_text(self, snap_compare, hostile):
        assert snap_compare(app_for(hostile, turn=1), terminal_size=SIZE)


class TestDialogs:
    def test_help(self, snap_compare, story):
        assert snap_compare(app_for(story), press=["question_mark"], terminal_size=SIZE)

    def test_raw_json(self, snap_compare, story):
        assert snap_compare(app_for(story, turn=3), press=["r"], terminal_size=SIZE)


class TestPresenterMode:
    """A projector's sizes: 80×24, and 100×30 (a large font on a wide screen)."""

    def test_shell_call_at_80_by_24(self, snap_compare, story):
        assert snap_compare(app_for(story, turn=1, present=True), terminal_size=(80, 24))

    def test_patch_at_100_by_30(self, snap_compare, story):
        assert snap_compare(app_for(story, turn=3, present=True), terminal_size=(100, 30))


class TestThemes:
    def test_light(self, snap_compare, story):
        assert snap_compare(app_for(story, turn=3, theme="nano-light"), terminal_size=SIZE)

    def test_high_contrast(self, snap_compare, story):
        assert snap_compare(app_for(story, turn=2, theme="nano-high-contrast"), terminal_size=SIZE)


class TestBrowser:
    def test_browser(self, snap_compare, tmp_path: Path):
        app = NanoApp(runs=discover([make_runs(tmp_path / "runs")]))
        assert snap_compare(app, terminal_size=SIZE)

    def test_browser_grouped_by_task(self, snap_compare, tmp_path: Path):
        root = make_runs(tmp_path / "runs")
        write_before_and_after(root)
        assert snap_compare(NanoApp(runs=discover([root])), press=["g"], terminal_size=SIZE)


class TestCompare:
    def test_two_runs_at_their_first_divergence(self, snap_compare, tmp_path: Path):
        trajectories = [load(path) for path in write_before_and_after(tmp_path / "runs")]
        for trajectory, name in zip(trajectories, ("before", "after"), strict=True):
            trajectory.info.path = STEADY_FOLDER.parent / name
        assert snap_compare(NanoApp(comparison=Comparison(trajectories)), terminal_size=SIZE)
