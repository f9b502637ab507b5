"""The trajectory model, log loaders, run discovery and export. No Textual, no litellm."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nano_tui.trajectory.loader import load
from nano_tui.trajectory.model import LogError, RunInfo, SkippedLine, ToolCall, Turn
from nano_tui.trajectory.trajectory import Trajectory

if TYPE_CHECKING:
    from nano_tui.trajectory.discovery import RunSummary, discover

__all__ = ["LogError", "RunInfo", "RunSummary", "SkippedLine", "ToolCall", "Trajectory", "Turn", "discover",
           "load"]


def __getattr__(name: str) -> Any:
    """Discovery (listing folders of runs) is loaded when first asked for: opening one run never
    needs it."""
    if name in ("RunSummary", "discover"):
        from nano_tui.trajectory import discovery

        return getattr(discovery, name)
    raise AttributeError(f"module 'nano_tui.trajectory' has no attribute {name!r}")
