"""Shared wording for the exporters: how a call and a run are summed up in one line."""

from __future__ import annotations

from datetime import datetime

from nano_tui.trajectory.model import RunInfo, Turn

APPROXIMATE_DIFF = "rebuilt from search/replace, line numbers approximate"


def turn_facts(turn: Turn) -> str:
    """Duration and token usage of a turn, when the log recorded them ("" for nano-agent's logs)."""
    facts = []
    if turn.duration is not None:
        facts.append(f"{turn.duration:.2f} s")
    tokens = turn.usage.get("total_tokens") or sum(
        turn.usage.get(key, 0) for key in ("prompt_tokens", "completion_tokens"))
    if tokens:
        facts.append(f"{tokens:,} tokens")
    return ", ".join(facts)


def run_facts(info: RunInfo) -> list[tuple[str, str]]:
    """(label, value) pairs describing the run, omitting what is unknown."""
    facts = [
        ("run", str(info.path) if info.path else None),
        ("source", info.source),
        ("model", info.model),
        ("api base", info.api_base),
        ("started", datetime.fromtimestamp(info.started_at).isoformat(timespec="seconds")
         if info.started_at is not None else None),
        ("repository", info.repo),
        ("commit", info.commit),
        ("end", info.end_reason),
        ("ended normally", {True: "yes", False: "no (no final diff was written)", None: None}[
            info.ended_normally]),
        ("error", info.error),
    ]
    return [(label, value) for label, value in facts if value]
