"""``nano-tui record RUN -o FILE.cast [--speed X] [--size WxH] [--present]``: the run played as
autoplay plays it, into an asciicast v2 file with a marker at every turn, made without a terminal."""

from __future__ import annotations

import argparse
import os

from nano_tui.errors import UserError
from nano_tui.safe_text import say
from nano_tui.trajectory import load
from nano_tui.ui.themes import check_theme, load_themes


def main(args: argparse.Namespace) -> int:
    if args.speed <= 0:
        raise UserError(f"--speed must be above 0, not {args.speed:g}")
    try:
        from nano_tui.ui.recording import parse_size

        size = parse_size(args.size)
    except ValueError as error:
        raise UserError(str(error)) from error
    themes = load_themes()
    if args.theme:
        check_theme(args.theme, themes)
    if args.output.is_dir():
        raise UserError(f"{args.output} is a folder: give the file to write, such as {args.output}/run.cast")
    trajectory = load(args.run)
    # the frames are drawn for a terminal with every colour, whatever this one has
    os.environ.update(COLORTERM="truecolor", TERM="xterm-256color")
    from nano_tui.ui.recording import save_recording

    try:
        markers = save_recording(trajectory, args.output, speed=args.speed, size=size,
                                 present=args.present, theme=args.theme, themes=themes)
    except OSError as error:
        raise UserError(f"cannot write {args.output}: {error.strerror or error}") from error
    say(f"recorded {markers} turns to {args.output} (asciinema play {args.output}; the player pauses "
        f"at each turn's marker)")
    return 0
