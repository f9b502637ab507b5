"""A small container image for the Docker backend's tests, made here: no registry is reachable.

The host's own ``bash``, ``sh`` and a few coreutils, with the libraries they load, are put in a
folder and ``docker import``-ed; building it takes a second and a few MiB.
"""

from __future__ import annotations

import shutil
import subprocess
import tarfile
from pathlib import Path

IMAGE = "nano-tui-test:shell"
TOOLS = ("bash", "sh", "sleep", "cat", "ls", "env", "touch", "head", "tail", "seq", "yes", "tr", "id",
         "wc", "rm", "mkdir", "setsid")


def docker_problem() -> str | None:
    """Why Docker cannot be used here, or None."""
    if shutil.which("docker") is None:
        return "docker is not installed"
    info = subprocess.run(["docker", "info", "--format", "{{.ServerVersion}}"], capture_output=True,
                          text=True, timeout=30)
    return None if info.returncode == 0 else f"the Docker daemon does not answer: {info.stderr.strip()[:200]}"


def build_image(folder: Path, tools: tuple[str, ...] = TOOLS, image: str = IMAGE) -> str:
    """Assemble a root filesystem of ``tools`` in ``folder`` and import it as ``image``."""
    root = folder / "rootfs"
    for tool in tools:
        found = shutil.which(tool)
        if found is None:
            continue
        for path in {Path(found).resolve(), *_libraries(Path(found).resolve())}:
            target = root / path.relative_to("/")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
        link = root / "bin" / tool
        link.parent.mkdir(parents=True, exist_ok=True)
        if not link.exists():
            link.symlink_to(Path(found).resolve())
    for empty in ("tmp", "app", "etc", "proc", "dev"):
        (root / empty).mkdir(parents=True, exist_ok=True)
    archive = folder / "rootfs.tar"
    with tarfile.open(archive, "w") as tar:
        tar.add(root, arcname=".")
    subprocess.run(["docker", "import", str(archive), image], check=True, capture_output=True, timeout=120)
    return image


def _libraries(binary: Path) -> list[Path]:
    listed = subprocess.run(["ldd", str(binary)], capture_output=True, text=True).stdout
    return [Path(word) for line in listed.splitlines() for word in line.split() if word.startswith("/")]
