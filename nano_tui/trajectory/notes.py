"""Notes on turns: a teacher's cue, a researcher's label ("reward hacking here"), kept beside the run
in nano-tui's own file (never in one of nano's), or in the user's data folder when the run's folder
cannot be written (a shared dataset, a read-only mount). Of the two, the one written last counts.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from nano_tui.contract import NOTES

FORMAT = "nano-tui.notes/1"


def data_folder() -> Path:
    """Where notes go when the run's folder cannot take them (``$XDG_DATA_HOME/nano-tui/notes``)."""
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "nano-tui" / "notes"


def places(run: Path, elsewhere: bool = True) -> list[Path]:
    """Beside the run (in its folder, or beside a trajectory file) and, with ``elsewhere``, in the data
    folder, named by a hash of the run's path."""
    run = run.expanduser().resolve()
    found = [run / NOTES if run.is_dir() else run.with_name(f"{run.name}.{NOTES}")]
    if elsewhere:
        import hashlib  # loads OpenSSL: 2 ms of a replay's start, where the data folder rarely exists

        found.append(data_folder() / f"{hashlib.sha256(os.fsencode(run)).hexdigest()[:20]}.json")
    return found


def read_notes(run: Path) -> dict[int, str]:
    """The run's notes by turn; none when there are none or the file cannot be read."""
    found = []
    for place in places(run, elsewhere=data_folder().is_dir()):
        try:
            found.append((place.stat().st_mtime_ns, place))
        except OSError:
            continue
    for _, place in sorted(found, reverse=True):
        try:
            notes = json.loads(place.read_text(encoding="utf-8")).get("notes", {})
            return {int(turn): text for turn, text in notes.items() if isinstance(text, str) and text}
        except (OSError, ValueError, AttributeError):
            continue
    return {}


def save_notes(run: Path, notes: dict[int, str]) -> Path:
    """Write ``notes`` (all of them: an empty set records that the last one was deleted) beside the
    run, else in the data folder, and return where they went. Raises OSError when neither can be
    written."""
    from nano_tui.trajectory.export import save_chunks

    text = json.dumps({"format": FORMAT, "run": os.fspath(run.expanduser().resolve()),
                       "notes": {str(turn): notes[turn] for turn in sorted(notes)}},
                      ensure_ascii=False, indent=2) + "\n"
    beside, elsewhere = places(run)
    try:
        save_chunks([text], beside)
        return beside
    except OSError:
        elsewhere.parent.mkdir(parents=True, exist_ok=True)
        save_chunks([text], elsewhere)
        return elsewhere
