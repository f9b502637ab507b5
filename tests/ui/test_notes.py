"""Notes on turns: A adds, edits and deletes one; it shows on its turn and in the timeline, survives a
restart, goes into the Markdown and HTML exports, and lands in the user's data folder when the run's
folder cannot be written. nano's own files are never touched."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from nano_tui.contract import NOTES
from nano_tui.trajectory import load
from nano_tui.trajectory.export import exporter
from nano_tui.ui.widgets.timeline import Timeline
from tests.ui.helpers import SIZE, app_for, notified, run_screen, screen_text, until

NOTE = "reward hacking here: it edits the test"


def fingerprint(folder: Path) -> dict[str, str]:
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in folder.iterdir()
            if path.name != NOTES}


async def write_note(pilot, text: str) -> None:
    await pilot.press("A")
    await until(pilot, lambda: pilot.app.screen.query("Input"))
    await pilot.press("backspace")  # the old note is selected: gone
    if text:
        await pilot.press(*text)
    await pilot.press("enter")
    await pilot.pause()


async def test_a_note_is_added_edited_and_deleted_and_survives_a_restart(story: Path):
    before = fingerprint(story)
    async with app_for(story, turn=2).run_test(size=SIZE) as pilot:
        await write_note(pilot, NOTE)
        assert "note · A edits" in screen_text(pilot) and NOTE in screen_text(pilot)
        assert run_screen(pilot).query_one(Timeline).noted == {2}
        assert (story / NOTES).is_file()
    async with app_for(story, turn=2).run_test(size=SIZE) as pilot:
        assert NOTE in screen_text(pilot), "read back after a restart"
        assert "✎" in screen_text(pilot)
        await write_note(pilot, "cue: ask the room what fails")
        assert "cue: ask the room what fails" in screen_text(pilot) and NOTE not in screen_text(pilot)
    assert load(story).notes == {2: "cue: ask the room what fails"}
    markdown, html = exporter("md")(load(story)), exporter("html")(load(story))
    assert "> **Note:** cue: ask the room what fails" in markdown
    assert '<aside class="note"><strong>Note</strong>' in html and "ask the room" in html
    async with app_for(story, turn=2).run_test(size=SIZE) as pilot:
        await write_note(pilot, "")
        assert "note · A edits" not in screen_text(pilot)
        assert run_screen(pilot).query_one(Timeline).noted == set()
    assert load(story).notes == {}
    assert fingerprint(story) == before, "nano's files are never changed"


@pytest.fixture
def read_only(story: Path):
    """The run's folder made unwritable, even for root (the immutable flag)."""
    if os.geteuid() != 0:
        story.chmod(0o555)
        yield story
        story.chmod(0o755)
        return
    if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(story)],
                                                        capture_output=True).returncode != 0:
        pytest.skip("cannot make a folder read-only for root here (chattr +i)")
    yield story
    subprocess.run(["chattr", "-i", str(story)], check=True)


async def test_a_read_only_run_keeps_its_notes_in_the_data_folder(read_only: Path, isolated_home: Path):
    async with app_for(read_only, turn=1).run_test(size=SIZE) as pilot:
        await write_note(pilot, NOTE)
        await notified(pilot, "Note saved")
        messages = [str(note.message) for note in pilot.app._notifications]
        assert any("Note saved" in text and ".local/share/nano-tui/notes" in text for text in messages)
    assert not (read_only / NOTES).exists()
    assert load(read_only).notes == {1: NOTE}
    saved = list((isolated_home / ".local" / "share" / "nano-tui" / "notes").iterdir())
    assert len(saved) == 1 and NOTE in saved[0].read_text()
