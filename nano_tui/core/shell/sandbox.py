"""The default shell: ``bash -c CMD`` inside bubblewrap.

The root filesystem is read-only; the repository is the one writable place besides a private
``/tmp``, and its ``.git`` stays read-only (the model reads history, it cannot rewrite nano-tui's
view of the result). The user's home is an empty folder, the network is cut (``network`` lets it out),
and the command runs in a PID namespace of its own: when its first process exits, every process it
started dies with it. nano-tui's own processes, their environments and their open files are out of
sight.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from pathlib import Path

from nano_tui.core.control import RunControl
from nano_tui.core.shell.backends import BackendSpec, check_available
from nano_tui.core.shell.process import Completed, run_process


@functools.cache
def bubblewrap_problem() -> str | None:
    """Why the sandbox cannot run here (no ``bwrap``, or user namespaces refused), or None."""
    if shutil.which("bwrap") is None:
        return "bubblewrap is not installed"
    probe = ["bwrap", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--unshare-pid",
             "--unshare-net", "--die-with-parent", "true"]
    try:
        result = subprocess.run(probe, capture_output=True, text=True, timeout=10, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"bwrap does not run: {error}"
    if result.returncode != 0:
        return f"bwrap does not work here: {(result.stderr.strip().splitlines() or ['?'])[-1]}"
    return None


class SandboxBackend:
    confined = True

    def __init__(self, spec: BackendSpec, root: Path, env: dict[str, str]) -> None:
        self.spec, self.root = spec, root
        self.home = Path.home()
        self.env = {**env, "HOME": str(self.home)}

    def start(self) -> None:
        check_available(self.spec)

    def argv(self, cmd: str) -> list[str]:
        """bubblewrap's command line: later mounts go over earlier ones."""
        root = str(self.root)
        argv = ["bwrap", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp"]
        if self.home != Path("/") and self.home.is_dir():
            argv += ["--tmpfs", str(self.home)]
        argv += ["--bind", root, root]
        git = self.root / ".git"
        if git.exists():
            argv += ["--ro-bind", str(git), str(git)]
        argv += ["--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
                 "--die-with-parent", "--new-session", "--chdir", root]
        if not self.spec.network:
            argv.append("--unshare-net")
        return [*argv, "--", "bash", "-c", cmd]

    def run(self, cmd: str, timeout: float, control: RunControl | None = None) -> Completed:
        return run_process(self.argv(cmd), str(self.root), self.env, timeout, control)

    def close(self) -> None:
        """Nothing to stop: each command's namespace is gone when it returns."""

    def describe(self) -> str:
        return "sandbox (bubblewrap" + (", network on)" if self.spec.network else ", no network)")


