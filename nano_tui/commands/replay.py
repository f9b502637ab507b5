"""`nano-tui replay`: open one run turn by turn, or the browser over folders of runs.

Everything that can go wrong with the input is found here, before the screen opens, and reported
as one line (exit 1).
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from nano_tui.contract import MESSAGES
from nano_tui.errors import UserError
from nano_tui.trajectory import load
from nano_tui.trajectory.discovery import locate_for_command
from nano_tui.ui.themes import check_theme, load_themes


def is_single_run(path: Path) -> bool:
    """A run folder, its messages.jsonl, or another trajectory file, as opposed to a folder of runs.
    What cannot be told (nothing there, a folder that cannot be read) is opened as one run, whose
    loader says what is wrong."""
    path = path.expanduser()
    return (os.path.isfile(path) or os.path.lexists(path / MESSAGES) or not os.path.exists(path)
            or not os.access(path, os.R_OK | os.X_OK))


def main(args: argparse.Namespace) -> int:
    from nano_tui.ui.app import NanoApp

    if args.speed <= 0:
        raise UserError(f"--speed must be above 0, not {args.speed:g}")
    themes = load_themes()
    if args.theme:
        check_theme(args.theme, themes)
    paths: list[Path] = list(args.paths)
    if len(paths) == 1 and is_single_run(paths[0]):
        trajectory = load(paths[0])
        last = len(trajectory) - 1
        if args.turn is not None and not 0 <= args.turn <= last:
            raise UserError(f"--turn {args.turn} is out of range: this run has turns 0 to {last}")
        app = NanoApp(trajectory, turn=args.turn, autoplay=args.autoplay, speed=args.speed,
                      present=args.present, theme=args.theme, themes=themes)
    else:
        from nano_tui.trajectory.run_index import Listing  # SQLite: only for a folder of runs

        listing = Listing(locate_for_command(paths), args.index)
        app = NanoApp(runs=listing, speed=args.speed, theme=args.theme, themes=themes)
    app.run()
    return 0
