"""The agent loop: nano-agent 5.0.0's loop, streamed, observable and stoppable.

One turn, top to bottom, in this file: check the budgets, wait at the step checkpoint, stream one reply
from litellm (:meth:`Agent._chat`), append it to ``messages.jsonl``, run each tool call
(:meth:`Agent._run_call`) and append its result with any budget warning in front. A reply without tool
calls ends the run if the repository changed; otherwise the loop nudges the model and goes on.

Every step is reported to ``on_event`` (see :mod:`nano_tui.core.events`) from the thread that called
:meth:`Agent.run`. If ``on_event`` raises, the run ends at once with reason ``"error"`` and the handler's
exception as its error line (the log is still completed): a broken observer never lets a run go on
unseen. An exception raised while handling the final ``RunEnded`` propagates to the caller.
"""

from __future__ import annotations

import copy
import dataclasses
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from nano_tui import bounded_json
from nano_tui.core import llm
from nano_tui.core.control import RunControl, Stopped
from nano_tui.core.environment import scrubbed_environment
from nano_tui.core.events import (
    EndReason,
    Event,
    MessageLogged,
    ModelCallStarted,
    PatchApplied,
    Paused,
    Resumed,
    Retrying,
    RunEnded,
    RunStarted,
    TextDelta,
    ThinkingDelta,
    ToolCallDelta,
    ToolFinished,
    ToolStarted,
    TurnEnded,
)
from nano_tui.core.prompt import SYSTEM_PROMPT
from nano_tui.core.runlog import RunLog
from nano_tui.core.shell.backends import Backend, BackendError, BackendSpec, default_spec, make_backend
from nano_tui.core.tools import (
    SKIPPED_REPLY,
    TIME_LIMIT_REPLY,
    TOOL_LIMIT_REPLY,
    TOOLS,
    ToolOutcome,
    ToolStats,
    apply_patch,
    shell,
)
from nano_tui.core.workspace import Workspace, require_clean_repository

#: What the loop tells a model that answered without tool calls on an untouched repo (nano's words:
#: the logs must read the same as nano's).
NUDGE = "Use shell to explore or apply_patch to make changes. Do not stop working."


class EventHandlerError(Exception):
    """``on_event`` raised; the run ends with reason "error"."""


