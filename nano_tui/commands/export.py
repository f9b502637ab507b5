"""``nano-tui export RUN --format json|md|html [-o FILE]``."""

from __future__ import annotations

import argparse
import sys

from nano_tui.errors import UserError
from nano_tui.trajectory import load
from nano_tui.trajectory.export import save_export, write_export


def main(args: argparse.Namespace) -> int:
    trajectory = load(args.run)
    if args.output is None:
        write_export(trajectory, args.format, sys.stdout)
        return 0
    try:
        save_export(trajectory, args.format, args.output)
    except OSError as error:
        raise UserError(f"cannot write {args.output}: {error.strerror or error}") from error
    return 0
