"""Writing a trajectory as JSON, Markdown, a standalone HTML page or ATIF, a turn at a time (and many runs as
a dataset: :mod:`~nano_tui.trajectory.export.dataset`)."""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TextIO

from nano_tui.safe_text import printable
from nano_tui.trajectory.export.redaction import Redacted, Redactor
from nano_tui.trajectory.trajectory import Trajectory

FORMATS = ("json", "md", "html", "atif")
#: The formats made to be shared, whose secrets are replaced unless asked not to (and the dataset).
REDACTED = ("md", "html", "atif")


def chunks(fmt: str, redactor: Redactor | None = None) -> Callable[[Trajectory], Iterator[str]]:
    """The function that renders ``fmt`` (one of :data:`FORMATS`) piece by piece. Markdown and HTML
    pass through :func:`~nano_tui.safe_text.printable` (they are read in terminals and browsers) and,
    given a ``redactor``, have their secrets replaced (they are shared); JSON keeps every character,
    escaped."""
    if fmt == "json":
        from nano_tui.trajectory.export.json_export import json_chunks

        return json_chunks
    if fmt == "atif":
        from nano_tui.trajectory.export.atif import atif_chunks

        return (lambda trajectory: atif_chunks(Redacted(trajectory, redactor))) if redactor else atif_chunks
    if fmt == "md":
        from nano_tui.trajectory.export.markdown import markdown_chunks as render
    elif fmt == "html":
        from nano_tui.trajectory.export.html import html_chunks as render
    else:
        raise ValueError(f"unknown export format: {fmt}")
    if redactor is not None:
        return lambda trajectory: map(printable, render(Redacted(trajectory, redactor)))
    return lambda trajectory: map(printable, render(trajectory))


def exporter(fmt: str) -> Callable[[Trajectory], str]:
    """The function that renders ``fmt`` as one string (for small runs; files are streamed)."""
    render = chunks(fmt)
    return lambda trajectory: "".join(render(trajectory))


def write_export(trajectory: Trajectory, fmt: str, out: TextIO, redactor: Redactor | None = None) -> None:
    for chunk in chunks(fmt, redactor)(trajectory):
        out.write(chunk)


def save_export(trajectory: Trajectory, fmt: str, path: Path, redactor: Redactor | None = None) -> None:
    """Write the export to ``path`` (see :func:`save_chunks`). Raises OSError."""
    save_chunks(chunks(fmt, redactor)(trajectory), path)


def save_chunks(pieces: Iterable[str], path: Path) -> None:
    """Write ``pieces`` to ``path`` (see :func:`replacing`). Raises OSError."""
    with replacing(path) as out:
        for piece in pieces:
            out.write(piece)


@contextlib.contextmanager
def replacing(path: Path) -> Iterator[TextIO]:
    """A file to write that becomes ``path`` once the block ends without an error: it is written
    beside it, so a failure half-way leaves an earlier file at ``path`` as it was. Raises OSError."""
    # created as any file the user writes (the umask applies), not 0600 as mkstemp would
    temporary = path.parent / f".{path.name}.{secrets.token_hex(6)}.part"
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            yield out
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
