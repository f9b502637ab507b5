"""Per-call cost of each shell backend against ``local`` on a trivial command, and nano-tui's peak
memory while a command floods 60 MB of output. Prints figures; asserts nothing.
Targets: the sandbox at most 30 ms a call more than local; peak RSS at most 300 MiB.

    .venv/bin/python -m benchmarks.shell_backends

The Docker figure needs a running daemon and builds a small image (as the tests do); it is left out,
saying why, where there is none.
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from nano_tui.core.environment import scrubbed_environment
from nano_tui.core.shell.backends import Backend, BackendSpec, make_backend
from nano_tui.core.shell.sandbox import bubblewrap_problem
from nano_tui.core.tools import ToolStats, shell

CALLS = 40


def per_call(backend: Backend) -> float:
    """Median seconds of ``true`` through the shell tool."""
    shell({"cmd": "true"}, backend, ToolStats(), 30)
    samples = []
    for _ in range(CALLS):
        started = time.perf_counter()
        shell({"cmd": "true"}, backend, ToolStats(), 30)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def repository(folder: Path) -> Path:
    repo = folder / "repo"
    repo.mkdir()
    for command in (["init", "-q"], ["commit", "-q", "--allow-empty", "-m", "empty"]):
        subprocess.run(["git", "-C", str(repo), "-c", "user.name=b", "-c", "user.email=b@b", *command],
                       check=True)
    return repo


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        repo = repository(folder)
        specs = [BackendSpec("local")]
        if bubblewrap_problem() is None:
            specs.append(BackendSpec("sandbox"))
        else:
            print(f"sandbox: left out ({bubblewrap_problem()})")
        sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
        from tests.core.images import build_image, docker_problem

        if docker_problem() is None:
            specs.append(BackendSpec("docker", build_image(folder)))
        else:
            print(f"docker: left out ({docker_problem()})")
        costs = {}
        for spec in specs:
            backend = make_backend(spec, repo, scrubbed_environment())
            backend.start()
            try:
                costs[spec.name] = per_call(backend)
            finally:
                backend.close()
        local = costs["local"]
        for name, cost in costs.items():
            extra = "" if name == "local" else f", {(cost - local) * 1e3:+.1f} ms against local"
            target = " (target <= +30 ms)" if name == "sandbox" else ""
            print(f"{name}: {cost * 1e3:.1f} ms a call (median of {CALLS}){extra}{target}")

        backend = make_backend(specs[-1 if len(specs) < 3 else 1], repo, scrubbed_environment())
        backend.start()
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        outcome = shell({"cmd": "yes | head -c 60000000"}, backend, ToolStats(), 120)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        backend.close()
        print(f"60 MB flood through {backend.spec.name}: {outcome.printed_bytes:,} bytes read, peak RSS "
              f"{peak:.0f} MiB (before it {before:.0f} MiB; target <= 300 MiB)")


if __name__ == "__main__":
    main()
