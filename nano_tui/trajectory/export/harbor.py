"""A folder of runs as a Harbor job, laid out as Harbor's viewer (``harbor view OUTDIR``) lists it::

    OUTDIR/JOB/config.json              the job: its agents (one per model) and tasks
    OUTDIR/JOB/result.json              its counts and token totals
    OUTDIR/JOB/TRIAL/config.json        one trial per run
    OUTDIR/JOB/TRIAL/result.json        how it went: agent, model, times, tokens, an error
    OUTDIR/JOB/TRIAL/agent/trajectory.json   the run in ATIF, as ``export RUN --format atif`` writes it
    OUTDIR/JOB/nano-tui-export.json     what was exported from where; marks the job as nano-tui's, so
                                        the next export of the same folder may replace it

Harbor's files are written by nano-tui (a Harbor install needs Python 3.12 and half a gigabyte) and
checked against Harbor's own viewer in the tests. A nano run has no verifier, so no trial has a reward;
how the run ended, its turns and calls are the trial's ``agent_result.metadata``, and a run that ended
in an error, crashed or was stopped carries it as the trial's exception (a stopped run as Harbor's own
``CancelledError``). Times come from the log; where Harbor requires one the log lacks (when an error
happened, when the job started), the run's date as ``runs`` shows it stands in. A trial has a start
and an end time only when its log has both (nano-tui's runs): Harbor counts a start without an end as a
trial still running.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from nano_tui import installed_version
from nano_tui.bounded_json import dump
from nano_tui.errors import UserError
from nano_tui.trajectory.discovery import RunSummary, task_group
from nano_tui.trajectory.export import chunks
from nano_tui.trajectory.export.atif import agent_version, token_totals
from nano_tui.trajectory.export.redaction import Redactor
from nano_tui.trajectory.loader import load
from nano_tui.trajectory.model import LogError, Turn
from nano_tui.trajectory.trajectory import Trajectory

MARK = "nano-tui-export.json"
AGENT = "nano-agent"
#: The ends Harbor should see as a failed trial, by the exception type it is filed under.
EXCEPTIONS = {"error": "RunError", "crashed": "RunCrashed", "stopped": "CancelledError"}
_NAMESPACE = uuid.UUID("4f1c2f0e-8f53-4a5e-9a63-6e616e6f2d74")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass
class _Job:
    """What the job's own files sum up, gathered while its trials are written."""

    name: str
    id: uuid.UUID
    directory: Path
    models: set[str | None] = field(default_factory=set)
    tasks: dict[str, None] = field(default_factory=dict)
    trials: set[str] = field(default_factory=set)
    errored: int = 0
    cancelled: int = 0
    tokens: dict[str, int] = field(default_factory=dict)
    evals: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: The runs' dates (as ``runs`` shows them) and the end times their logs recorded.
    dates: list[datetime] = field(default_factory=list)
    ends: list[str] = field(default_factory=list)


def job_name(paths: list[Path]) -> str:
    """The job's folder name: the first path's, without the dot of ``.nano`` (Harbor passes over
    hidden folders)."""
    name = _UNSAFE.sub("-", paths[0].expanduser().resolve().name).lstrip(".-") if paths else ""
    return name or "runs"


