"""``nano-tui export RUN --format json|md|html|atif [-o FILE]``, and ``nano-tui export PATH... --format
dataset [-o FILE.jsonl]`` with the filters of ``runs``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from nano_tui.commands.runs import run_filter
from nano_tui.errors import UserError
from nano_tui.safe_text import say
from nano_tui.trajectory import RunSummary, load
from nano_tui.trajectory.discovery import locate_for_command
from nano_tui.trajectory.export import REDACTED, save_chunks, save_export, write_export
from nano_tui.trajectory.export.redaction import Redactor


def main(args: argparse.Namespace) -> int:
    if args.format == "dataset":
        return _dataset(args)
    if len(args.paths) != 1:
        raise UserError(f"--format {args.format} writes one run; --format dataset takes several")
    trajectory = load(args.paths[0])
    redactor = Redactor() if args.redact and args.format in REDACTED else None
    if args.output is None:
        write_export(trajectory, args.format, sys.stdout, redactor)
    else:
        _save(lambda: save_export(trajectory, args.format, args.output, redactor), args.output)
    _tell(redactor)
    return 0


def _tell(redactor: Redactor | None) -> None:
    """What was redacted where, on stderr."""
    for line in redactor.report() if redactor else ():
        say(line)


def _save(write: Callable[[], None], output: Path) -> None:
    try:
        write()
    except OSError as error:
        raise UserError(f"cannot write {output}: {error.strerror or error}") from error


def _dataset(args: argparse.Namespace) -> int:
    from nano_tui.trajectory.export.dataset import dataset_chunks
    from nano_tui.trajectory.run_index import Listing

    chosen = run_filter(args)
    listing = Listing(locate_for_command(args.paths), args.index)
    counts = {"written": 0, "left out": 0}

    def selected(batches: Iterable[list[RunSummary]]) -> Iterator[RunSummary]:
        for batch in batches:
            for run in batch:
                keep = chosen.matches(run)
                counts["written" if keep else "left out"] += 1
                if keep:
                    yield run

    redactor = Redactor() if args.redact else None
    lines = dataset_chunks(selected(listing), say, redactor)
    if args.output is None:
        for line in lines:
            sys.stdout.write(line)
    else:
        _save(lambda: save_chunks(lines, args.output), args.output)
    if listing.notice:
        say(listing.notice)
    _tell(redactor)
    where = f" to {args.output}" if args.output else ""
    left = f" ({counts['left out']:,} left out by the filters)" if counts["left out"] else ""
    say(f"{counts['written']:,} run{'s' if counts['written'] != 1 else ''} written{where}{left}")
    return 0
