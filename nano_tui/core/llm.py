"""One model call through litellm: streamed as deltas, rebuilt into the message nano would have logged.

litellm is imported here, lazily, and only when a run starts. A streamed reply is reassembled with
``litellm.stream_chunk_builder`` and then normalised to the shape of nano-agent's non-streaming
``Message.model_dump()``: ``content`` is null when nothing was said, a leading ``<think>…</think>`` moves
to ``reasoning_content`` as litellm does for whole responses, and unknown delta fields (OpenAI's
``refusal``) land in ``provider_specific_fields``.

Provider failures become :class:`ProviderError` with a one-line message; the transient ones (rate limit,
5xx, timeouts, refused connections) are retried by :func:`complete` as long as nothing was streamed yet,
after the wait the provider asks for (``Retry-After``) when it says. No call outlives the run's time:
each has a deadline, checked by the clock and not by the connection (a server that sends a byte every
few seconds never trips a read timeout), and a stream that stops sending chunks is cut.
"""

from __future__ import annotations

import email.utils
import os
import queue
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from nano_tui.contract import CLOSE_TAGS, OPEN_TAGS, ErrorKind, split_leading_thinking
from nano_tui.core.control import RunControl, Stopped

_litellm: ModuleType | None = None


def load_litellm() -> ModuleType:
    """Import litellm once, quiet (it must never print over a full-screen app), with the scripted provider."""
    global _litellm
    if _litellm is None:
        import logging

        os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
        import litellm

        litellm.suppress_debug_info = True
        litellm.set_verbose = False
        # its success callbacks, run for every chunk of a stream on a thread pool, serve no one here
        litellm.disable_streaming_logging = True
        for name in ("LiteLLM", "LiteLLM Router", "LiteLLM Proxy", "litellm"):
            logger = logging.getLogger(name)
            logger.handlers = [logging.NullHandler()]
            logger.propagate = False
        from nano_tui.core.scripted import register

        register(litellm)
        _litellm = litellm
    return _litellm


class ProviderError(Exception):
    """The model provider failed. ``str()`` is one line a user can read; ``kind`` says what kind of
    failure it is, for the advice the screen gives."""

    def __init__(self, message: str, retryable: bool = False, kind: ErrorKind = "other",
                 retry_after: float | None = None):
        super().__init__(message)
        self.retryable = retryable
        self.kind = kind
        #: Seconds the provider asked to wait before trying again (its ``Retry-After``), if it said.
        self.retry_after = retry_after


class OutOfTime(ProviderError):
    """The run's time ran out before the model's reply was complete."""


_RETRYABLE = ("RateLimitError", "InternalServerError", "ServiceUnavailableError", "APIConnectionError",
              "Timeout", "BadGatewayError", "APIError")


def classify(error: BaseException) -> ProviderError:
    """A one-line, user-facing :class:`ProviderError` for any exception litellm raised."""
    if isinstance(error, ProviderError):
        return error
    kind = type(error).__name__
    if kind != "APIConnectionError" and _caused_by_connection_failure(error):
        kind = "APIConnectionError"  # litellm reports a refused connection as an InternalServerError
    text = re.sub(r"\s+", " ", str(error)).strip()
    text = re.sub(rf"^(litellm\.)?{type(error).__name__}:\s*({type(error).__name__}:\s*)?", "", text)
    if len(text) > 300:
        text = text[:297] + "..."
    status = getattr(error, "status_code", 0)
    retryable = kind in _RETRYABLE or status in (408, 429, 500, 502, 503, 504)
    if kind in ("AuthenticationError", "PermissionDeniedError", "BadRequestError", "NotFoundError",
                "ContextWindowExceededError", "ContentPolicyViolationError"):
        retryable = False
    not_json = _NOT_JSON.search(text) if kind in _ANSWERED else None
    if not_json:
        return ProviderError(f"the server's reply is not valid JSON ({not_json.group(0)}): it answered, "
                             "but not in the chat-completions format", True, "other")
    return ProviderError(f"{kind}: {text}" if text else kind, retryable, _kind_of(kind, status, retryable),
                         retry_after(getattr(error, "litellm_response_headers", None)))


