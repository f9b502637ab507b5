"""Peak memory of ``nano-tui export`` on the 30 MB, 2,000-turn log, as real processes, against a
baseline measured in the same run: a Python process that reads every line with ``json.loads`` and
keeps nothing. Prints figures; asserts nothing. Target: at most 300 MiB for every format.

    .venv/bin/python -m benchmarks.export_memory
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.biglog import write_big_log

NANO_TUI = str(Path(sys.executable).with_name("nano-tui"))
BASELINE = ("import json, sys\n"
            "with open(sys.argv[1], 'rb') as file:\n"
            "    for line in file:\n"
            "        json.loads(line)\n")


def peak_mib(command: list[str]) -> float:
    """The peak resident memory of ``command``, in MiB (the kernel's own count, via wait4)."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{command} failed: {process.stderr.read().decode() if process.stderr else ''}")
    return usage.ru_maxrss / 1024


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        run = write_big_log(Path(tmp))
        log = run / "messages.jsonl"
        print(f"log: {log.stat().st_size / 2**20:.1f} MiB")
        baseline = min(peak_mib([sys.executable, "-c", BASELINE, str(log)]) for _ in range(3))
        print(f"baseline (python reading every line with json.loads): {baseline:.0f} MiB")
        for fmt in ("json", "md", "html"):
            output = Path(tmp) / f"out.{fmt}"
            peak = min(peak_mib([NANO_TUI, "export", str(run), "--format", fmt, "-o", str(output)])
                       for _ in range(3))
            size = output.stat().st_size / 2**20
            print(f"export --format {fmt}: peak {peak:.0f} MiB for a {size:.0f} MiB file, "
                  f"{peak / baseline:.2f}x the baseline (target <= 300 MiB)")


if __name__ == "__main__":
    main()
