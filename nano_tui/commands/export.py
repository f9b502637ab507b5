"""``nano-tui export RUN --format json|md|html|atif [-o FILE]``; with the filters of ``runs``,
``nano-tui export PATH... --format dataset [-o FILE.jsonl]`` and ``nano-tui export DIR... --format atif
-o OUTDIR`` (a Harbor job)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from nano_tui.commands.runs import run_filter
from nano_tui.errors import UserError
from nano_tui.safe_text import say
from nano_tui.trajectory import RunSummary, load
from nano_tui.trajectory.discovery import locate_for_command
from nano_tui.trajectory.export import REDACTED, save_chunks, save_export, write_export
from nano_tui.trajectory.export.redaction import Redactor
from nano_tui.trajectory.loader import is_single_run


def main(args: argparse.Namespace) -> int:
    if args.format == "dataset":
        return _dataset(args)
    if args.format == "atif" and not (len(args.paths) == 1 and is_single_run(args.paths[0])):
        return _harbor_job(args)
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


class _Selection:
    """The runs under the command's paths that its filters keep, counted as they are read."""

    def __init__(self, args: argparse.Namespace) -> None:
        from nano_tui.trajectory.run_index import Listing

        self._chosen = run_filter(args)
        self.listing = Listing(locate_for_command(args.paths), args.index)
        self.written = 0
        self.left_out = 0

    def __iter__(self) -> Iterator[RunSummary]:
        for batch in self.listing:
            for run in batch:
                if self._chosen.matches(run):
                    self.written += 1
                    yield run
                else:
                    self.left_out += 1

    def tell(self, where: str) -> None:
        if self.listing.notice:
            say(self.listing.notice)
        left = f" ({self.left_out:,} left out by the filters)" if self.left_out else ""
        say(f"{self.written:,} run{'s' if self.written != 1 else ''} written{where}{left}")


def _dataset(args: argparse.Namespace) -> int:
    from nano_tui.trajectory.export.dataset import dataset_chunks

    runs = _Selection(args)
    redactor = Redactor() if args.redact else None
    lines = dataset_chunks(runs, say, redactor)
    if args.output is None:
        for line in lines:
            sys.stdout.write(line)
    else:
        _save(lambda: save_chunks(lines, args.output), args.output)
    _tell(redactor)
    runs.tell(f" to {args.output}" if args.output else "")
    return 0


def _harbor_job(args: argparse.Namespace) -> int:
    from nano_tui.trajectory.export.harbor import job_name, write_job

    if args.output is None:
        raise UserError("a folder of runs exports to ATIF as a Harbor job: give the folder to write it "
                        "in with -o OUTDIR (one run: give its folder)")
    runs = _Selection(args)
    job = job_name(args.paths)
    _save(lambda: write_job(runs, args.output, job, args.paths, say, args.redact), args.output / job)
    runs.tell(f" as the Harbor job {args.output / job}")
    say(f"see it with: harbor view {args.output}")
    return 0
