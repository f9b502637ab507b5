"""The normalised trajectory as JSON — schema ``nano-tui.trajectory/1``.

One JSON object, UTF-8, keys in the order below, written a turn at a time. Fields nano-agent never
recorded are ``null``; nothing is invented. It is always valid JSON: a ``NaN`` or infinity a log holds
is ``null``, a container nested deeper than 100 levels is cut to a marker string, and C1 controls,
invisible characters and lone surrogates are ``\\u`` escapes. The version changes only when a field
is removed or changes meaning; new fields may be added within a version, so readers should ignore
keys they do not know.

``schema``
    ``"nano-tui.trajectory/1"``.
``run``
    ``path`` (the run folder or file), ``source`` (``nano-agent``, ``nano-tui``, ``mini-swe-agent``,
    ``live``), ``model``, ``api_base``, ``settings`` (the other model settings, e.g. ``temperature``),
    ``limits``, ``system_prompt``, ``task``, ``tools`` (the OpenAI tool definitions offered),
    ``started_at`` (Unix seconds), ``repo``, ``commit``, ``end_reason`` (``finished``,
    ``tool limit``, …), ``ended_normally`` (false when nano left ``diff.txt`` empty), ``error``,
    ``final_diff`` (the run's ``git diff``), ``stats`` (nano's ``stats.json``).
``turns``
    In order; turn 0 is the setup (system prompt and task). Each turn:
    ``index``; ``thinking`` (list of strings, from ``reasoning_content``, ``thinking_blocks`` or
    ``<think>`` blocks); ``text`` (the reply without thinking); ``tool_calls``; ``nudges`` (texts the
    loop added after the reply); ``diff`` (this turn's changes); ``duration`` (seconds) and ``usage``
    (token counts) when recorded; ``error``; ``messages`` (the raw messages of this turn, unaltered)
    with ``message_indices`` (their 0-based line numbers in ``messages.jsonl``); ``extra`` (assistant
    keys not interpreted, e.g. ``annotations``).
``turns[].tool_calls[]``
    ``call_id``; ``name``; ``arguments_raw`` (exactly what the model produced); ``arguments`` (parsed
    object or ``null``); ``parse_error``; ``result`` (exactly the tool message's content, or
    ``null`` when nothing answered the call); ``output`` (``result`` without budget warning and
    truncation marker); ``warning``; ``truncated``; ``status`` (``ok``, ``failed``, ``skipped``,
    ``unknown``, ``running``, ``no result``); ``duration``; ``diff`` (this call's patch);
    ``diff_approximate`` (true when the diff was rebuilt from search/replace, so its line numbers
    are relative); ``result_index`` (line of the answering message); ``known`` (false for a tool the
    run never offered).
``skipped``
    Lines of ``messages.jsonl`` that could not be loaded: ``{"line": 1-based number, "reason"}``.
``damaged``
    Lines that loaded only with invalid UTF-8 bytes replaced by U+FFFD, in the same form.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from nano_tui.bounded_json import dump, outline
from nano_tui.trajectory.trajectory import Trajectory

SCHEMA = "nano-tui.trajectory/1"


def json_chunks(trajectory: Trajectory) -> Iterator[str]:
    """The trajectory as one JSON object following the schema above, written a turn at a time (a
    30 MB log is never held whole). The export's own levels are indented, a message's inner values
    are on one line: the text grows with the log, not with its nesting."""
    run = _plain(dataclasses.asdict(trajectory.info))
    yield f'{{\n  "schema": {dump(SCHEMA)},\n  "run": {outline(run, 2, "  ")},\n'
    yield '  "turns": ['
    for number, turn in enumerate(trajectory.stream()):
        yield f'{"," if number else ""}\n    {outline(dataclasses.asdict(turn), 3, "    ")}'
    yield "\n  ],\n"
    for key in ("skipped", "damaged"):
        lines = [dataclasses.asdict(line) for line in getattr(trajectory, key)]
        yield f'  "{key}": {outline(lines, 1, "  ")}{"," if key == "skipped" else ""}\n'
    yield "}\n"


def _plain(value: dict[str, Any]) -> dict[str, Any]:
    return {k: str(v) if isinstance(v, Path) else v for k, v in value.items()}
