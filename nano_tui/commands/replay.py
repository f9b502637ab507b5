"""`nano-tui replay`: open one run turn by turn, or the browser over folders of runs.

Everything that can go wrong with the input is found here, before the screen opens, and reported
as one line (exit 1).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from nano_tui.errors import UserError
from nano_tui.trajectory import load
from nano_tui.trajectory.loader import is_single_run
from nano_tui.ui.app import NanoApp
from nano_tui.ui.themes import check_theme, load_themes


def main(args: argparse.Namespace) -> int:
    if args.speed <= 0:
        raise UserError(f"--speed must be above 0, not {args.speed:g}")
    themes = load_themes()
    if args.theme:
        check_theme(args.theme, themes)
    paths: list[Path] = list(args.paths)
    if len(paths) == 1 and is_single_run(paths[0]):
        trajectory = load(paths[0])
        if args.turn is not None and not 0 <= args.turn < len(trajectory):  # only then the whole log
            last = len(trajectory) - 1
            raise UserError(f"--turn {args.turn} is out of range: this run has turns 0 to {last}")
        app = NanoApp(trajectory, turn=args.turn, autoplay=args.autoplay, speed=args.speed,
                      present=args.present, theme=args.theme, themes=themes)
    else:
        from nano_tui.trajectory.discovery import locate_for_command  # only for a folder of runs
        from nano_tui.trajectory.run_index import Listing  # (SQLite)

        listing = Listing(locate_for_command(paths), args.index)
        app = NanoApp(runs=listing, speed=args.speed, theme=args.theme, themes=themes)
    app.run()
    return 0
