"""Run folders whose files are not what they claim: named pipes, devices, folders, unreadable files.
None may block the loader, fill memory or end in a traceback; the run opens without what it cannot
read and says which file that was."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from nano_tui.contract import DIFF, MESSAGES, METADATA, SIDECAR, STATS, TOOL_LOG, TOOLS
from nano_tui.errors import UserError
from nano_tui.trajectory import load
from nano_tui.trajectory.discovery import summarize
from nano_tui.trajectory.export import FORMATS, exporter
from tests.processes import NANO_TUI, clean_env
from tests.ui.runlogs import write_story

SIDE_FILES = (METADATA, TOOLS, STATS, DIFF, TOOL_LOG, SIDECAR)
#: How long a load may take before the test calls it blocked (it takes milliseconds).
BLOCKED = 60


def fifo(path: Path) -> None:
    os.mkfifo(path)


def dev_zero(path: Path) -> None:
    path.symlink_to("/dev/zero")


def folder(path: Path) -> None:
    path.mkdir()


ODDITIES: dict[str, tuple[Callable[[Path], None], str]] = {
    "fifo": (fifo, "a named pipe, not a file"),
    "/dev/zero": (dev_zero, "a device, not a file"),
    "folder": (folder, "a folder, not a file"),
}


def without_blocking(action: Callable[[], object]) -> object:
    """``action()``'s value (or its exception); the test fails rather than hangs when it blocks."""
    result: list[object] = []

    def act() -> None:
        try:
            result.append(action())
        except BaseException as error:  # raised again in the test's thread
            result.append(error)

    worker = threading.Thread(target=act, daemon=True)
    worker.start()
    worker.join(BLOCKED)
    assert not worker.is_alive(), f"blocked for {BLOCKED} s"
    if isinstance(result[0], BaseException):
        raise result[0]
    return result[0]


@pytest.mark.parametrize("oddity", ODDITIES)
@pytest.mark.parametrize("name", SIDE_FILES)
def test_a_side_file_that_is_not_a_file_is_passed_over_and_named(tmp_path: Path, name: str,
                                                                 oddity: str) -> None:
    run = write_story(tmp_path / "run")
    (run / name).unlink(missing_ok=True)
    make, why = ODDITIES[oddity]
    make(run / name)
    trajectory = without_blocking(lambda: load(run))
    assert trajectory.info.unread == {name: why}
    assert len(trajectory) == 6 and trajectory.info.task == "Fix the failing test in app.py"
    for fmt in FORMATS:
        text = without_blocking(lambda fmt=fmt: exporter(fmt)(load(run)))
        assert "Fix the failing test in app.py" in text
    assert json.loads(exporter("json")(load(run)))["run"]["unread"] == {name: why}


def test_a_side_file_over_the_size_limit_is_passed_over(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from nano_tui.trajectory import files

    run = write_story(tmp_path / "run")
    monkeypatch.setattr(files.read_regular, "__defaults__", (0, 1500))
    (run / DIFF).write_text("+x\n" * 1000)
    info = load(run).info
    assert info.unread == {DIFF: "3,000 bytes, over the 1,500 nano-tui reads"}
    assert info.final_diff == ""


def test_metadata_that_is_not_json_is_named(tmp_path: Path) -> None:
    run = write_story(tmp_path / "run")
    (run / METADATA).write_text('{"model": "gpt')
    (run / STATS).write_text("")
    assert load(run).info.unread == {METADATA: "not JSON"}, "an empty stats.json (a run going on) is no fault"


@pytest.mark.parametrize("oddity", ODDITIES)
def test_messages_that_are_not_a_file_are_one_clear_line(tmp_path: Path, oddity: str) -> None:
    run = write_story(tmp_path / "run")
    (run / MESSAGES).unlink()
    make, why = ODDITIES[oddity]
    make(run / MESSAGES)
    with pytest.raises(UserError, match=f"^cannot read {run / MESSAGES}: {why}$"):
        without_blocking(lambda: load(run))
    assert summarize(run).error == f"cannot read {run / MESSAGES}: {why}"
    result = subprocess.run([NANO_TUI, "export", str(run), "--format", "md"], capture_output=True, text=True,
                            timeout=BLOCKED, env=clean_env())
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == f"nano-tui: cannot read {run / MESSAGES}: {why}\n"


# -- permissions ----------------------------------------------------------------------------------

NOBODY = ("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups")
needs_setpriv = pytest.mark.skipif(os.getuid() != 0 or shutil.which("setpriv") is None,
                                   reason="needs root and setpriv, to run nano-tui as a user the files deny")


def as_nobody(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*NOBODY, NANO_TUI, *args], capture_output=True, text=True, timeout=BLOCKED,
                          env=clean_env(HOME="/tmp"))


@pytest.fixture
def shared(tmp_path: Path) -> Path:
    """A folder any user can enter (pytest's own are the test user's only)."""
    place = Path(os.environ.get("TMPDIR", "/tmp")) / f"nano-tui-shared-{os.getpid()}-{tmp_path.name}"
    place.mkdir(mode=0o755)
    yield place
    for path in place.rglob("*"):
        path.chmod(0o755)
    shutil.rmtree(place)


@needs_setpriv
@pytest.mark.parametrize("denied", ["the folder", MESSAGES])
def test_an_unreadable_run_is_one_clear_line(shared: Path, denied: str) -> None:
    run = write_story(shared / "runs" / "2025-01-01T00:00:00-0000")
    for path in [shared / "runs", *run.rglob("*"), run]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    (run if denied == "the folder" else run / MESSAGES).chmod(0)
    for command in (["replay", str(run)], ["export", str(run), "--format", "md"]):
        result = as_nobody(*command)
        assert (result.returncode, result.stdout) == (1, ""), result.stderr
        assert result.stderr == f"nano-tui: cannot read {run / MESSAGES}: Permission denied\n"
    listing = as_nobody("runs", str(shared / "runs"))
    if denied == MESSAGES:
        assert listing.returncode == 0 and "unreadable  cannot read" in listing.stdout, "listed as unreadable"
    else:
        assert (listing.returncode, listing.stderr) == (1, f"nano-tui: no runs found in {shared / 'runs'} "
                                                           "(a run is a folder with messages.jsonl, or a "
                                                           "mini-swe-agent *.traj.json file)\n")
        named = as_nobody("runs", str(run))
        assert (named.returncode, named.stderr) == (1, f"nano-tui: cannot read {run}: permission denied\n")


@needs_setpriv
def test_an_unreadable_side_file_is_named(shared: Path) -> None:
    run = write_story(shared / "run")
    for path in [*run.rglob("*"), run]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    (run / METADATA).chmod(0)
    result = as_nobody("export", str(run), "--format", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["run"]["unread"] == {METADATA: "Permission denied"}
