"""The trajectory model, log loaders, run discovery and export. No Textual, no litellm."""

from nano_tui.trajectory.discovery import RunSummary, discover
from nano_tui.trajectory.loader import load
from nano_tui.trajectory.model import LogError, RunInfo, SkippedLine, ToolCall, Turn
from nano_tui.trajectory.trajectory import Trajectory

__all__ = ["LogError", "RunInfo", "RunSummary", "SkippedLine", "ToolCall", "Trajectory", "Turn", "discover",
           "load"]
