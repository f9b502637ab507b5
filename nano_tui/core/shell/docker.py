"""``--backend docker --image IMAGE``, as nano-agent 5.0.0: every command runs with ``bash -c`` in one
container kept for the run, the repository mounted at ``--workdir`` (default ``/app``).

The network is off unless asked for; processes a command leaves behind are killed when it returns (the
container's first process stays, everything else goes); the container is removed when the run ends,
however it ends, and one left by a nano-tui that was killed is removed at the next start (its label
names the host and the process that made it). The diff is still taken on the host.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import uuid
from pathlib import Path

from nano_tui.core.control import RunControl, Stopped
from nano_tui.core.shell.backends import BackendError, BackendSpec
from nano_tui.core.shell.process import Completed, run_process

OWNER_LABEL, PID_LABEL = "nano-tui.owner", "nano-tui.pid"
#: The container's first process: it reaps what a command leaves and survives ``kill -9 -1``.
KEEPER = "trap '' TERM INT; while :; do sleep 3600 & wait $!; done"
#: Each call: the model's command in ``bash -c``, as nano-agent runs it in a container, then every
#: process it left behind killed (all but the keeper and this shell), so ``docker exec`` returns at once.
CALL = 'bash -c "$1"; status=$?; kill -9 -1 2>/dev/null; exit $status'
MAX_PROCESSES = 512


class DockerBackend:
    confined = True

    def __init__(self, spec: BackendSpec, root: Path) -> None:
        self.spec, self.root = spec, root
        self.container: str | None = None

    def start(self) -> None:
        image = self.spec.image or ""
        check_docker(image)
        remove_abandoned()
        name = f"nano-tui-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        started = docker(
            "run", "--detach", "--rm", "--name", name, "--entrypoint", "bash",
            "--label", f"{OWNER_LABEL}={socket.gethostname()}", "--label", f"{PID_LABEL}={os.getpid()}",
            "--network", "bridge" if self.spec.network else "none", "--pids-limit", str(MAX_PROCESSES),
            "--user", f"{os.getuid()}:{os.getgid()}", "--volume", f"{self.root}:{self.spec.workdir}",
            "--workdir", self.spec.workdir, image, "-c", KEEPER)
        if started.returncode != 0:
            docker("rm", "--force", name, timeout=30)  # one that was made but could not start
            if "executable file not found" in started.stderr:
                raise BackendError(f"image {image!r} has no bash: the model's shell is bash")
            raise BackendError(f"cannot start a container of {image!r}: {_reason(started.stderr)}")
        self.container = started.stdout.strip()
        if docker("exec", self.container, "sleep", "0").returncode != 0:
            self.close()
            raise BackendError(f"image {image!r} has no sleep: its bash cannot wait in the background")

    def run(self, cmd: str, timeout: float, control: RunControl | None = None) -> Completed:
        if self.container is None:
            raise BackendError("the container is not running")
        argv = ["docker", "exec", "--workdir", self.spec.workdir, self.container,
                "bash", "-c", CALL, "nano-tui", cmd]
        try:
            completed = run_process(argv, str(self.root), dict(os.environ), timeout, control)
        except Stopped:
            self._clear()
            raise
        if completed.timed_out:
            self._clear()  # the command was cut off before it could clear up after itself
        return completed

    def _clear(self) -> None:
        """Kill whatever the command left running in the container (all but its first process)."""
        if self.container is not None:
            with contextlib.suppress(BackendError):
                docker("exec", self.container, "bash", "-c", "kill -9 -1 2>/dev/null; true", timeout=30)

    def close(self) -> None:
        if self.container is not None:
            with contextlib.suppress(BackendError):
                docker("rm", "--force", self.container, timeout=30)
            self.container = None

    def describe(self) -> str:
        network = "network on" if self.spec.network else "no network"
        return f"docker {self.spec.image} at {self.spec.workdir} ({network})"


def check_docker(image: str) -> None:
    """The docker CLI, its daemon and ``image`` are there; else :class:`BackendError`, saying which."""
    if shutil.which("docker") is None:
        raise BackendError("docker is not installed (apt-get install docker.io); or use --backend sandbox")
    info = docker("info", "--format", "{{.ServerVersion}}", timeout=20)
    if info.returncode != 0:
        raise BackendError(f"cannot reach the Docker daemon: {_reason(info.stderr)}")
    if docker("image", "inspect", image).returncode != 0:
        raise BackendError(f"no image {image!r} here: `docker pull {image}` or build it first")


def docker(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """One docker CLI call; a daemon that does not answer is a :class:`BackendError`."""
    try:
        return subprocess.run(["docker", *args], capture_output=True, text=True, timeout=timeout,
                              stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise BackendError(f"docker {args[0]} did not answer within {timeout:g}s") from None


def remove_abandoned() -> None:
    """Remove containers an earlier nano-tui on this host made and could not remove (it was killed)."""
    listed = docker("ps", "--all", "--filter", f"label={OWNER_LABEL}={socket.gethostname()}",
                    "--format", f'{{{{.ID}}}} {{{{.Label "{PID_LABEL}"}}}}')
    for line in listed.stdout.splitlines():
        container, _, pid = line.partition(" ")
        if pid.isdigit() and not _running(int(pid)):
            docker("rm", "--force", container, timeout=30)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _reason(text: str) -> str:
    """The line of docker's complaint that says what went wrong (not its "Run 'docker --help'")."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    errors = [line for line in lines if "rror" in line]
    return (errors or lines or ["no reason given"])[0]
