"""nano-tui: watch a coding agent work, live or from its logs.

``nano_tui.Agent`` is the nano-agent loop usable headless; it is loaded on first use so that importing
the package (the CLI's ``--help``, replay) never pays for litellm.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nano_tui.core.agent import Agent

__all__ = ["Agent", "installed_version"]


def installed_version() -> str:
    """The installed nano-tui's version (``unknown`` when run from a tree that is not installed)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("nano-tui")
    except PackageNotFoundError:
        return "unknown"


def __getattr__(name: str) -> Any:
    if name == "Agent":
        from nano_tui.core.agent import Agent

        return Agent
    raise AttributeError(f"module 'nano_tui' has no attribute {name!r}")
