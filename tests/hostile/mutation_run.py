"""Mutated logs through the loader, every derived field, the panels and every exporter.

    python -m tests.hostile.mutation_run --count 10000 --seed 1      # the full run
    python -m tests.hostile.mutation_run --seed 1 --case 4711 -v     # one case again, with its trace

Each case copies a real log (every nano-agent era, nano-tui's sidecar runs, the payload corpus),
applies one to four mutations chosen by ``random.Random(f"{seed}/{case}")`` (bytes, lines, JSON
values, whole files swapped for FIFOs, ``/dev/zero`` or directories) and checks that opening it either
works or fails with one clear :class:`~nano_tui.errors.UserError`; that every turn, call and run field
reads; that the panels render; and that every export is written, the JSON one valid (no ``NaN``)
and each within :data:`EXPORT_BUDGET` times the log's size. A case that takes longer than
``--timeout`` seconds is a hang. Two worker processes share the cases; the summary prints
tracebacks / hangs / invalid JSON.
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import json
import math
import multiprocessing
import os
import random
import shutil
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
#: An export may be this many times the size of the log's files, plus a fixed allowance.
EXPORT_BUDGET = 10
EXPORT_ALLOWANCE = 256 * 1024

# -- the logs to mutate -------------------------------------------------------------------------


def base_runs(folder: Path) -> list[Path]:
    """Every fixture era's logs, a nano-tui run with a sidecar, and the payload corpus."""
    from tests.hostile.payloads import write_payload_run
    from tests.ui.runlogs import write_hostile, write_story

    runs = sorted(path.parent for path in (ROOT / "tests/fixtures/nano_logs").glob("*/*/*/messages.jsonl"))
    runs.append(write_story(folder / "story"))
    runs.append(write_hostile(folder / "hostile"))
    runs.append(write_payload_run(folder / "payloads"))
    return runs


# -- mutations ----------------------------------------------------------------------------------

FILES = ("messages.jsonl", "metadata.json", "tools.json", "stats.json", "diff.txt", "tool_log.jsonl",
         "nano-tui.jsonl")


def _hostile_value(rng: random.Random) -> Any:
    from tests.hostile.payloads import PAYLOADS

    choice = rng.randrange(12)
    if choice == 0:
        depth = rng.choice([90, 120, 600, 1200, 5000])
        value: Any = "bottom"
        for _ in range(depth):
            value = [value] if rng.random() < 0.5 else {"role": "assistant", "k": value}
        return value
    if choice == 1:
        return rng.choice([math.nan, math.inf, -math.inf, 1e300, -1e300, 1e-300, -1, 10**30, -(10**30)])
    if choice == 2:
        return rng.choice(PAYLOADS)[1]
    if choice == 3:
        return "\ud800" + rng.choice(PAYLOADS)[1] + "\udfff"
    if choice == 4:
        return rng.choice([None, True, False, 0, "", [], {}])
    if choice == 5:
        return "x" * rng.choice([10_000, 300_000]) + "\n" * rng.choice([0, 5_000])
    if choice == 6:
        return {"role": rng.choice(["assistant", "user", "tool", "system", 7, None])}
    if choice == 7:
        return [{"function": {"name": "shell", "arguments": rng.choice(["{", "[]", "null", '{"cmd": 1}'])},
                 "id": rng.choice(["c1", "", None, 5]), "type": "function"}]
    if choice == 8:
        return rng.choice(["finished", "error", "tool limit", "stopped", "weird"])
    if choice == 9:
        return {"time": rng.choice([math.nan, 1e300, -5, "soon"]), "duration": math.inf,
                "usage": {"a": math.nan}}
    if choice == 10:
        return "<think>" * rng.randrange(1, 4) + "a" + "</think>" * rng.randrange(0, 3)
    return rng.choice(["+++ b/x\n@@ -1 +1 @@\n-a\n+b\n", "@@ nonsense", "\x00" * 10])