def write_job(runs: Iterable[RunSummary], output: Path, name: str, sources: list[Path],
              report: Callable[[str], None], redact: bool) -> Path:
    """Write ``runs`` as the Harbor job ``output/name`` and return its folder. The job is made in a
    hidden folder beside it and put in place when whole: an export that fails half-way leaves an
    earlier one as it was. Raises :class:`UserError` when ``output/name`` is there and is not an
    earlier export, OSError when it cannot be written."""
    final = output / name
    if output.exists() and not output.is_dir():
        raise UserError(f"{output} is a file; a Harbor job is written into a folder (-o OUTDIR)")
    if final.exists() and not (final / MARK).is_file():
        raise UserError(f"{final} is there and was not written by nano-tui; give another -o folder")
    output.mkdir(parents=True, exist_ok=True)
    staging = output / f".{name}.{secrets.token_hex(6)}.part"
    staging.mkdir()  # as any folder the user makes (the umask applies), not 0700 as mkdtemp would
    try:
        job = _Job(name, uuid.uuid5(_NAMESPACE, os.fspath(final.resolve())), final)
        for run in runs:
            _write_trial(job, staging, run, report, Redactor() if redact else None)
        if not job.trials:
            raise UserError("no run matched the filters; no job written")
        _write_json(staging / "config.json", _job_config(job, output))
        _write_json(staging / "result.json", _job_result(job))
        _write_json(staging / MARK, {"written_by": "nano-tui", "version": installed_version(),
                                     "sources": [os.fspath(path.expanduser().resolve()) for path in sources],
                                     "redacted": redact})
        _put_in_place(staging, final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return final


def _put_in_place(staging: Path, final: Path) -> None:
    if not final.exists():
        os.rename(staging, final)
        return
    old = final.with_name(f".{final.name}.{uuid.uuid4().hex[:8]}.old")
    os.rename(final, old)
    try:
        os.rename(staging, final)
    except OSError:
        os.rename(old, final)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _write_json(path: Path, value: Any) -> None:
    _write(path, [dump(value, indent=2), "\n"])


def _write(path: Path, pieces: Iterable[str]) -> None:
    """Straight into the staging folder, which is put in place only when whole."""
    with open(path, "w", encoding="utf-8") as out:
        out.writelines(pieces)


class _Tapped:
    """A trajectory as the ATIF writer reads it, keeping each turn's usage on the way, so the trial's
    token totals need no second reading of the log."""

    def __init__(self, trajectory: Trajectory) -> None:
        self.info = trajectory.info
        self._trajectory = trajectory
        self.usages: list[dict[str, Any]] = []

    def stream(self) -> Iterator[Turn]:
        for turn in self._trajectory.stream():
            self.usages.append(turn.usage)
            yield turn


@dataclass
class _Trial:
    """One run as Harbor sees it."""

    name: str
    run: RunSummary
    task: str
    model: str | None
    source: str | None = None
    tokens: dict[str, int] = field(default_factory=dict)
    started: str | None = None
    finished: str | None = None
    error: str | None = None

    @property
    def exception(self) -> str | None:
        return EXCEPTIONS.get(self.run.end)


def _write_trial(job: _Job, staging: Path, run: RunSummary, report: Callable[[str], None],
                 redactor: Redactor | None) -> None:
    name = _trial_name(job, run)
    scrub = (lambda value: redactor.value(value, run.path)) if redactor else (lambda value: value)
    task = _task_name(scrub(run.task_line), run.group)
    (staging / name / "agent").mkdir(parents=True)
    try:
        trajectory = _Tapped(load(run.path))
        _write(staging / name / "agent" / "trajectory.json", chunks("atif", redactor)(trajectory))
    except LogError as error:
        report(f"{run.path}: no trajectory written ({error}); the trial says why")
        trial = _Trial(name, replace(run, error=run.error or str(error), end="crashed"), task, run.model)
    else:
        info = trajectory.info
        trial = _Trial(name, run, task, info.model, info.source, _tokens(trajectory.usages), error=info.error)
        if info.started_at and info.ended_at:  # both or neither: a start alone reads as still running
            trial.started, trial.finished = _when(info.started_at), _when(info.ended_at)
    config = {"task": {"path": task}, "trial_name": name, "trials_dir": os.fspath(job.directory),
              "agent": _agent_config(trial.model), "job_id": str(job.id)}
    _write_json(staging / name / "config.json", config)
    _write_json(staging / name / "result.json", _trial_result(job, trial, config, scrub))
    _count(job, trial)
    for line in redactor.report() if redactor else ():  # after every field of the trial was scrubbed
        report(f"{run.path}: {line}")


def _trial_result(job: _Job, trial: _Trial, config: dict[str, Any],
                  scrub: Callable[[Any], Any]) -> dict[str, Any]:
    run = trial.run
    metadata = {**run.record(), "path": os.path.abspath(run.path), "source": trial.source}
    result: dict[str, Any] = {
        "id": str(uuid.uuid5(job.id, trial.name)), "task_name": trial.task, "trial_name": trial.name,
        "trial_uri": (job.directory / trial.name).resolve().as_uri(), "task_id": {"path": trial.task},
        "task_checksum": run.group or task_group(""), "config": config,
        "agent_info": {"name": AGENT, "version": agent_version(trial.source),
                       "model_info": _model_info(trial.model)},
        "agent_result": {**trial.tokens, "metadata": scrub(metadata)},
    }
    if trial.started:
        result.update(started_at=trial.started, finished_at=trial.finished,
                      agent_execution={"started_at": trial.started, "finished_at": trial.finished})
    if trial.exception:
        message = trial.error or run.error or f"the run ended: {run.end}"
        occurred = trial.finished or _when(run.date.timestamp() if run.date else 0)
        result["exception_info"] = {"exception_type": trial.exception, "exception_message": scrub(message),
                                    "exception_traceback": "", "occurred_at": occurred}
    return result


def _trial_name(job: _Job, run: RunSummary) -> str:
    """The run's place under the exported folder, made a folder name; the same name twice gets a
    number."""
    where = run.location if run.location not in ("", ".") else Path(run.path).name
    base = _UNSAFE.sub("-", where.replace("/", "__")).strip(".-") or "run"
    name, number = base, 1
    while name in job.trials:
        number += 1
        name = f"{base}-{number}"
    job.trials.add(name)
    return name


def _task_name(line: str, group: str) -> str:
    """A name for the task that reads (its first words) and tells tasks apart (its group id)."""
    words = "-".join(re.findall(r"[a-z0-9]+", line.lower()))[:40].rstrip("-")
    return f"{words}-{group}" if words else group or "no-task"


def _agent_config(model: str | None) -> dict[str, Any]:
    return {"name": AGENT, **({"model_name": model} if model else {})}


def _model_info(model: str | None) -> dict[str, str] | None:
    if not model:
        return None
    provider, _, name = model.partition("/")
    return {"name": name, "provider": provider} if name else {"name": model}


def _tokens(usages: list[dict[str, Any]]) -> dict[str, int]:
    """Harbor's token totals, where the log recorded usage (nano-tui's runs)."""
    names = {"prompt_tokens": "n_input_tokens", "completion_tokens": "n_output_tokens"}
    return {names[key]: value for key, value in token_totals(usages).items()}


def _when(seconds: float | None) -> str | None:
    return datetime.fromtimestamp(seconds, UTC).isoformat() if seconds is not None else None


def _count(job: _Job, trial: _Trial) -> None:
    job.models.add(trial.model)
    job.tasks.setdefault(trial.task)
    for key, value in trial.tokens.items():
        job.tokens[key] = job.tokens.get(key, 0) + value
    model = _model_info(trial.model)
    key = "__".join(part for part in (AGENT, model["name"] if model else None, "adhoc") if part)
    evals = job.evals.setdefault(key, {"n_trials": 0, "n_errors": 0, "exception_stats": {}})
    if trial.exception:
        job.errored += 1
        job.cancelled += trial.exception == "CancelledError"
        evals["n_errors"] += 1
        evals["exception_stats"].setdefault(trial.exception, []).append(trial.name)
    if trial.run.date is not None:
        job.dates.append(trial.run.date.astimezone())
    if trial.finished:
        job.ends.append(trial.finished)


def _job_config(job: _Job, output: Path) -> dict[str, Any]:
    return {"job_name": job.name, "jobs_dir": os.fspath(output.resolve()),
            "agents": [_agent_config(model) for model in sorted(job.models, key=lambda m: m or "")],
            "tasks": [{"path": task} for task in job.tasks]}


def _job_result(job: _Job) -> dict[str, Any]:
    started = min(job.dates).isoformat() if job.dates else _when(0)
    finished = max(job.ends) if job.ends else max(job.dates).isoformat() if job.dates else started
    return {"id": str(job.id), "started_at": started, "finished_at": finished,
            "n_total_trials": len(job.trials),
            "stats": {"n_completed_trials": len(job.trials), "n_errored_trials": job.errored,
                      "n_cancelled_trials": job.cancelled, "evals": job.evals, **job.tokens}}
