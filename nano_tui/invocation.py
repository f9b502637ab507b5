"""How the user's shell runs this nano-tui, so that every command we print works as printed.

After ``pip install -e .`` into a virtual environment that is not activated, ``nano-tui`` is not on
PATH: a printed ``nano-tui replay …`` would fail. Commands are spelled with ``nano-tui`` when that
name finds this installation, else with the path of this installation's script.
"""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from pathlib import Path

SCRIPT = "nano-tui"


def _this_script() -> Path | None:
    """The ``nano-tui`` script of this installation: the one running, else the one beside Python."""
    for candidate in (Path(sys.argv[0]), Path(sys.executable).with_name(SCRIPT)):
        if candidate.name == SCRIPT and candidate.is_file():
            return candidate.absolute()
    return None


def program() -> str:
    """The words that start nano-tui from the user's shell: ``nano-tui``, ``.venv/bin/nano-tui``, …"""
    script = _this_script()
    if script is None:
        return shlex.join([sys.executable, "-m", "nano_tui"])
    found = shutil.which(SCRIPT)
    try:
        if found is not None and os.path.samefile(found, script):
            return SCRIPT
    except OSError:
        pass
    try:
        relative = script.relative_to(Path.cwd())
    except ValueError:
        return shlex.quote(str(script))
    return shlex.quote(str(relative))


def command(*words: str) -> str:
    """A nano-tui command line, e.g. ``command("replay", run_dir)``, quoted for a POSIX shell."""
    return " ".join([program(), *(shlex.quote(word) for word in words)])