def _nodes(value: Any) -> list[tuple[Any, Any]]:
    """(container, key) of every value below ``value``, without recursion."""
    found: list[tuple[Any, Any]] = []
    stack = [value]
    while stack and len(found) < 5_000:
        item = stack.pop()
        if isinstance(item, dict):
            children: Any = item.items()
        else:
            children = enumerate(item) if isinstance(item, list) else ()
        for key, child in children:
            found.append((item, key))
            stack.append(child)
    return found


def _mutate_json_line(rng: random.Random, line: bytes) -> bytes:
    try:
        value = json.loads(line)
    except (ValueError, RecursionError):
        return line
    nodes = _nodes(value)
    action = rng.randrange(4)
    if nodes and action < 2:
        container, key = rng.choice(nodes)
        container[key] = _hostile_value(rng)
    elif nodes and action == 2:
        container, key = rng.choice(nodes)
        del container[key]
    elif isinstance(value, dict):
        value[rng.choice(["role", "content", "tool_calls", "reasoning_content", "event", "turn", "x"])] = \
            _hostile_value(rng)
    else:
        value = _hostile_value(rng)
    try:
        return json.dumps(value, ensure_ascii=rng.random() < 0.5, sort_keys=rng.random() < 0.7).encode(
            "utf-8", "surrogatepass")
    except (ValueError, RecursionError):
        return json.dumps("unencodable").encode()


def _mutate_lines(rng: random.Random, data: bytes) -> bytes:
    lines = data.split(b"\n")
    if not lines:
        return data
    action = rng.randrange(10)
    index = rng.randrange(len(lines))
    if action == 0:
        del lines[index]
    elif action == 1:
        lines.insert(index, lines[rng.randrange(len(lines))])
    elif action == 2:
        other = rng.randrange(len(lines))
        lines[index], lines[other] = lines[other], lines[index]
    elif action == 3:
        return data[: rng.randrange(len(data) + 1)]
    elif action == 4:
        lines.insert(index, bytes(rng.randrange(256) for _ in range(rng.randrange(1, 80))))
    elif action == 5 and lines[index]:
        line = bytearray(lines[index])
        for _ in range(rng.randrange(1, 6)):
            line[rng.randrange(len(line))] = rng.randrange(256)
        lines[index] = bytes(line)
    elif action == 6:
        return data.replace(b"\n", b"\r\n")
    elif action == 7:
        lines.insert(index, rng.choice([b"", b"   ", b"\xef\xbb\xbf", b"null", b"[]", b'"x"', b"{}"]))
    else:
        lines[index] = _mutate_json_line(rng, lines[index])
    return b"\n".join(lines)


def _replace_file(rng: random.Random, path: Path) -> None:
    if path.is_symlink() or path.exists():
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
    action = rng.randrange(6)
    if action == 0:
        os.mkfifo(path)
    elif action == 1:
        path.symlink_to("/dev/zero")
    elif action == 2:
        path.mkdir()
    elif action == 3:
        path.write_bytes(b"")
    elif action == 4:
        path.write_bytes(bytes(rng.randrange(256) for _ in range(rng.randrange(1, 2000))))
    else:
        path.symlink_to(path.parent / "missing-target")


def mutate(rng: random.Random, folder: Path) -> list[str]:
    """Apply one to four mutations to the run in ``folder``; say which."""
    applied = []
    for _ in range(rng.randint(1, 4)):
        name = rng.choice(FILES) if rng.random() < 0.5 else "messages.jsonl"
        path = folder / name
        if (rng.random() < 0.08 and name != "messages.jsonl") or rng.random() < 0.01:
            _replace_file(rng, path)
            applied.append(f"replace {name}")
            continue
        try:
            data = path.read_bytes() if path.is_file() else b"{}"
        except OSError:
            continue
        if not data:
            data = b"{}"
        mutated = _mutate_lines(rng, data) if name.endswith(".jsonl") or rng.random() < 0.3 else \
            _mutate_json_line(rng, data)
        if os.path.lexists(path) and (path.is_symlink() or not path.is_file()):
            continue  # a FIFO, a folder or a link put there by an earlier mutation stays as it is
        path.write_bytes(mutated)
        applied.append(f"edit {name}")
    return applied


