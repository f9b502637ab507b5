"""A program started as a user starts it, in a terminal: its own pseudo-terminal of a fixed size, a clean
environment, and the clock stopped when the first frame holding a given text has been written to the
terminal. What a person sees, measured from outside the process, with no test harness inside it."""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import select
import signal
import struct
import sys
import termios
import time

#: Where a program draws: the size the other start-up figures are taken at.
COLUMNS, LINES = 120, 36
#: A program that shows nothing for this long has failed.
PATIENCE = 60.0


def clean_env(**extra: str) -> dict[str, str]:
    """What a fresh login shell would pass: no terminal size, no bytecode switch, no keys."""
    env = {name: os.environ[name] for name in ("PATH", "HOME", "TMPDIR") if name in os.environ}
    env.update(TERM="xterm-256color", LANG="C.UTF-8", LC_ALL="C.UTF-8", COLORTERM="truecolor")
    env.update(extra)
    return env


def first_frame(argv: list[str], marker: str, env: dict[str, str] | None = None,
                output: bytearray | None = None) -> tuple[float, int]:
    """Seconds from starting ``argv`` in a terminal of :data:`COLUMNS` × :data:`LINES` until it has
    written ``marker``, and the process's peak RSS in KiB then (it is killed once seen). ``output``,
    when given, receives every byte it wrote (Textual draws on standard error, where Python's own
    reports go too)."""
    started = time.perf_counter()
    pid, terminal = pty.fork()
    if pid == 0:  # the child: becomes the program
        try:
            fcntl.ioctl(sys.stdout.fileno(), termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
            os.execvpe(argv[0], argv, env if env is not None else clean_env())
        finally:
            os._exit(127)
    wanted, seen, elapsed = marker.encode(), b"", None
    try:
        while elapsed is None:
            ready, _, _ = select.select([terminal], [], [], PATIENCE)
            if not ready:
                raise SystemExit(f"{argv[0]} showed no {marker!r} in {PATIENCE:g} s")
            try:
                chunk = os.read(terminal, 1 << 16)
            except OSError:
                chunk = b""
            if not chunk:
                tail = seen[-600:].decode(errors="replace")
                raise SystemExit(f"{' '.join(argv)} ended before showing {marker!r}: …{tail}")
            if output is not None:
                output += chunk
            seen = seen[-len(wanted):] + chunk
            if wanted in seen:
                elapsed = time.perf_counter() - started
    finally:
        with contextlib.suppress(ProcessLookupError):  # it may have ended by itself
            os.kill(pid, signal.SIGKILL)
        _, _, usage = os.wait4(pid, 0)
        os.close(terminal)
    return elapsed, usage.ru_maxrss
