"""Every process one shell call starts, found again so that all of them can be killed when it ends.

A model starts a dev server with ``(server &)`` or ``setsid``; the call must still return when its own
process exits, and nothing may be left running. Three nets, widest first:

- a cgroup of the call's own (cgroup v1 ``pids`` or a v2 child of ours), where nano-tui may make one:
  no process leaves it, and its ``pids.max`` bounds a fork flood;
- a marker in the environment of the call's processes, which children inherit;
- the descendants of the call's first process.
The sandbox backend adds a PID namespace that dies with the command (see ``sandbox.py``).
"""

from __future__ import annotations

import contextlib
import itertools
import os
import signal
import time
import uuid
from pathlib import Path

MARKER = "NANO_TUI_CALL"
#: Processes one call may have at once (its cgroup's ``pids.max``).
MAX_PROCESSES = 512
_counter = itertools.count()


def _own_cgroup_dirs() -> list[Path]:
    """Folders where a child cgroup of ours can go: v1 ``pids`` first (it limits), then v2."""
    places = []
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return []
    for line in lines:
        _, controllers, path = line.split(":", 2)
        if "pids" in controllers.split(","):
            places.insert(0, Path("/sys/fs/cgroup/pids") / path.lstrip("/"))
        elif controllers == "":
            for mount in (Path("/sys/fs/cgroup/unified"), Path("/sys/fs/cgroup")):
                if (mount / "cgroup.controllers").exists():
                    places.append(mount / path.lstrip("/"))
                    break
    return places


def _make_cgroup(limit: int) -> Path | None:
    for parent in _own_cgroup_dirs():
        folder = parent / f"nano-tui-{os.getpid()}-{next(_counter)}"
        try:
            folder.mkdir()
        except OSError:
            continue
        with contextlib.suppress(OSError):
            (folder / "pids.max").write_text(str(limit))
        return folder
    return None


class CallScope:
    """Open one per call (:meth:`open`), start the call's process with :meth:`environment` and
    :meth:`enter` (in the child, before exec), and :meth:`kill` when the call is over."""

    def __init__(self, cgroup: Path | None, marker: str) -> None:
        self.cgroup = cgroup
        self.marker = marker
        self._procs = os.open(cgroup / "cgroup.procs", os.O_WRONLY) if cgroup else None

    @classmethod
    def open(cls, max_processes: int = MAX_PROCESSES) -> CallScope:
        return cls(_make_cgroup(max_processes), uuid.uuid4().hex)

    @property
    def limits_processes(self) -> bool:
        return self.cgroup is not None and (self.cgroup / "pids.max").exists()

    def environment(self, env: dict[str, str]) -> dict[str, str]:
        return {**env, MARKER: self.marker}

    def enter(self) -> None:
        """In the child between fork and exec: join the call's cgroup (async-signal-safe calls only)."""
        if self._procs is not None:
            os.write(self._procs, b"0")

    def members(self, root: int | None = None) -> set[int]:
        """The call's live processes: in its cgroup, carrying its marker, or below ``root``."""
        found: set[int] = set()
        if self.cgroup is not None:
            with contextlib.suppress(OSError):
                found |= {int(pid) for pid in (self.cgroup / "cgroup.procs").read_text().split()}
        parents: dict[int, int] = {}
        needle = f"{MARKER}={self.marker}".encode()
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            pid = int(entry.name)
            try:
                with open(f"/proc/{pid}/stat", "rb") as stat:
                    fields = stat.read().rsplit(b")", 1)[1].split()
                parents[pid] = int(fields[1])
                if fields[0] != b"Z" and needle in Path(f"/proc/{pid}/environ").read_bytes():
                    found.add(pid)
            except (OSError, IndexError, ValueError):
                continue
        if root is not None:
            frontier = {root}
            while frontier:
                children = {pid for pid, parent in parents.items() if parent in frontier} - found
                found |= children
                frontier = children
            found.add(root)
        found.discard(os.getpid())
        return found

    def kill(self, root: int | None = None) -> None:
        """Kill every process of the call, until none is left (a fork loop gets a few rounds)."""
        first = root
        for _ in range(50):
            members = self.members(root)
            alive = [pid for pid in members if _alive(pid)]
            if not alive:
                break
            for pid in alive:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(pid, signal.SIGKILL)
            for pid in alive:  # our own children would stay zombies (the first is its Popen's to reap)
                if pid != first:
                    with contextlib.suppress(ChildProcessError, OSError):
                        os.waitpid(pid, os.WNOHANG)
            root = None if root is not None and not _alive(root) else root
            time.sleep(0.005)

    def close(self) -> None:
        if self._procs is not None:
            os.close(self._procs)
            self._procs = None
        if self.cgroup is not None:
            for _ in range(100):
                try:
                    self.cgroup.rmdir()
                    break
                except OSError:
                    time.sleep(0.01)  # the kernel lets go of killed members a moment later


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except (OSError, IndexError):
        return False