# -- what is checked ----------------------------------------------------------------------------


def _log_size(folder: Path) -> int:
    total = 0
    for name in FILES:
        path = folder / name
        if path.is_file() and not path.is_symlink():
            total += path.stat().st_size
    return total


def _read_everything(obj: Any) -> None:
    for field in dataclasses.fields(obj):
        getattr(obj, field.name)


def check(folder: Path, rng: random.Random) -> tuple[bool, list[str]]:
    """Whether the run opened, and its problems (an exception escapes for a traceback)."""
    from rich.console import Console
    from rich.style import Style
    from textual.theme import BUILTIN_THEMES

    from nano_tui.errors import UserError
    from nano_tui.trajectory import load
    from nano_tui.trajectory.discovery import summarize
    from nano_tui.trajectory.export import FORMATS, exporter
    from nano_tui.ui.panels.summary import has_ended, summary_text
    from nano_tui.ui.presenter import DiffView, Options, Scene, TurnPresenter
    from nano_tui.ui.themes import syntax_style

    problems = []
    summary = summarize(folder)
    try:
        trajectory = load(folder)
    except UserError as error:
        message = str(error)
        if "\n" in message or not message:
            problems.append(f"unclear error: {message!r}")
        if summary.error is None:
            problems.append("the run list summarised a run that does not open")
        return False, problems
    turns = list(trajectory.stream())
    info = trajectory.info
    _read_everything(info)
    _ = info.task_line, info.agent_time()
    for turn in turns:
        _read_everything(turn)
        _ = turn.failed_calls, turn.has_patch
        for call in turn.tool_calls:
            _read_everything(call)
            _ = call.command, call.patch, call.summary, call.failed
        trajectory.cumulative_diff(turn.index), trajectory.cumulative_diff_approximate(turn.index)
    options = Options(syntax_style(BUILTIN_THEMES["textual-dark"]), "yellow", expanded=rng.random() < 0.5)
    console = Console(width=80, file=io.StringIO(), color_system=None)
    presenter = TurnPresenter()
    for turn in rng.sample(turns, min(3, len(turns))):
        end = summary_text(trajectory) if has_ended(trajectory) and turn.index == len(turns) - 1 else None
        scene = Scene(turn, info, DiffView(turn.diff, "diff"), end)
        presenter.present(scene, options)
        presenter.warm(scene, options, console, 76, lambda panel: Style())
    budget = EXPORT_BUDGET * _log_size(folder) + EXPORT_ALLOWANCE
    for fmt in FORMATS:
        text = exporter(fmt)(trajectory)
        size = len(text.encode("utf-8"))
        if size > budget:
            problems.append(f"{fmt} export of {size:,} bytes is over its budget of {budget:,}")
        if fmt == "json":
            try:
                json.loads(text, parse_constant=lambda constant: (_ for _ in ()).throw(ValueError(constant)))
            except ValueError as error:
                problems.append(f"invalid JSON export: {error}")
    return True, problems


# -- running the cases --------------------------------------------------------------------------


@dataclasses.dataclass
class Outcome:
    case: int
    mutations: list[str]
    problems: list[str]
    trace: str | None = None
    opened: bool = False


def run_case(seed: int, case: int, bases: list[Path], scratch: Path) -> Outcome:
    rng = random.Random(f"{seed}/{case}")
    base = rng.choice(bases)
    folder = scratch / f"case-{case}" / base.name
    shutil.copytree(base, folder, symlinks=True)
    try:
        mutations = mutate(rng, folder)
        opened, problems, trace = False, [], None
        try:
            opened, problems = check(folder, rng)
        except Exception:
            trace = traceback.format_exc()
        return Outcome(case, [base.parent.name + "/" + base.name, *mutations], problems, trace, opened)
    finally:
        shutil.rmtree(folder.parent, ignore_errors=True)


def _worker(seed: int, connection: Connection, scratch: str) -> None:
    bases = base_runs(Path(scratch) / "bases")
    while True:
        case = connection.recv()
        if case is None:
            return
        connection.send(run_case(seed, case, bases, Path(scratch)))


