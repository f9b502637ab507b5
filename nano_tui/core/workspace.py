"""The repository the agent works in, seen through GitPython: is it a repo, is it clean, what changed."""

from __future__ import annotations

import difflib
from pathlib import Path

import git

from nano_tui.errors import UserError


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

    def dirty_paths(self) -> list[str]:
        """``git status --porcelain`` lines: modified, staged and untracked paths."""
        out = self.repo.git.status("--porcelain", strip_newline_in_stdout=False)
        return [line for line in out.splitlines() if line.strip()]

    def is_clean(self) -> bool:
        return not self.dirty_paths()

    def head_commit(self) -> str | None:
        try:
            return self.repo.head.commit.hexsha
        except ValueError:  # no commit yet
            return None

    def diff(self) -> str:
        """The cumulative ``git diff`` of tracked files, byte for byte what nano writes to diff.txt."""
        return self.repo.git.diff(strip_newline_in_stdout=False)

    def inside(self, relative: str) -> Path | None:
        """The resolved path of ``relative`` if it stays inside the repo (no ``..``, absolute path or
        symlink leading out), else None."""
        target = (self.root / relative).resolve()
        return target if target.is_relative_to(self.root) else None


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


def patch_diff(file: str, before: str, after: str) -> str:
    """The unified diff of one patch to ``file``, in git's ``a/``/``b/`` form."""
    old = before.splitlines(keepends=True)
    new = after.splitlines(keepends=True)
    lines = []
    for line in difflib.unified_diff(old, new, f"a/{file}", f"b/{file}"):
        lines.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(lines)