class Agent:
    REMAINING_CALLS_WARNING = 5
    TOKENS_WRAP_UP = 3000
    TOKENS_CRITICAL = 1500
    MINIMUM_TOKENS = 600
    TOOL_TRUNCATE_LENGTH = 2000

    def __init__(
        self,
        model: str,
        api_base: str | None = None,
        token_limit: int = 32768,
        tool_limit: int = 50,
        time_limit: int | None = 120,
        response_limit: int = 4096,
        thinking: bool = False,
        temperature: float = 0.7,
        top_p: float | None = None,
        min_p: float | None = None,
        top_k: int | None = None,
        log: bool = True,
        log_dir: str | Path | None = None,
        system_prompt: str | None = None,
        tools: list[dict[str, Any]] | None = None,
        shell_timeout: float = 120,
        on_event: Callable[[Event], None] | None = None,
        control: RunControl | None = None,
        api_key: str | None = None,
        stream: bool = True,
        retries: int = 3,
        retry_backoff: float = 1.0,
        request_timeout: float = 600,
        stall_timeout: float = 60,
        backend: str | None = None,
        image: str | None = None,
        workdir: str = "/app",
        network: bool = False,
    ):
        """Arguments as in nano-agent 5.0.0, plus: ``log_dir`` (parent of the run folder, default
        ``~/.nano``), ``system_prompt`` and ``tools`` (replace ours, e.g. with nano's own),
        ``shell_timeout`` seconds, ``on_event`` (called with every event), ``control`` (stop / step from
        another thread), ``api_key`` (passed to litellm, never logged), ``stream`` (False: one
        non-streamed call per turn), ``retries`` and ``retry_backoff`` (transient provider failures),
        ``request_timeout`` (the most seconds one model call may take, never past the time limit) and
        ``stall_timeout`` (the most seconds a reply stream may send nothing); ``backend``
        (``sandbox``, ``local``, ``docker``, ``apptainer``; None: the sandbox where bubblewrap works,
        else local) with ``image``, ``workdir`` and ``network`` (see
        :mod:`nano_tui.core.shell.backends`)."""
        self.token_limit = token_limit
        self.tool_limit = tool_limit
        self.time_limit = time_limit or int(1e9)
        self.response_limit = response_limit
        self.log = log
        self.log_dir = log_dir
        self.system_prompt = SYSTEM_PROMPT if system_prompt is None else system_prompt
        self.tools = copy.deepcopy(TOOLS if tools is None else tools)
        self.shell_timeout = shell_timeout
        self.on_event = on_event
        self.control = control or RunControl()
        self.stream = stream
        self.retries = retries
        self.retry_backoff = retry_backoff
        self.request_timeout = request_timeout
        self.stall_timeout = stall_timeout
        self.call_options: dict[str, Any] = {"max_retries": 0}
        if api_key is not None:
            self.call_options["api_key"] = api_key
        self.thinking = thinking
        self.backend_spec: BackendSpec | None = (
            BackendSpec(backend, image, workdir, network) if backend is not None else None)
        self._backend: Backend | None = None

        # exactly nano's litellm settings: they are what metadata.json records
        self.llm_kwargs: dict[str, Any] = dict(model=model, api_base=api_base, temperature=temperature,
                                               top_p=top_p)
        if not model.startswith(("openai/", "anthropic/")):
            self.llm_kwargs.update(top_k=top_k, min_p=min_p,
                                   chat_template_kwargs={"enable_thinking": thinking},
                                   extra_body={"enable_thinking": thinking})
        if model.startswith("gemini/"):
            self.llm_kwargs.update(reasoning_effort="high" if thinking else "disable")

        self.messages: list[dict[str, Any]] = []
        self.tool_usage = 0
        self.stats = ToolStats()
        self.time_start = time.time()
        self._paused_before = self.control.paused_seconds
        self.end_reason: EndReason | None = None
        self.error: str | None = None
        #: For a failed model call, its ``contract.ErrorKind``.
        self.error_kind: str | None = None
        self._runlog = RunLog(enabled=False)

    # -- budgets, as nano computes them -------------------------------------------------------------

    @property
    def token_usage(self) -> int:
        litellm = llm.load_litellm()
        return litellm.token_counter(self.llm_kwargs["model"], messages=self.messages, tools=self.tools)

    @property
    def remaining_tokens(self) -> int:
        return self.token_limit - self.token_usage

    @property
    def remaining_tool_calls(self) -> int:
        return self.tool_limit - self.tool_usage

    @property
    def elapsed(self) -> float:
        """The agent's time so far: since the start, less what the user spent paused in step mode."""
        return time.time() - self.time_start - (self.control.paused_seconds - self._paused_before)

    @property
    def remaining_time(self) -> int:
        return int(self.time_limit - self.elapsed)

    @property
    def run_dir(self) -> Path | None:
        return self._runlog.run_dir

    @property
    def tool_stats(self) -> dict[str, int | float]:
        return self.stats.report()

    # -- the run ------------------------------------------------------------------------------------

    def run(self, task: str, repo_root: str | Path | None = None) -> str:
        """Work on ``task`` in the clean git repository ``repo_root`` (default: the current folder) and
        return the unified diff of the changes. How the run ended is in ``end_reason`` and ``error``."""
        workspace = require_clean_repository(repo_root if repo_root is not None else Path.cwd())
        llm.load_litellm()  # seconds on first use: before the clock starts, not out of the agent's time
        self.messages = []
        self.tool_usage = 0
        self.stats = ToolStats()
        self.time_start = time.time()
        self._paused_before = self.control.paused_seconds
        self.end_reason, self.error, self.error_kind = None, None, None
        spec, warning = (self.backend_spec, None) if self.backend_spec is not None else default_spec()
        backend = self._backend = make_backend(spec, workspace.root, scrubbed_environment())
        self._runlog = RunLog(self.log, self.log_dir)
        self._runlog.start(self.tools, self.llm_kwargs)
        reason: EndReason = "finished"
        try:
            self._emit(RunStarted(
                task=task, repo=str(workspace.root), commit=workspace.head_commit(),
                model=self.llm_kwargs["model"], run_dir=str(self.run_dir) if self.run_dir else None,
                limits={"token_limit": self.token_limit, "tool_limit": self.tool_limit,
                        "time_limit": self.time_limit, "response_limit": self.response_limit,
                        "shell_timeout": self.shell_timeout},
                settings={key: value for key, value in self.llm_kwargs.items() if key != "model"}
                | {"thinking": self.thinking, "stream": self.stream},
                backend={"name": spec.name, "image": spec.image, "workdir": spec.workdir,
                         "network": spec.network, "confined": backend.confined,
                         "description": backend.describe(), "warning": warning},
            ))
            backend.start()
            self._append({"role": "system", "content": self.system_prompt}, turn=0)
            self._append({"role": "user", "content": task}, turn=0)
            reason = self._loop(workspace)
        except Stopped:
            reason = "stopped"
        except llm.OutOfTime as error:
            reason, self.error = "time limit", str(error)
        except llm.ProviderError as error:
            reason, self.error, self.error_kind = "error", str(error), error.kind
        except BackendError as error:
            reason, self.error = "error", str(error)
        except EventHandlerError as error:
            reason, self.error = "error", f"event handler failed: {error}"
        except KeyboardInterrupt:
            self._end(workspace, "stopped")
            raise
        except Exception as error:
            self._end(workspace, "error", f"internal error: {type(error).__name__}: {error}")
            raise
        return self._end(workspace, reason, self.error)

    def _loop(self, workspace: Workspace) -> EndReason:
        turn = 0
        while True:
            if self.remaining_tool_calls < 0:
                return "tool limit"
            context = self.token_usage
            if self.token_limit - context <= self.MINIMUM_TOKENS:
                return "token limit"
            if self.remaining_time <= 0:
                return "time limit"
            turn += 1
            started = self.elapsed
            self._checkpoint(turn, "model")
            reply = self._chat(turn, context)
            message = reply.message
            if not message.get("tool_calls"):
                if not workspace.is_clean():
                    self._emit(TurnEnded(turn, self.elapsed - started, reply.usage, context))
                    return "finished"
                self._append({"role": "user", "content": NUDGE}, turn)
                self.tool_usage += 1  # an answer without action still spends the budget, as in nano
            else:
                for call in message["tool_calls"]:
                    self._run_call(call, turn, workspace)
                if self.remaining_time <= 0:
                    self._emit(TurnEnded(turn, self.elapsed - started, reply.usage, context))
                    return "time limit"
            self._emit(TurnEnded(turn, self.elapsed - started, reply.usage, context))

    def _chat(self, turn: int, context: int) -> llm.Reply:
        """One reply to the ``context`` tokens of the conversation so far, streamed and logged."""
        available = max(0, self.token_limit - context - int(self.token_limit * 0.1))
        max_tokens = max(256, min(self.response_limit, available // 2))
        self._emit(ModelCallStarted(turn, max_tokens, context))
        kwargs = dict(self.llm_kwargs, max_tokens=max_tokens, messages=copy.deepcopy(self.messages),
                      tools=self.tools, tool_choice="auto", **self.call_options)
        deltas = llm.Deltas(
            thinking=lambda text: self._emit(ThinkingDelta(turn, text)),
            text=lambda text: self._emit(TextDelta(turn, text)),
            tool_call=lambda index, call_id, name, arguments: self._emit(
                ToolCallDelta(turn, index, call_id, name, arguments)),
        )
        limits = llm.Limits(time.monotonic() + self.time_limit - self.elapsed, self.request_timeout,
                            self.stall_timeout)
        reply = llm.complete(
            kwargs, deltas, self.control, stream=self.stream, retries=self.retries,
            backoff=self.retry_backoff, limits=limits,
            on_retry=lambda attempt, error, wait: self._emit(Retrying(turn, attempt, error, wait)),
        )
        return dataclasses.replace(reply, message=self._append(reply.message, turn))

    def _run_call(self, call: dict[str, Any], turn: int, workspace: Workspace) -> None:
        """Run one call of a reply, or answer it without running it once a budget is spent. nano-agent
        checks the budgets only between replies (and allows ``tool_limit`` + 1 calls): here each call
        is checked the same way, so a reply of 30 calls runs no more calls than 30 replies of one
        would, and none after the time limit."""
        function = call.get("function") or {}
        name, raw = function.get("name") or "", function.get("arguments") or ""
        call_id = call.get("id") or ""
        refusal = (TOOL_LIMIT_REPLY if self.remaining_tool_calls < 0
                   else TIME_LIMIT_REPLY if self.remaining_time <= 0 else None)
        decision = self._checkpoint(turn, "tool", call_id) if refusal is None else "skip"
        started = time.time()
        self._emit(ToolStarted(turn, call_id, name, raw))
        if refusal is not None:
            outcome = ToolOutcome(refusal, "failed")
        elif decision == "skip":
            outcome = ToolOutcome(SKIPPED_REPLY, "skipped")
        else:
            outcome = self._execute(name, raw, workspace)
        content = self._tool_reply(call, outcome.output, turn)
        self.tool_usage += 1
        cut = len(outcome.output) > self.TOOL_TRUNCATE_LENGTH  # the model saw only the start of it
        self._emit(ToolFinished(turn, call_id, name, content, outcome.state, time.time() - started,
                                printed=outcome.printed if cut else None,
                                printed_bytes=outcome.printed_bytes))
        if outcome.diff:
            self._emit(PatchApplied(turn, call_id, outcome.file or "", outcome.diff))

    def _execute(self, name: str, raw: str, workspace: Workspace) -> ToolOutcome:
        try:
            args = bounded_json.parse(raw)
        except ValueError as error:
            return ToolOutcome(f"Malformed tool arguments JSON: {error}", "failed")
        if not isinstance(args, dict):
            args = {}
        if name == "shell":
            assert self._backend is not None
            return shell(args, self._backend, self.stats, self.shell_timeout, self.control)
        if name == "apply_patch":
            return apply_patch(args, workspace, self.stats)
        return ToolOutcome(f"unknown tool: {name}", "failed")

    def _tool_reply(self, call: dict[str, Any], output: str, turn: int) -> str:
        """Append the tool message: output cut to 2000 characters, the most urgent budget warning first."""
        if len(output) > self.TOOL_TRUNCATE_LENGTH:
            output = output[:self.TOOL_TRUNCATE_LENGTH] + "... output truncated"
        remaining_tokens = self.remaining_tokens
        if remaining_tokens < self.TOKENS_CRITICAL:
            warning = "Token limit critical! Apply your best fix now.\n"
        elif remaining_tokens < self.TOKENS_WRAP_UP:
            warning = "Tokens low. Focus on the main issue only.\n"
        elif 1 < self.remaining_tool_calls < self.REMAINING_CALLS_WARNING:
            warning = f"{self.remaining_tool_calls} tools left. Prioritize essential changes.\n"
        elif self.remaining_tool_calls == 1:
            warning = "Last tool call! Make it count.\n"
        else:
            warning = ""
        content = warning + output
        self._append({"role": "tool", "content": content, "tool_call_id": call.get("id")}, turn)
        return content

    # -- plumbing -----------------------------------------------------------------------------------

    def _checkpoint(self, turn: int, before: str, call_id: str | None = None) -> str:
        decision = self.control.checkpoint(lambda: self._emit(Paused(turn, before, call_id)),  # type: ignore[arg-type]
                                           lambda waited: self._emit(Resumed(turn, waited)))
        if decision == "stop":
            raise Stopped()
        return decision

    def _append(self, message: dict[str, Any], turn: int) -> dict[str, Any]:
        """Add ``message`` to the conversation and the log, as it will be sent (see
        :func:`~nano_tui.bounded_json.utf8`), and return it so."""
        message = bounded_json.utf8(message)
        self.messages.append(message)
        self._runlog.append_message(message)
        self._emit(MessageLogged(len(self.messages) - 1, turn, message, time.time()))
        return message

    def _emit(self, event: Event) -> None:
        self._runlog.record(event)
        if self.on_event is None:
            return
        try:
            self.on_event(event)
        except Exception as error:
            raise EventHandlerError(f"{type(error).__name__}: {error}") from error

    def _end(self, workspace: Workspace, reason: EndReason, error: str | None = None) -> str:
        self.end_reason, self.error = reason, error
        if self._backend is not None:
            self._backend.close()
        diff = workspace.diff()
        ended = RunEnded(reason, diff, str(self.run_dir) if self.run_dir else None, error, self.error_kind)
        self._runlog.record(ended)
        self._runlog.finish(diff, self.stats.report())
        if self.on_event is not None:
            self.on_event(ended)
        return diff