class Workers:
    """Worker processes fed one case at a time; one that overruns the timeout is killed and replaced."""

    def __init__(self, seed: int, count: int, scratch: Path) -> None:
        self.seed, self.scratch = seed, scratch
        self.context = multiprocessing.get_context("fork")
        self.slots: list[list[Any]] = [self._start(n) for n in range(count)]

    def _start(self, number: int) -> list[Any]:
        mine, theirs = self.context.Pipe()
        folder = self.scratch / f"worker-{number}-{time.monotonic_ns()}"
        folder.mkdir(parents=True)
        process = self.context.Process(target=_worker, args=(self.seed, theirs, str(folder)), daemon=True)
        process.start()
        return [process, mine, None, 0.0, number]  # process, pipe, case, started, number

    def run(self, cases: list[int], timeout: float, report: Callable[[Outcome], None]) -> None:
        pending = list(reversed(cases))
        while pending or any(slot[2] is not None for slot in self.slots):
            for index, slot in enumerate(self.slots):
                process, pipe, case, started, number = slot
                if case is None and pending:
                    slot[2], slot[3] = pending.pop(), time.monotonic()
                    pipe.send(slot[2])
                elif case is not None and pipe.poll(0.01):
                    report(pipe.recv())
                    slot[2] = None
                elif case is not None and time.monotonic() - started > timeout:
                    process.kill()
                    process.join()
                    report(Outcome(case, [], [f"hang: no answer after {timeout:g} s"]))
                    self.slots[index] = self._start(number)

    def close(self) -> None:
        for process, pipe, *_ in self.slots:
            pipe.send(None)
            process.join(10)


def run(seed: int, count: int, timeout: float = 20.0, workers: int = 2, verbose: bool = False,
        only: int | None = None) -> Counter[str]:
    """Run ``count`` cases (or case ``only``); print the summary and return the counts."""
    totals: Counter[str] = Counter()
    signatures: Counter[str] = Counter()
    examples: dict[str, Outcome] = {}

    def report(outcome: Outcome) -> None:
        totals["cases"] += 1
        totals["opened"] += outcome.opened
        if outcome.trace is not None:
            totals["tracebacks"] += 1
            signature = outcome.trace.strip().splitlines()[-1][:160]
        elif outcome.problems:
            signature = outcome.problems[0][:160]
            kind = ("hangs" if signature.startswith("hang") else "invalid JSON"
                    if signature.startswith("invalid JSON") else "other problems")
            totals[kind] += 1
        else:
            return
        signatures[signature] += 1
        examples.setdefault(signature, outcome)
        if verbose:
            print(f"case {outcome.case} {outcome.mutations}: {outcome.problems}\n{outcome.trace or ''}")

    with tempfile.TemporaryDirectory(prefix="nano-tui-mutations-") as scratch:
        pool = Workers(seed, 1 if only is not None else workers, Path(scratch))
        started = time.perf_counter()
        try:
            pool.run([only] if only is not None else list(range(count)), timeout, report)
        finally:
            pool.close()
        seconds = time.perf_counter() - started
    print(f"{totals['cases']:,} mutated logs (seed {seed}, {totals['opened']:,} opened, the rest refused "
          f"with one line) in {seconds:.0f} s: {totals['tracebacks']} tracebacks, {totals['hangs']} hangs, "
          f"{totals['invalid JSON']} invalid JSON, {totals['other problems']} other problems")
    for signature, number in signatures.most_common(20):
        example = examples[signature]
        print(f"  {number:5}×  {signature}")
        print(f"         e.g. --case {example.case}: {', '.join(example.mutations)}")
    return totals


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--case", type=int, help="run only this case (with -v, print its trace)")
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds before a case is a hang")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    totals = run(args.seed, args.count, args.timeout, args.workers, args.verbose, args.case)
    failures = ("tracebacks", "hangs", "invalid JSON", "other problems")
    return 1 if any(totals[kind] for kind in failures) else 0


if __name__ == "__main__":
    raise SystemExit(main())
