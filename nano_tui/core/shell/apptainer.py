"""``--backend apptainer --image IMAGE``: every command runs with ``bash -c`` in a fresh
``apptainer exec`` of the image, the repository bound at ``--workdir``, the host's home and
environment left out, a PID namespace per command (what it leaves behind dies with it) and no network
unless asked for."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from nano_tui.core.control import RunControl
from nano_tui.core.shell.backends import BackendError, BackendSpec
from nano_tui.core.shell.process import Completed, run_process


def check_apptainer(image: str) -> None:
    """``apptainer`` and ``image`` (a ``.sif`` file or a ``docker://`` reference) are there."""
    if shutil.which("apptainer") is None:
        raise BackendError("apptainer is not installed here (it has no Debian package: see "
                           "https://apptainer.org/docs/admin/main/installation.html); "
                           "or use --backend docker")
    if not Path(image).exists() and "://" not in image:
        raise BackendError(f"no image {image!r}: give a .sif file or a docker:// reference")


class ApptainerBackend:
    confined = True

    def __init__(self, spec: BackendSpec, root: Path) -> None:
        self.spec, self.root = spec, root

    def start(self) -> None:
        check_apptainer(self.spec.image or "")

    def argv(self, cmd: str) -> list[str]:
        argv = ["apptainer", "exec", "--containall", "--pid", "--no-home", "--cleanenv",
                "--bind", f"{self.root}:{self.spec.workdir}", "--pwd", self.spec.workdir]
        if not self.spec.network:
            argv += ["--net", "--network", "none"]
        return [*argv, self.spec.image or "", "bash", "-c", cmd]

    def run(self, cmd: str, timeout: float, control: RunControl | None = None) -> Completed:
        return run_process(self.argv(cmd), str(self.root), dict(os.environ), timeout, control)

    def close(self) -> None:
        """Nothing to stop: each command's container is gone when it returns."""

    def describe(self) -> str:
        network = "network on" if self.spec.network else "no network"
        return f"apptainer {self.spec.image} at {self.spec.workdir} ({network})"
