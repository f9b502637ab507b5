"""Where the model's commands run, chosen once per run: ``sandbox`` (bubblewrap, the default where it
works), ``local`` (nano-agent's own ``bash -rc``), ``docker`` or ``apptainer`` (a container, as in
nano-agent 5.0.0). Every backend answers :meth:`Backend.run` the same way, so the loop and the model
see one tool."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from nano_tui.core.control import RunControl
from nano_tui.core.shell import BACKENDS
from nano_tui.core.shell.process import Completed


class BackendError(Exception):
    """The backend cannot run here (no bubblewrap, no Docker daemon, no image): one line saying why."""


@dataclass(frozen=True)
class BackendSpec:
    """What the user asked for: the backend, and for containers the image and where the repo goes."""

    name: str = "sandbox"
    image: str | None = None
    workdir: str = "/app"
    #: Let commands reach the network (the sandbox and containers cut it off by default).
    network: bool = False


class Backend(Protocol):
    spec: BackendSpec
    #: Whether commands are confined (their writes, network and view of the machine).
    confined: bool

    def start(self) -> None: ...

    def run(self, cmd: str, timeout: float, control: RunControl | None = None) -> Completed: ...

    def close(self) -> None: ...

    def describe(self) -> str: ...


def make_backend(spec: BackendSpec, root: Path, env: dict[str, str]) -> Backend:
    """The backend ``spec`` names, for the repository at ``root`` (commands get ``env``). Its
    ``start`` raises :class:`BackendError` when it cannot run here."""
    if spec.name == "local":
        from nano_tui.core.shell.local import LocalBackend

        return LocalBackend(spec, root, env)
    if spec.name == "sandbox":
        from nano_tui.core.shell.sandbox import SandboxBackend

        return SandboxBackend(spec, root, env)
    if spec.name == "docker":
        from nano_tui.core.shell.docker import DockerBackend

        return DockerBackend(spec, root)
    if spec.name == "apptainer":
        from nano_tui.core.shell.apptainer import ApptainerBackend

        return ApptainerBackend(spec, root)
    raise BackendError(f"unknown backend {spec.name!r}; choose one of: {', '.join(BACKENDS)}")


def default_spec() -> tuple[BackendSpec, str | None]:
    """The sandbox where bubblewrap works here; else local, with the warning to show."""
    from nano_tui.core.shell.sandbox import bubblewrap_problem

    problem = bubblewrap_problem()
    if problem is None:
        return BackendSpec("sandbox"), None
    return BackendSpec("local"), (f"the shell is not confined ({problem}): install bubblewrap "
                                  "(apt-get install bubblewrap) to sandbox it, or pass --backend local")


def check_available(spec: BackendSpec) -> None:
    """Raise :class:`BackendError` if ``spec``'s backend cannot run here: found before anything starts
    (a container is only made when the run starts)."""
    if spec.name == "sandbox":
        from nano_tui.core.shell.sandbox import bubblewrap_problem

        problem = bubblewrap_problem()
        if problem is not None:
            raise BackendError(f"--backend sandbox cannot run: {problem} (apt-get install bubblewrap, "
                               "or pass --backend local)")
    elif spec.name in ("docker", "apptainer"):
        if not spec.image:
            raise BackendError(f"--backend {spec.name} needs --image IMAGE")
        if spec.name == "docker":
            from nano_tui.core.shell.docker import check_docker

            check_docker(spec.image)
        else:
            from nano_tui.core.shell.apptainer import check_apptainer

            check_apptainer(spec.image)
    elif spec.name != "local":
        raise BackendError(f"unknown backend {spec.name!r}; choose one of: {', '.join(BACKENDS)}")