#: The errors litellm raises when a server answered with what it could not read.
_ANSWERED = ("InternalServerError", "APIError", "APIConnectionError", "MidStreamFallbackError")
#: What Python's JSON decoder says of a text that is not JSON; litellm keeps only its words.
_NOT_JSON = re.compile(r"(Expecting [a-z ',:]+|Unterminated string starting at|Extra data|Invalid control "
                       r"character at|Invalid \\escape)[^:]*: line \d+ column \d+ \(char \d+\)")


def retry_after(headers: Any) -> float | None:
    """The seconds a response's ``Retry-After`` (a number, or an HTTP date) or ``retry-after-ms`` asks
    to wait; None when it says nothing usable."""
    if headers is None or not hasattr(headers, "get"):
        return None
    try:
        milliseconds = headers.get("retry-after-ms")
        if milliseconds is not None:
            return max(0.0, float(milliseconds) / 1000)
        value = headers.get("retry-after")
        if value is None:
            return None
        try:
            return max(0.0, float(value))
        except ValueError:
            when = email.utils.parsedate_to_datetime(value)
            return max(0.0, when.timestamp() - time.time())
    except (TypeError, ValueError, OverflowError):
        return None


def _kind_of(name: str, status: int, retryable: bool) -> ErrorKind:
    if name in ("AuthenticationError", "PermissionDeniedError") or status in (401, 403):
        return "key"
    if name == "APIConnectionError":
        return "connection"
    if name == "NotFoundError" or status == 404:
        return "model"
    return "busy" if retryable else "other"


