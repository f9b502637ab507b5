"""One command, run to the end of its own process and no further: bounded output, timeout, stop.

The loop thread reads the pipe itself (no reader thread to wait for), so a background child holding
the pipe open cannot hold the call: once the command's own process exits, what is already in the
pipe is read, every process of the call is killed (:class:`~nano_tui.core.shell.scope.CallScope`) and
the pipe is closed. Timeout and stop kill the same way, at any moment, floods included.
"""

from __future__ import annotations

import contextlib
import os
import resource
import select
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from nano_tui.core.control import RunControl, Stopped
from nano_tui.core.shell.output import CapturedOutput
from nano_tui.core.shell.scope import CallScope

READ_SIZE = 64 << 10
READ_BURST = 16
#: How long the pipe is still read once the command's own process has exited.
DRAIN_SECONDS = 0.2
POLL_SECONDS = 0.05


@dataclass(frozen=True)
class Limits:
    """Per-process limits of a call's processes (rlimits; the cgroup bounds their number)."""

    cpu_seconds: int = 600
    file_bytes: int = 4 << 30
    memory_bytes: int = 0

    def apply(self) -> None:
        """In the child between fork and exec."""
        resource.setrlimit(resource.RLIMIT_CPU, (self.cpu_seconds, self.cpu_seconds))
        resource.setrlimit(resource.RLIMIT_FSIZE, (self.file_bytes, self.file_bytes))
        if self.memory_bytes:
            resource.setrlimit(resource.RLIMIT_AS, (self.memory_bytes, self.memory_bytes))


def default_limits() -> Limits:
    """Half the machine's memory per process: a runaway command fails before the machine does."""
    try:
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2
    except (ValueError, OSError):
        memory = 0
    return Limits(memory_bytes=memory)


@dataclass
class Completed:
    output: CapturedOutput
    returncode: int
    timed_out: bool = False


def run_process(argv: Sequence[str], cwd: str, env: dict[str, str], timeout: float,
                control: RunControl | None = None, limits: Limits | None = None,
                after: Callable[[], None] | None = None) -> Completed:
    """Run ``argv`` with stdout and stderr merged; return when its own process exits or ``timeout``
    seconds pass. ``after`` runs once every process of the call is gone (a container's clean-up).
    Raises :class:`Stopped` when the run was stopped meanwhile."""
    limits = limits or default_limits()
    scope = CallScope.open()

    def prepare_child() -> None:
        scope.enter()
        limits.apply()

    output = CapturedOutput()
    read_end, write_end = os.pipe()
    try:
        proc = subprocess.Popen(list(argv), cwd=cwd, env=scope.environment(env), stdin=subprocess.DEVNULL,
                                stdout=write_end, stderr=write_end, start_new_session=True,
                                preexec_fn=prepare_child)
    except BaseException:
        os.close(read_end)
        os.close(write_end)
        scope.close()
        raise
    os.close(write_end)
    os.set_blocking(read_end, False)
    deadline = time.monotonic() + timeout
    timed_out = stopped = False
    open_pipe = True
    try:
        while proc.poll() is None:
            stopped = control is not None and control.stopped
            timed_out = time.monotonic() >= deadline
            if stopped or timed_out:
                break
            if not open_pipe:
                time.sleep(POLL_SECONDS)  # every writer closed the pipe; the process goes on
            elif select.select([read_end], [], [], POLL_SECONDS)[0]:
                open_pipe = _read_available(read_end, output)
        else:
            drain_until = time.monotonic() + DRAIN_SECONDS
            while open_pipe and time.monotonic() < drain_until:
                if not select.select([read_end], [], [], POLL_SECONDS)[0]:
                    break
                open_pipe = _read_available(read_end, output)
    finally:
        scope.kill(proc.pid)
        os.close(read_end)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(5)
        scope.close()
        if after is not None:
            after()
    if stopped:
        raise Stopped()
    if timed_out:
        timeout_output = CapturedOutput()
        timeout_output.feed(f"Command timed out after {timeout:g}s".encode())
        return Completed(timeout_output, 124, timed_out=True)
    return Completed(output, proc.returncode if proc.returncode is not None else -1)


def _read_available(fd: int, output: CapturedOutput) -> bool:
    """Read what the pipe holds now, a MiB at most (a flood never empties it, and the timeout and stop
    are checked between reads); False at end of file (every writer has closed it)."""
    for _ in range(READ_BURST):
        try:
            data = os.read(fd, READ_SIZE)
        except BlockingIOError:
            return True
        if not data:
            return False
        output.feed(data)
    return True
