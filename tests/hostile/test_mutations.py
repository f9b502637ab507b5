"""A slice of the mutation run (``python -m tests.hostile.mutation_run`` runs 10,000): mutated logs of
every era through the loader, every field, the panels and every exporter, with a fixed seed."""

from __future__ import annotations

from tests.hostile.mutation_run import run


def test_mutated_logs_load_or_fail_in_one_line_and_export_valid_json(capsys) -> None:  # type: ignore[no-untyped-def]
    totals = run(seed=7, count=300, timeout=60)
    report = capsys.readouterr().out
    assert totals["cases"] == 300, report
    failures = ("tracebacks", "hangs", "invalid JSON", "other problems")
    assert [totals[kind] for kind in failures] == [0, 0, 0, 0], report
    assert totals["opened"] > 200, "most mutations leave a log that still opens"
