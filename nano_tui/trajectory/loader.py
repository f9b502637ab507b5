"""Opening a run: a nano-agent or nano-tui run folder, its ``messages.jsonl``, an ATIF trajectory or
a mini-swe-agent ``.traj.json``. Everything but ``messages.jsonl`` is optional; only
:class:`LogError` escapes."""

from __future__ import annotations

import os
import re
from datetime import datetime
from pathlib import Path
from typing import Any

from nano_tui import bounded_json
from nano_tui.contract import DIFF, MESSAGES, METADATA, SIDECAR, STATS, TOOL_LOG, TOOLS
from nano_tui.trajectory.evidence import Evidence
from nano_tui.trajectory.files import Unreadable, read_regular
from nano_tui.trajectory.grouping import TurnIndex
from nano_tui.trajectory.model import LogError, RunInfo
from nano_tui.trajectory.sources import LogFile, MessageList, parse_line
from nano_tui.trajectory.trajectory import Trajectory, apply_run_records

_FOLDER_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}")


def load(path: Path | str) -> Trajectory:
    """Open the run at ``path``; the first turn is ready, later ones are read when asked for."""
    path = Path(path).expanduser()
    try:
        return _load(path)
    except OSError as error:
        where = error.filename or path
        raise LogError(f"cannot read {where}: {error.strerror or error}") from error


def _load(path: Path) -> Trajectory:
    if not path.exists():
        raise LogError(f"no such path: {path}")
    if path.is_file() and path.name.endswith(".json"):
        return _load_json_trajectory(path)
    folder = path.parent if path.is_file() else path
    messages = path if path.is_file() else path / MESSAGES
    if not messages.is_file() and not os.path.lexists(messages):
        trajs = sorted(folder.glob("*.traj.json")) if path.is_dir() else []
        if len(trajs) == 1:
            return _load_json_trajectory(trajs[0])
        raise LogError(f"not a run folder (no {MESSAGES}): {path}")
    return _load_folder(folder, messages)


def folder_time(folder: Path) -> float | None:
    """The start time nano encodes in a run folder's name (local time), if it does."""
    match = _FOLDER_TIME.match(folder.name)
    if not match:
        return None
    try:
        return datetime.fromisoformat(match.group(0)).timestamp()
    except ValueError:
        return None


class SideFiles:
    """A run folder's files other than ``messages.jsonl``: each read once, regular files only, within
    :data:`~nano_tui.trajectory.files.SIDE_FILE_LIMIT`; what is there but unreadable is noted."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        #: File name → why it was not read (``a named pipe, not a file``, ``not JSON``).
        self.unread: dict[str, str] = {}

    def data(self, name: str) -> bytes | None:
        try:
            return read_regular(self.folder / name)
        except Unreadable as why:
            self.unread[name] = str(why)
            return None

    def json(self, name: str) -> Any:
        """The file's JSON value; None when it is missing, empty or not JSON."""
        data = self.data(name)
        if data is None or not data.strip():
            return None
        try:
            return bounded_json.parse(data)
        except ValueError:
            self.unread[name] = "not JSON"
            return None

    def text(self, name: str) -> str:
        data = self.data(name)
        return data.decode("utf-8", "replace") if data else ""

    def lines(self, name: str) -> list[bytes]:
        return [line for line in (self.data(name) or b"").splitlines() if line.strip()]


def _load_folder(folder: Path, messages: Path) -> Trajectory:
    files = SideFiles(folder)
    metadata = files.json(METADATA)
    metadata = metadata if isinstance(metadata, dict) else {}
    tools = files.json(TOOLS)
    stats = files.json(STATS)
    diff = files.text(DIFF)
    info = RunInfo(
        path=folder,
        model=metadata.get("model") if isinstance(metadata.get("model"), str) else None,
        api_base=metadata.get("api_base") if isinstance(metadata.get("api_base"), str) else None,
        settings={k: v for k, v in metadata.items() if k not in ("model", "api_base")},
        tools=[t for t in tools if isinstance(t, dict)] if isinstance(tools, list) else [],
        started_at=folder_time(folder),
        final_diff=diff,
        stats=stats if isinstance(stats, dict) else {},
        ended_normally=bool(diff) or bool(stats),
        unread=files.unread,
    )
    evidence = Evidence()
    for line in files.lines(TOOL_LOG):
        entry = parse_line(line)
        if isinstance(entry, dict):
            evidence.add_tool_log(entry)
    index = TurnIndex()
    trajectory = Trajectory(info, LogFile(messages, index), evidence, sidecar=folder / SIDECAR)
    trajectory.read_sidecar()
    apply_run_records(info, evidence)
    setup = trajectory.turn(0)
    if not setup.messages and len(index) == 1:
        raise LogError(f"empty log: {messages}" if index.lines == 0 else f"no readable message in {messages}")
    trajectory.fill_setup()
    return trajectory


def _load_json_trajectory(path: Path) -> Trajectory:
    """A trajectory file: ATIF (any agent's), or mini-swe-agent's ``.traj.json``."""
    files = SideFiles(path.parent)
    data = files.json(path.name)
    if path.name in files.unread:
        raise LogError(f"cannot read {path}: {files.unread[path.name]}")
    if isinstance(data, dict) and str(data.get("schema_version", "")).startswith("ATIF"):
        from nano_tui.trajectory.atif import load_atif

        return load_atif(path, data)
    return _load_mini_swe_agent(path, data)


def _load_mini_swe_agent(path: Path, data: Any) -> Trajectory:
    if not isinstance(data, dict) or not isinstance(data.get("messages"), list):
        raise LogError(f"not a trajectory (no messages list): {path}")
    if not data["messages"]:
        raise LogError(f"empty log: {path}")
    meta = data.get("info") if isinstance(data.get("info"), dict) else {}
    config = meta.get("config") if isinstance(meta.get("config"), dict) else {}
    model_config = config.get("model") if isinstance(config.get("model"), dict) else {}
    submission = meta.get("submission")
    info = RunInfo(
        path=path,
        source="mini-swe-agent",
        model=model_config.get("model_name") if isinstance(model_config.get("model_name"), str) else None,
        settings=config,
        end_reason=meta.get("exit_status") if isinstance(meta.get("exit_status"), str) else None,
        final_diff=submission if isinstance(submission, str) else "",
        ended_normally=meta.get("exit_status") == "Submitted" if "exit_status" in meta else None,
    )
    source = MessageList(TurnIndex())
    for line, message in enumerate(data["messages"]):
        source.add(line, message)
    trajectory = Trajectory(info, source, dialect="mini-swe-agent")
    trajectory.fill_setup()
    return trajectory


def is_single_run(path: Path) -> bool:
    """A run folder, its messages.jsonl, or another trajectory file, as opposed to a folder of runs.
    What cannot be told (nothing there, a folder that cannot be read) is opened as one run, whose
    loader says what is wrong."""
    path = path.expanduser()
    return (os.path.isfile(path) or os.path.lexists(path / MESSAGES) or not os.path.exists(path)
            or not os.access(path, os.R_OK | os.X_OK))
