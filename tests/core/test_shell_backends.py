"""The model's shell, tried adversarially on every backend: real bash, real bubblewrap, real Docker.

Each test asserts what the user would see: the tool's reply (the panel shows it, the log keeps it)
and what is left on the machine afterwards.
"""

from __future__ import annotations

import contextlib
import http.server
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from nano_tui.core.control import RunControl, Stopped
from nano_tui.core.environment import scrubbed_environment
from nano_tui.core.shell.backends import Backend, BackendError, BackendSpec, make_backend
from nano_tui.core.shell.sandbox import bubblewrap_problem
from nano_tui.core.shell.scope import CallScope
from nano_tui.core.tools import ToolStats, shell
from nano_tui.core.workspace import Workspace
from tests.core.images import build_image, docker_problem

ALL = ["local", "sandbox", "docker"]
CONFINED = ["sandbox", "docker"]


@pytest.fixture(scope="session")
def docker_image(tmp_path_factory: pytest.TempPathFactory) -> str:
    problem = docker_problem()
    if problem is not None:
        pytest.skip(f"no Docker here: {problem} (.ci/run installs docker.io and starts dockerd)")
    return build_image(tmp_path_factory.mktemp("image"))


def open_backend(name: str, repo: Path, request: pytest.FixtureRequest) -> Backend:
    if name == "sandbox" and bubblewrap_problem() is not None:
        pytest.skip(f"no sandbox here: {bubblewrap_problem()} (.ci/run installs bubblewrap)")
    image = request.getfixturevalue("docker_image") if name == "docker" else None
    backend = make_backend(BackendSpec(name, image), repo, scrubbed_environment())
    backend.start()
    request.addfinalizer(backend.close)
    return backend


@pytest.fixture(params=ALL)
def backend(request: pytest.FixtureRequest, git_repo: Path) -> Backend:
    return open_backend(request.param, git_repo, request)


@pytest.fixture(params=CONFINED)
def confined(request: pytest.FixtureRequest, git_repo: Path) -> Backend:
    return open_backend(request.param, git_repo, request)


def run(backend: Backend, cmd: str, timeout: float = 30, control: RunControl | None = None) -> str:
    return shell({"cmd": cmd}, backend, ToolStats(), timeout, control).output


