"""nano-agent's shell exactly: ``bash -rc CMD`` in the repository root, with nothing but rbash's
rules in the way. For runs that must match nano-agent's environment; nothing is confined."""

from __future__ import annotations

import contextlib
import ctypes
from pathlib import Path

from nano_tui.core.control import RunControl
from nano_tui.core.shell.backends import BackendSpec
from nano_tui.core.shell.process import Completed, run_process

PR_SET_DUMPABLE = 4


class LocalBackend:
    confined = False

    def __init__(self, spec: BackendSpec, root: Path, env: dict[str, str]) -> None:
        self.spec, self.root, self.env = spec, root, env

    def start(self) -> None:
        """The model's commands run as this user: without the sandbox's own ``/proc`` they could read
        nano-tui's environment (its API key) and open its log files through ``/proc/<pid>``. A process
        that is not dumpable has those entries owned by root, out of a non-root user's reach."""
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)

    def run(self, cmd: str, timeout: float, control: RunControl | None = None) -> Completed:
        return run_process(["bash", "-rc", cmd], str(self.root), self.env, timeout, control)

    def close(self) -> None:
        """Nothing to stop: every call's processes are gone when it returns."""

    def describe(self) -> str:
        return "local (not confined)"
