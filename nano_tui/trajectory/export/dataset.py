"""A folder of runs as training data: one JSON line per run, the shape ``datasets.load_dataset("json")``,
DuckDB's ``read_json_auto`` and chat trainers read.

Each line holds the outcome fields of ``runs --json``, ``metadata`` and ``tools`` (the values of
``metadata.json`` and ``tools.json``) and ``messages``: each line of ``messages.jsonl`` as it was
written, byte for byte, when it is a JSON object (what the model saw is not re-encoded), unless it
holds what looks like a secret and a redactor is given. Runs are
written in the order they are found, one at a time, so 10,000 runs take the memory of the largest.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from nano_tui.bounded_json import dump, parse
from nano_tui.contract import MESSAGES, METADATA, TOOLS
from nano_tui.safe_text import json_text
from nano_tui.trajectory.discovery import RunSummary
from nano_tui.trajectory.export.redaction import Redactor, suspect
from nano_tui.trajectory.loader import SideFiles, load
from nano_tui.trajectory.model import LogError


def _strict(constant: str) -> Any:
    raise ValueError(f"{constant} is not JSON")


def _message(line: bytes, redactor: Redactor | None, where: str) -> tuple[str | None, str | None]:
    """The line as it goes into ``messages`` (its own text when it is strict JSON and holds no
    secret, else re-encoded), or None and why it cannot."""
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        return None, "not UTF-8"
    try:
        value = json.loads(text, parse_constant=_strict)
        exact = True
    except (ValueError, RecursionError):
        try:
            value = parse(text)  # NaN, or nested past json's depth: written as valid JSON
        except ValueError as error:
            return None, f"not JSON ({error})"
        exact = False
    if not isinstance(value, dict):
        return None, "not a JSON object"
    if redactor is not None and suspect(text):
        value, exact = redactor.value(value, where), False  # replaced in the values: the JSON stays whole
    return json_text(text.strip()) if exact else dump(value), None


def _messages(run: RunSummary, files: SideFiles | None, report: Callable[[str], None],
              redactor: Redactor | None) -> list[str]:
    if files is None:  # a trajectory file of another agent: its messages as the loader reads them
        try:
            messages = [message for turn in load(run.path).stream() for message in turn.messages]
        except LogError as error:
            report(f"{run.path}: no messages read ({error}); the run has none")
            return []
        return [dump(redactor.value(message, f"{run.path}: message {number}") if redactor else message)
                for number, message in enumerate(messages, start=1)]
    data = files.data(MESSAGES)
    if MESSAGES in files.unread:
        report(f"{run.path}: {MESSAGES} not read ({files.unread[MESSAGES]}); the run has no messages")
    messages = []
    for number, line in enumerate((data or b"").split(b"\n"), start=1):
        if not line.strip():
            continue
        message, why = _message(line, redactor, f"{run.path}: {MESSAGES} line {number}")
        if message is None:
            report(f"{run.path}: {MESSAGES} line {number} left out: {why}")
        else:
            messages.append(message)
    return messages


def dataset_line(run: RunSummary, report: Callable[[str], None], redactor: Redactor | None = None) -> str:
    """One run as a line of the dataset (without its newline), its secrets replaced when given a
    ``redactor``."""
    files = SideFiles(Path(run.path)) if os.path.isdir(run.path) else None
    head: dict[str, Any] = {**run.record(), "metadata": files.json(METADATA) if files else None,
                            "tools": files.json(TOOLS) if files else None}
    if redactor is not None:
        head = redactor.value(head, run.path)
    messages = ", ".join(_messages(run, files, report, redactor))
    return f'{dump(head)[:-1]}, "messages": [{messages}]}}'


def dataset_chunks(runs: Iterable[RunSummary], report: Callable[[str], None],
                   redactor: Redactor | None = None) -> Iterator[str]:
    """The dataset, a line per run; what had to be left out of a run is told to ``report``."""
    for run in runs:
        yield dataset_line(run, report, redactor) + "\n"