def processes(marker: str) -> list[int]:
    """Live processes on this machine (containers' included) whose command line holds ``marker``."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
                state = Path(f"/proc/{entry}/stat").read_bytes().rsplit(b")", 1)[1].split()[0]
            except (OSError, IndexError):
                continue
            if marker.encode() in cmdline and state != b"Z":
                found.append(int(entry))
    return found


def gone(marker: str, timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while left := processes(marker):
        if time.monotonic() > deadline:
            for pid in left:  # what is left, for the report
                with contextlib.suppress(OSError):
                    print(pid, Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")[:300])
            return False
        time.sleep(0.05)
    return True


# -- every backend -------------------------------------------------------------------------------


def test_a_background_child_neither_holds_the_call_nor_outlives_it(backend: Backend) -> None:
    started = time.monotonic()
    assert run(backend, "(sleep 301.5 &); setsid sleep 301.5 & echo started") == "started"
    assert time.monotonic() - started < 10
    assert gone("301.5"), "a background child is still running"


def test_a_never_ending_command_times_out(backend: Backend) -> None:
    output = run(backend, "while :; do :; done", timeout=1)
    assert output == "command failed with exit code 124. Error output:\nCommand timed out after 1s"


@pytest.mark.parametrize("command", ["yes stop-302 | cat", "while :; do :; done # stop-302",
                                     "(sleep 302.5 &); sleep 302.5 # stop-302"],
                         ids=["flood", "never-ending", "background child"])
def test_stop_ends_a_command_at_once(backend: Backend, command: str) -> None:
    control = RunControl()
    threading.Timer(0.5, control.stop).start()
    started = time.monotonic()
    with pytest.raises(Stopped):
        run(backend, command, timeout=60, control=control)
    assert time.monotonic() - started < 8
    # the marker has letters and a dot: a container's hex id (in its shim's command line) can hold "302"
    assert gone("stop-302") and gone("302.5"), "a process of the stopped call is still running"


def test_a_process_flood_is_bounded_and_cleared(backend: Backend) -> None:
    """A bounded stand-in for a fork bomb: 700 sleepers against a limit of 512 processes a call."""
    if backend.spec.name != "docker" and not CallScope.open().limits_processes:
        pytest.skip("this machine lets nano-tui make no pids cgroup: the process limit is the sandbox's own")
    output = run(backend, "for i in $(seq 700); do sleep 303.5 & done; echo launched", timeout=60)
    assert "Resource temporarily unavailable" in output
    assert gone("303.5")


def test_secrets_stay_out_of_env(backend: Backend, monkeypatch: pytest.MonkeyPatch, git_repo: Path,
                                 request: pytest.FixtureRequest) -> None:
    secrets = {"OPENAI_API_KEY": "sk-live-abcdefghijklmnop1234", "DB_PASS": "hunter2",
               "DATABASE_URL": "postgres://admin:s3cret@db/prod", "SENTRY_DSN": "https://k3y@o1.ingest/9",
               "MY_SERVICE_PW": "pw-4567", "INNOCENT": "ghp_abcdefghijklmnopqrstuvwxyz0123"}
    for name, value in secrets.items():
        monkeypatch.setenv(name, value)
    fresh = open_backend(backend.spec.name, git_repo, request)  # takes the environment as it is now
    output = run(fresh, "env")
    for name, value in secrets.items():
        assert value not in output, name
    assert "PATH=" in output


def test_the_model_cannot_steer_nano_tuis_git(backend: Backend, git_repo: Path, tmp_path: Path) -> None:
    """A hostile ``git config`` must neither run a program nano-tui's git calls would run nor falsify
    the diff the run records."""
    if backend.spec.name == "docker":
        pytest.skip("the test image has no git")
    pwned = tmp_path / "pwned"
    output = run(backend, f"git config core.fsmonitor 'touch {pwned}' && git config diff.external 'true' "
                          "&& echo '* filter=evil' > .gitattributes && "
                          f"git config filter.evil.clean 'touch {pwned}; cat'")
    if backend.confined:
        assert output.startswith("command failed"), "the sandbox keeps .git read-only"
    (git_repo / "app.py").write_text("def add(a, b):\n    return a + b\n")
    workspace = Workspace(git_repo)
    assert not workspace.is_clean()
    assert "+    return a + b" in workspace.diff()
    assert not pwned.exists(), "nano-tui's git ran a program the model configured"


def test_a_flood_is_read_in_bounded_memory(backend: Backend, git_repo: Path, tmp_path: Path) -> None:
    """60 MB of output: the model sees its start, the sidecar about a MiB, and nano-tui's peak memory
    stays far below what holding it would take (measured in a process of its own)."""
    probe = (
        "import resource, sys\n"
        "from pathlib import Path\n"
        "from nano_tui.core.environment import scrubbed_environment\n"
        "from nano_tui.core.shell.backends import BackendSpec, make_backend\n"
        "from nano_tui.core.tools import ToolStats, shell\n"
        "image = sys.argv[3] or None\n"
        "backend = make_backend(BackendSpec(sys.argv[1], image), Path(sys.argv[2]), scrubbed_environment())\n"
        "backend.start()\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "outcome = shell({'cmd': 'yes | head -c 60000000'}, backend, ToolStats(), 60)\n"
        "backend.close()\n"
        "print(outcome.printed_bytes, len(outcome.printed), outcome.output[:8] == 'y\\ny\\ny\\ny\\n',\n"
        "      (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024)\n"
    )
    image = getattr(backend.spec, "image", None) or ""
    result = subprocess.run([sys.executable, "-c", probe, backend.spec.name, str(git_repo), image],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    total, kept, starts, grew_mib = result.stdout.split()
    assert int(total) == 60_000_000 and starts == "True"
    assert int(kept) <= 1_200_000
    assert int(grew_mib) < 64, f"nano-tui grew by {grew_mib} MiB reading a 60 MB flood"


# -- confined backends ---------------------------------------------------------------------------


def test_nothing_outside_the_repository_can_be_written(confined: Backend, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    writes = [f"bash -c 'echo x > {outside}/by-bash'", f"sh -c 'echo x > {outside}/by-sh'",
              f"echo x > {Path.home()}/in-home", f"touch {outside}/by-touch"]
    if confined.spec.name == "sandbox":
        writes.append(f"python3 -c \"open('{outside}/by-python', 'w').write('x')\"")
    for command in writes:
        run(confined, command)
    assert list(outside.iterdir()) == [] and not (Path.home() / "in-home").exists()
    assert run(confined, "echo inside > inside.txt && cat inside.txt") == "inside"


def test_no_network_not_even_loopback(confined: Backend) -> None:
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        port = server.server_address[1]
        request = "printf 'GET /x HTTP/1.0\\r\\n\\r\\n' >&3 && cat <&3"
        output = run(confined, f"exec 3<>/dev/tcp/127.0.0.1/{port} && {request}")
        assert output.startswith("command failed")
        assert hits == []
    finally:
        server.shutdown()


def test_no_secret_is_in_reach(confined: Backend, monkeypatch: pytest.MonkeyPatch) -> None:
    """Not nano-tui's own environment through /proc, not the user's ~/.netrc."""
    monkeypatch.setenv("ONLY_IN_NANO_TUI", "parent-environment-306")
    (Path.home() / ".netrc").write_text("machine example.com login me password netrc-secret-305\n")
    output = run(confined, "cat /proc/[0-9]*/environ 2>/dev/null | tr '\\0' '\\n'; cat ~/.netrc")
    assert "netrc-secret-305" not in output and "parent-environment-306" not in output
    assert "PATH=" in output, "the command's own environment is readable"


# -- Docker's own failures -------------------------------------------------------------------------


def test_docker_says_what_is_missing(docker_image: str, git_repo: Path, tmp_path: Path) -> None:
    missing = make_backend(BackendSpec("docker", "nano-tui-test:no-such-image"), git_repo, {})
    with pytest.raises(BackendError, match="no image 'nano-tui-test:no-such-image' here"):
        missing.start()
    bare = build_image(tmp_path, tools=("sh", "sleep"), image="nano-tui-test:no-bash")
    without_bash = make_backend(BackendSpec("docker", bare), git_repo, {})
    with pytest.raises(BackendError, match="has no bash"):
        without_bash.start()
    assert not containers(), "a failed start leaves no container behind"


def containers() -> list[str]:
    listed = subprocess.run(["docker", "ps", "--all", "--quiet", "--filter", "label=nano-tui.owner"],
                            capture_output=True, text=True, timeout=30)
    return listed.stdout.split()


def test_a_container_left_by_a_killed_nano_tui_is_removed_at_the_next_start(docker_image: str,
                                                                             git_repo: Path) -> None:
    holder = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from nano_tui.core.shell.backends import BackendSpec, make_backend\n"
        "backend = make_backend(BackendSpec('docker', sys.argv[1]), Path(sys.argv[2]), {})\n"
        "backend.start()\n"
        "print(backend.container, flush=True)\n"
        "time.sleep(300)\n"
    )
    process = subprocess.Popen([sys.executable, "-c", holder, docker_image, str(git_repo)],
                               stdout=subprocess.PIPE, text=True)
    try:
        abandoned = process.stdout.readline().strip()
        assert abandoned and abandoned[:12] in " ".join(containers())
    finally:
        process.kill()
        process.wait()
    assert abandoned[:12] in " ".join(containers()), "the killed process could not clean up"
    backend = make_backend(BackendSpec("docker", docker_image), git_repo, {})
    backend.start()
    try:
        assert not any(abandoned.startswith(c) for c in containers())
    finally:
        backend.close()
    assert not containers()
