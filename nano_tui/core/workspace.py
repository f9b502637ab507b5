"""The repository the agent works in, seen through GitPython: is it a repo, is it clean, what changed."""

from __future__ import annotations

import contextlib
import os
import stat
import subprocess
import tempfile
from pathlib import Path

import git

from nano_tui.core.environment import scrubbed_environment
from nano_tui.errors import UserError

#: nano-tui's own git calls run no program the repository's configuration names.
SAFE_CONFIG = ("core.fsmonitor=false", "core.hooksPath=/dev/null", "core.pager=cat", "diff.external=",
               "core.untrackedCache=false")


class Workspace:
    """A git working tree rooted at ``root`` (the folder that holds ``.git``, as nano requires)."""

    def __init__(self, root: str | Path):
        self.root = Path(root).absolute().resolve()
        self._repo: git.Repo | None = None

    @property
    def repo(self) -> git.Repo:
        if self._repo is None:
            self._repo = git.Repo(self.root, search_parent_directories=False)
        return self._repo

    def is_repo(self) -> bool:
        if not (self.root / ".git").exists():
            return False
        try:
            return self.repo is not None
        except (git.InvalidGitRepositoryError, git.NoSuchPathError):
            return False

    def git(self, *args: str) -> str:
        """Run nano-tui's own ``git`` on the repository, deaf to configuration that runs programs.

        The model can write ``.git/config`` (with the local backend) or ``.gitattributes``: an
        fsmonitor, a clean filter, an external diff or textconv driver would otherwise run with
        nano-tui's environment, keys included, and could falsify the diff the run records. So those
        are switched off, the work tree is named (``core.worktree`` cannot move it) and the command
        gets the scrubbed environment."""
        overrides = [*SAFE_CONFIG]
        for name in self._filter_names():
            overrides += [f"filter.{name}.clean=", f"filter.{name}.smudge=", f"filter.{name}.process=",
                          f"filter.{name}.required=false"]
        command = ["git", *(arg for value in overrides for arg in ("-c", value)),
                   f"--git-dir={self.root / '.git'}", f"--work-tree={self.root}", *args]
        env = scrubbed_environment() | {"GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0"}
        result = subprocess.run(command, cwd=self.root, env=env, capture_output=True,
                                stdin=subprocess.DEVNULL)
        if result.returncode != 0:
            raise UserError(f"git {args[0]} failed in {self.root}: "
                            f"{result.stderr.decode('utf-8', 'replace').strip() or result.returncode}")
        return result.stdout.decode("utf-8", errors="ignore")

    def _filter_names(self) -> set[str]:
        """The filter drivers the repository's configuration defines (reading it runs nothing)."""
        result = subprocess.run(["git", f"--git-dir={self.root / '.git'}", "config", "--null", "--get-regexp",
                                 r"^filter\."], cwd=self.root, capture_output=True, stdin=subprocess.DEVNULL,
                                env=scrubbed_environment())
        keys = [entry.split(b"\n", 1)[0].decode("utf-8", "replace") for entry in result.stdout.split(b"\0")]
        return {key.split(".", 1)[1].rsplit(".", 1)[0] for key in keys if key.count(".") >= 2}

    def dirty_paths(self) -> list[str]:
        """``git status --porcelain`` lines: modified, staged and untracked paths."""
        return [line for line in self.git("status", "--porcelain").splitlines() if line.strip()]

    def is_clean(self) -> bool:
        return not self.dirty_paths()

    def head_commit(self) -> str | None:
        try:
            return self.repo.head.commit.hexsha
        except ValueError:  # no commit yet
            return None

    def diff(self) -> str:
        """The cumulative ``git diff`` of tracked files, what nano writes to diff.txt (external diff
        and textconv drivers left out, see :meth:`git`)."""
        return self.git("diff", "--no-ext-diff", "--no-textconv")

    def inside(self, relative: str) -> Path | None:
        """The resolved path of ``relative`` if it stays inside the repo's work tree (no ``..``, absolute
        path or symlink leading out, nothing in ``.git``), else None."""
        target = (self.root / relative).resolve()
        if not target.is_relative_to(self.root) or target.is_relative_to(self.root / ".git"):
            return None
        return target


def require_clean_repository(path: str | Path) -> Workspace:
    """The workspace at ``path``, if it is a clean git repository (nano's preconditions); else a
    :class:`UserError` saying what to do."""
    workspace = Workspace(path)
    if not workspace.root.is_dir():
        raise UserError(f"repository folder not found: {path}")
    if not workspace.is_repo():
        raise UserError(f"not a git repository: {workspace.root} "
                        "(run `git init` there, or pick another --repo)")
    dirty = workspace.dirty_paths()
    if dirty:
        raise UserError(f"the repository has uncommitted changes ({len(dirty)}, e.g. `{dirty[0].strip()}`): "
                        "commit or stash them first, so the run's diff is only the agent's work")
    return workspace


def replace_file(target: Path, data: bytes) -> None:
    """Write ``data`` as a new file renamed over ``target`` (same mode): a hard link from ``target`` to a
    file outside the repository keeps pointing at the old content instead of being written through."""
    mode = stat.S_IMODE(target.stat().st_mode)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


