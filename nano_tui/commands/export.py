"""``nano-tui export RUN --format json|md|html [-o FILE]``."""

from __future__ import annotations

import argparse
import sys

from nano_tui.errors import UserError
from nano_tui.trajectory import load
from nano_tui.trajectory.export import exporter


def main(args: argparse.Namespace) -> int:
    text = exporter(args.format)(load(args.run))
    if args.output is None:
        sys.stdout.write(text)
        return 0
    try:
        args.output.write_text(text, encoding="utf-8")
    except OSError as error:
        raise UserError(f"cannot write {args.output}: {error.strerror or error}") from error
    return 0