def _caused_by_connection_failure(error: BaseException) -> bool:
    seen: BaseException | None = error
    for _ in range(10):
        if seen is None:
            return False
        if type(seen).__name__ in ("ConnectError", "ConnectTimeout", "APIConnectionError") or isinstance(
                seen, ConnectionError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


@dataclass
class Deltas:
    """Where streamed fragments go: thinking, visible text, and tool-call pieces (index, id, name, args)."""

    thinking: Callable[[str], None]
    text: Callable[[str], None]
    tool_call: Callable[[int, str | None, str | None, str], None]


@dataclass
class Reply:
    message: dict[str, Any]
    usage: dict[str, int] = field(default_factory=dict)


class ThinkSplitter:
    """Routes streamed content: a leading ``<think>…</think>`` block is thinking, the rest is text.

    Tags may arrive split across chunks, so a short tail is held back until it cannot be a tag.
    """

    OPEN = OPEN_TAGS
    CLOSE = CLOSE_TAGS

    def __init__(self, deltas: Deltas):
        self.deltas = deltas
        self.state = "start"
        self.buffer = ""

    def feed(self, text: str) -> None:
        self.buffer += text
        if self.state == "start":
            opened = next((tag for tag in self.OPEN if self.buffer.startswith(tag)), None)
            if opened:
                self.state, self.buffer = "think", self.buffer[len(opened):]
            elif any(tag.startswith(self.buffer) for tag in self.OPEN):
                return
            else:
                self.state = "text"
        if self.state == "think":
            for tag in self.CLOSE:
                at = self.buffer.find(tag)
                if at >= 0:
                    self._emit(self.deltas.thinking, self.buffer[:at])
                    self.state, self.buffer = "text", self.buffer[at + len(tag):]
                    break
            else:
                keep = max(len(tag) for tag in self.CLOSE) - 1
                self._emit(self.deltas.thinking, self.buffer[:-keep] if len(self.buffer) > keep else "")
                self.buffer = self.buffer[-keep:] if len(self.buffer) > keep else self.buffer
                return
        if self.state == "text":
            self._emit(self.deltas.text, self.buffer)
            self.buffer = ""

    def flush(self) -> None:
        self._emit(self.deltas.thinking if self.state == "think" else self.deltas.text, self.buffer)
        self.buffer = ""

    @staticmethod
    def _emit(sink: Callable[[str], None], text: str) -> None:
        if text:
            sink(text)


#: Delta fields litellm's Message knows; any other field is provider-specific.
_KNOWN_DELTA_FIELDS = {"content", "role", "function_call", "tool_calls", "audio", "provider_specific_fields",
                       "reasoning_content", "thinking_blocks", "annotations", "images", "reasoning_items"}


class _Assembler:
    """Collects a stream's chunks, forwards its fragments, and rebuilds the final message."""

    def __init__(self, deltas: Deltas):
        self.chunks: list[Any] = []
        self.splitter = ThinkSplitter(deltas)
        self.deltas = deltas
        self.said_anything = False
        self.extra: dict[str, Any] = {}

    def add(self, chunk: Any) -> None:
        self.chunks.append(chunk)
        if not chunk.choices:
            return
        delta = chunk.choices[0].delta
        reasoning = getattr(delta, "reasoning_content", None)
        if reasoning:
            self.deltas.thinking(reasoning)
        if delta.content:
            self.said_anything = True
            self.splitter.feed(delta.content)
        for call in delta.tool_calls or []:
            function = call.function
            self.deltas.tool_call(call.index or 0, call.id, function.name if function else None,
                                  (function.arguments or "") if function else "")
        fields = dict(delta.provider_specific_fields or {})
        fields.update({k: v for k, v in delta.model_dump().items() if k not in _KNOWN_DELTA_FIELDS})
        for key, value in fields.items():
            before = self.extra.get(key)
            if isinstance(value, str) and isinstance(before, str):
                self.extra[key] = before + value
            elif value is not None or key not in self.extra:
                self.extra[key] = value

    def message(self, litellm: ModuleType, messages: list[dict[str, Any]]) -> Reply:

        self.splitter.flush()
        built = litellm.stream_chunk_builder(self.chunks, messages=messages)
        rebuilt = built.choices[0].message
        content = rebuilt.content if self.said_anything else None
        reasoning = getattr(rebuilt, "reasoning_content", None)
        if reasoning is None and isinstance(content, str):
            reasoning, content = split_leading_thinking(content)
        tool_calls = [call.model_dump() if hasattr(call, "model_dump") else call
                      for call in rebuilt.tool_calls or []]
        message = litellm.Message(
            content=content, role="assistant", tool_calls=tool_calls or None, function_call=None,
            reasoning_content=reasoning, thinking_blocks=getattr(rebuilt, "thinking_blocks", None),
            audio=getattr(rebuilt, "audio", None), provider_specific_fields=self.extra or None,
        ).model_dump()
        message.pop("annotations", None)
        return Reply(message, _usage(built))


def _usage(response: Any) -> dict[str, int]:
    usage = getattr(response, "usage", None)
    if usage is None:
        return {}
    return {key: int(getattr(usage, key)) for key in ("prompt_tokens", "completion_tokens", "total_tokens")
            if isinstance(getattr(usage, key, None), int)}


@dataclass(frozen=True)
class Limits:
    """How long one model call may take: ``deadline`` (``time.monotonic()``) is when the run's time is
    up; ``timeout`` the most one request may take; ``stall`` the most a stream may go without a chunk
    once it has started (the first chunk can take long: the server reads the whole context first)."""

    deadline: float = float("inf")
    timeout: float = 600.0
    stall: float = 60.0


def complete(kwargs: dict[str, Any], deltas: Deltas, control: RunControl, *, stream: bool = True,
             retries: int = 3, backoff: float = 1.0, limits: Limits = Limits(),
             on_retry: Callable[[int, str, float], None] | None = None) -> Reply:
    """Call the model, retrying transient failures before any delta reached the caller: after the
    wait the provider asks for, else ``backoff * 2**n`` seconds, and only while the run has time for
    it. Raises :class:`ProviderError` (:class:`OutOfTime` at the deadline) or
    :class:`~nano_tui.core.control.Stopped`."""
    emitted = False

    def mark(sink: Callable[..., None]) -> Callable[..., None]:
        def forward(*args: Any) -> None:
            nonlocal emitted
            emitted = True
            sink(*args)
        return forward

    tracked = Deltas(mark(deltas.thinking), mark(deltas.text), mark(deltas.tool_call))
    attempt = 0
    while True:
        try:
            return _call_once(kwargs, tracked, control, stream, limits)
        except ProviderError as error:
            if not error.retryable or emitted or attempt >= retries:
                raise
            attempt += 1
            wait = backoff * 2 ** (attempt - 1) if error.retry_after is None else error.retry_after
            left = limits.deadline - time.monotonic()
            if wait >= left and error.retry_after is not None:
                raise ProviderError(f"{error} (the provider asks to wait {wait:.0f} s before trying again; "
                                    f"the run has {max(0.0, left):.0f} s left)", False, error.kind) from error
            if wait >= left:
                raise OutOfTime(f"{error} (the run's time ran out before it could be tried again)",
                                kind=error.kind) from error
            if on_retry is not None:
                on_retry(attempt, str(error), wait)
            control.sleep(wait)


def _call_once(kwargs: dict[str, Any], deltas: Deltas, control: RunControl, stream: bool,
               limits: Limits) -> Reply:
    """Run the blocking litellm call on a helper thread so a stop, the deadline or a stalled stream
    never waits for the network."""
    litellm = load_litellm()
    inbox: queue.Queue[tuple[str, Any]] = queue.Queue()
    abandoned = threading.Event()
    started = time.monotonic()
    timeout = min(limits.timeout, limits.deadline - started)
    out_of_time = limits.deadline - started <= limits.timeout

    def produce() -> None:
        try:
            # litellm's own timeout is a backstop that closes the connection: the clock below ends
            # the call first, with the reason (the run's time, or --request-timeout's)
            response = litellm.completion(**{**kwargs, "timeout": max(0.001, timeout) + 5}, stream=stream,
                                          **({"stream_options": {"include_usage": True}} if stream else {}))
            if not stream:
                inbox.put(("response", response))
                return
            for chunk in response:
                if abandoned.is_set():
                    return
                inbox.put(("chunk", chunk))
            inbox.put(("end", getattr(response, "received_finish_reason", "stop")))
        except BaseException as error:  # handed to the loop thread, which decides
            inbox.put(("error", error))

    threading.Thread(target=produce, name="nano-tui-model-call", daemon=True).start()
    assembler = _Assembler(deltas)
    last_chunk: float | None = None
    try:
        while True:
            try:
                kind, item = inbox.get(timeout=0.05)
            except queue.Empty:
                if control.stopped:
                    raise Stopped() from None
                _check_time(started, timeout, out_of_time, last_chunk, limits.stall)
                continue
            if kind == "error":
                raise classify(item)
            if kind == "response":
                return _whole(item, deltas)
            if kind == "end":
                if item is None:
                    raise ProviderError("the reply stream ended before the reply was complete "
                                        "(connection cut)", kind="busy")
                return assembler.message(litellm, kwargs["messages"])
            assembler.add(item)
            last_chunk = time.monotonic()
            if control.stopped:
                raise Stopped()
            _check_time(started, timeout, out_of_time, last_chunk, limits.stall)
    finally:
        abandoned.set()


def _check_time(started: float, timeout: float, out_of_time: bool, last_chunk: float | None,
                stall: float) -> None:
    """Raise when the call has had its time (the run's, or ``--request-timeout``'s) or its stream
    has sent nothing for ``stall`` seconds since its last chunk."""
    now = time.monotonic()
    if now - started >= timeout:
        if out_of_time:
            raise OutOfTime(f"the run's time ran out {timeout:.0f} s into a model call, before the reply was "
                            "complete", kind="busy")
        raise ProviderError(f"Timeout: no complete reply within {timeout:g} s (--request-timeout)",
                            True, "busy")
    if last_chunk is not None and now - last_chunk >= stall:
        raise ProviderError(f"the reply stream stalled: nothing arrived for {stall:g} s (--stall-timeout)",
                            True, "busy")


def _whole(response: Any, deltas: Deltas) -> Reply:
    """A non-streamed reply: forward it as one delta of each kind and keep nano's exact dump."""
    message = response.choices[0].message.model_dump()
    message.pop("annotations", None)
    if message.get("reasoning_content"):
        deltas.thinking(message["reasoning_content"])
    if message.get("content"):
        deltas.text(message["content"])
    for index, call in enumerate(message.get("tool_calls") or []):
        function = call.get("function") or {}
        deltas.tool_call(index, call.get("id"), function.get("name"), function.get("arguments") or "")
    return Reply(message, _usage(response))
