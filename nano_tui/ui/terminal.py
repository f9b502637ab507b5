"""The terminal the app draws on: its real size, not what a stale environment claims.

Python's readline exports ``LINES`` and ``COLUMNS`` in an interactive session, and every child
process inherits them; Textual (through ``shutil.get_terminal_size``) believes them before asking the
terminal, so an app started from such a shell draws a screen of the wrong size. With a real terminal
on stdout its own answer wins.
"""

from __future__ import annotations

import os
import sys
from collections.abc import MutableMapping
from typing import TextIO

SIZE_VARIABLES = ("LINES", "COLUMNS")


def trust_real_terminal(environ: MutableMapping[str, str] | None = None,
                        stream: TextIO | None = None) -> bool:
    """Drop ``LINES``/``COLUMNS`` from ``environ`` (default ``os.environ``) when ``stream`` (default
    the process's stdout) is a terminal that reports its size; return whether it is one."""
    environ = os.environ if environ is None else environ
    stream = sys.__stdout__ if stream is None else stream
    try:
        os.get_terminal_size(stream.fileno())
    except (AttributeError, ValueError, OSError):
        return False
    for name in SIZE_VARIABLES:
        environ.pop(name, None)
    return True
