"""Writing a trajectory as JSON, Markdown or a standalone HTML page."""

from __future__ import annotations

from collections.abc import Callable

from nano_tui.trajectory.trajectory import Trajectory

FORMATS = ("json", "md", "html")


def exporter(fmt: str) -> Callable[[Trajectory], str]:
    """The function that renders ``fmt`` (one of :data:`FORMATS`)."""
    if fmt == "json":
        from nano_tui.trajectory.export.json_export import to_json

        return to_json
    if fmt == "md":
        from nano_tui.trajectory.export.markdown import to_markdown

        return to_markdown
    if fmt == "html":
        from nano_tui.trajectory.export.html import to_html

        return to_html
    raise ValueError(f"unknown export format: {fmt}")
