"""Reading a run folder's files without trusting them. A run folder may come from anywhere: a FIFO in
place of ``metadata.json`` would block an ordinary ``open`` forever, a link to ``/dev/zero`` would fill
memory. Only regular files are read, never more than :data:`SIDE_FILE_LIMIT` bytes of the small ones,
and a file that is there but cannot be read says why in one short phrase."""

from __future__ import annotations

import os
import stat
from pathlib import Path

#: The most nano-tui reads of a run's smaller files (metadata, tools, stats, the final diff, the tool
#: log, the sidecar). nano's own are kilobytes; a final diff of a big refactor a few megabytes.
SIDE_FILE_LIMIT = 256 * 1024 * 1024

_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe"), (stat.S_ISCHR, "a device"),
          (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket"))


class Unreadable(Exception):
    """A file that is there but is not read; the message says why (``a named pipe, not a file``)."""


def open_regular(path: Path) -> int:
    """A descriptor for ``path`` if it is a regular file (links followed). Opening never waits: a named
    pipe with no writer would block a plain ``open``. FileNotFoundError when nothing is there."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise
    except OSError as error:
        raise Unreadable(error.strerror or str(error)) from error
    mode = os.fstat(descriptor).st_mode
    if not stat.S_ISREG(mode):
        os.close(descriptor)
        kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
        raise Unreadable(f"{kind}, not a file")
    os.set_blocking(descriptor, True)
    return descriptor


def read_regular(path: Path, offset: int = 0, limit: int = SIDE_FILE_LIMIT) -> bytes | None:
    """The bytes of ``path`` from ``offset``; None when there is nothing at ``path``. Raises
    :class:`Unreadable` for anything but a readable regular file of at most ``limit`` bytes."""
    try:
        descriptor = open_regular(path)
    except FileNotFoundError:
        return None
    try:
        size = os.fstat(descriptor).st_size
        if size > limit:
            raise Unreadable(f"{size:,} bytes, over the {limit:,} nano-tui reads")
        chunks = []
        os.lseek(descriptor, offset, os.SEEK_SET)
        while chunk := os.read(descriptor, min(1 << 20, limit + 1)):
            chunks.append(chunk)
            limit -= len(chunk)
            if limit < 0:
                raise Unreadable("grew past the size nano-tui reads while it was read")
        return b"".join(chunks)
    except OSError as error:
        raise Unreadable(error.strerror or str(error)) from error
    finally:
        os.close(descriptor)
