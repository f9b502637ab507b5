"""`e`: write the run as JSON, Markdown, standalone HTML or ATIF into the current directory."""

from __future__ import annotations

import re
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from nano_tui.trajectory import Trajectory
from nano_tui.trajectory.export import FORMATS, REDACTED, save_export
from nano_tui.trajectory.export.redaction import Redactor

DESCRIPTIONS = {
    "json": "json — the normalised trajectory, for scripts",
    "md": "md — a readable transcript",
    "html": "html — one standalone page, for sharing and handouts",
    "atif": "atif — ATIF v1.8, for Harbor's viewer and other trajectory tools",
}
#: File name endings that say what a file is.
SUFFIXES = {"atif": "atif.json"}


def export_path(trajectory: Trajectory, folder: Path, fmt: str) -> Path:
    """``<run folder name>.<fmt>`` with characters some file systems refuse (``:``) replaced."""
    source = trajectory.info.path
    stem = source.stem if source is not None and source.is_file() else (source.name if source else "run")
    return folder / f"{re.sub(r'[^A-Za-z0-9._-]', '-', stem) or 'run'}.{SUFFIXES.get(fmt, fmt)}"


class ExportScreen(ModalScreen[Path | None]):
    DEFAULT_CSS = """
    ExportScreen { align: center middle; background: $background 60%; }
    ExportScreen > Vertical {
        width: 64; height: auto; border: round $primary; background: $surface; padding: 0 1;
    }
    ExportScreen OptionList { height: auto; border: none; }
    ExportScreen Label { color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, trajectory: Trajectory, folder: Path) -> None:
        super().__init__()
        self.trajectory = trajectory
        self.folder = folder

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = Content("export this run")
            yield OptionList(*(Option(Content(DESCRIPTIONS[fmt]), id=fmt) for fmt in FORMATS))
            yield Label(Content(f"into {self.folder}"))

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        fmt = event.option.id or "json"
        path = export_path(self.trajectory, self.folder, fmt)
        redactor = Redactor() if fmt in REDACTED else None
        try:
            save_export(self.trajectory, fmt, path, redactor)
        except OSError as error:
            self.notify(f"Cannot write {path}: {error.strerror or error}", severity="error", markup=False)
            return
        found = len(redactor.findings) if redactor else 0
        redacted = f" · what looks like a secret replaced in {found} place{'s' if found != 1 else ''} " \
            "(the run's files are unchanged)" if found else ""
        self.notify(f"Wrote {path}{redacted}", title="Exported", markup=False)
        self.dismiss(path)

    def action_cancel(self) -> None:
        self.dismiss(None)
