"""Exporting a folder of 10,000 runs (hard links of one small run) as a dataset and as a Harbor job,
each against a baseline measured in the same run: the dataset against ``nano-tui runs --json`` over
the same folder with the index warm (it reads what the exports select by and writes a line per run),
the Harbor job against copying the job it wrote (``shutil.copytree``: the files and folders alone,
which on a slow disk are most of the cost). Prints seconds, ratios and peak memory; asserts nothing.
Memory should not grow with the number of runs.

    .venv/bin/python -m benchmarks.folder_exports
"""

from __future__ import annotations

import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.run_listing import make_runs, timed

COUNT = 10_000


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="nano-tui-exports-") as scratch:
        root = Path(scratch)
        env = {"PATH": os.environ.get("PATH", ""), "HOME": str(root), "LANG": "C.UTF-8",
               "XDG_CACHE_HOME": str(root / "cache")}
        runs = make_runs(root, COUNT)
        timed(["runs", "--json", str(runs)], env)  # fills the index, which every command below reads
        listing_s, listing_kib = timed(["runs", "--json", str(runs)], env, repeat=3)
        print(f"baseline, runs --json over {COUNT:,} runs (index warm): {listing_s:.2f} s, "
              f"peak {listing_kib / 1024:.0f} MiB")
        for name, args in {"dataset": [], "dataset --no-redact": ["--no-redact"]}.items():
            seconds, kib = timed(["export", str(runs), "--format", "dataset", *args,
                                  "-o", str(root / "runs.jsonl")], env)
            print(f"export --format {name}: {seconds:.2f} s ({seconds / listing_s:.1f}× the baseline), "
                  f"peak {kib / 1024:.0f} MiB")
        jobs = root / "jobs"
        for name, args in {"atif (a Harbor job)": [], "atif --no-redact": ["--no-redact"]}.items():
            seconds, kib = timed(["export", str(runs), "--format", "atif", *args, "-o", str(jobs)], env)
            copy_s = statistics.median(_copy(jobs / runs.name, root / "copy") for _ in range(3))
            print(f"export --format {name}: {seconds:.2f} s, {seconds / copy_s:.1f}× copying the job it "
                  f"wrote ({copy_s:.2f} s), peak {kib / 1024:.0f} MiB")


def _copy(source: Path, target: Path) -> float:
    started = time.perf_counter()
    shutil.copytree(source, target)
    seconds = time.perf_counter() - started
    shutil.rmtree(target)
    return seconds


if __name__ == "__main__":
    main()
