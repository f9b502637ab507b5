"""A real OpenAI chat-completions server on 127.0.0.1 that answers from a script.

Tests point litellm (``openai/<model>`` or ``hosted_vllm/<model>`` with ``api_base=server.url``) at it,
so litellm's own HTTP client path runs, streaming and not. Each request pops the next reply:

- ``Reply(content=..., reasoning=..., tool_calls=[Call("shell", {"cmd": "ls"})])`` — an assistant turn;
- ``Reply(status=500, error="boom")`` — an HTTP error;
- ``Reply(..., delay=2.0)`` — wait before answering; ``chunk_delay`` paces stream chunks (one every
  ``chunk_delay`` seconds on a schedule, so 0.002 is 500 chunks a second however long a write takes);
- ``Reply(..., cut_after=3)`` — close the stream after 3 chunks (a cut connection);
- ``Reply(status=429, headers={"Retry-After": "2"})`` — extra response headers;
- ``Reply(body="{oops")`` — answer 200 with this body (streamed: as one ``data:`` event after
  ``garbage_after`` good chunks), to play a server that sends what is not JSON;
- ``Reply(hang=True)`` — never answer (until the server closes); ``drip=2.0`` — stream the reply one
  byte every 2 seconds (after ``drip_after`` events sent whole).

``server.times`` holds when (``time.monotonic()``) each request arrived.

When the script runs out the server answers with a plain text reply "done." so loops end.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Call:
    name: str
    arguments: dict[str, Any] | str
    call_id: str | None = None

    def raw_arguments(self) -> str:
        if isinstance(self.arguments, str):
            return self.arguments
        return json.dumps(self.arguments)


@dataclass
class Reply:
    content: str | None = None
    reasoning: str | None = None
    tool_calls: list[Call] = field(default_factory=list)
    status: int = 200
    error: str = "scripted failure"
    delay: float = 0.0
    chunk_delay: float = 0.0
    cut_after: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None
    garbage_after: int = 0
    hang: bool = False
    drip: float = 0.0
    drip_after: int = 0
    usage: dict[str, int] = field(default_factory=lambda: {"prompt_tokens": 100, "completion_tokens": 20})


class OpenAIServer:
    """Start with ``with OpenAIServer([...]) as server:``; ``server.requests`` holds the bodies seen."""

    def __init__(self, replies: list[Reply] | None = None, model: str = "scripted-model"):
        self.replies = list(replies or [])
        self.model = model
        self.requests: list[dict[str, Any]] = []
        self.times: list[float] = []
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        #: Set when the server closes: ends every wait (a hang, a drip) in its handlers.
        self.closing = threading.Event()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/v1"

    def __enter__(self) -> OpenAIServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.closing.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    def next_reply(self, body: dict[str, Any]) -> Reply:
        with self._lock:
            self.requests.append(body)
            self.times.append(time.monotonic())
            return self.replies.pop(0) if self.replies else Reply(content="done.")

    def call_id(self, call: Call) -> str:
        return call.call_id or f"call_{next(self._ids):04d}"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                self._json(200, {"object": "list", "data": [{"id": server.model, "object": "model"}]})

            def do_POST(self) -> None:
                try:
                    self._answer()
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True  # the client went away (stopped run, timeout test)

            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                reply = server.next_reply(body)
                if server.closing.wait(None if reply.hang else reply.delay):
                    return
                if reply.status != 200:
                    self._json(reply.status, {"error": {"message": reply.error, "type": "server_error",
                                                        "code": reply.status}}, reply.headers)
                    return
                if body.get("stream"):
                    self._stream(reply)
                elif reply.body is not None:
                    self._send(200, reply.body.encode(), reply.headers)
                else:
                    self._json(200, server.completion(reply), reply.headers)

            def _json(self, status: int, payload: dict[str, Any], headers: dict[str, str]) -> None:
                self._send(status, json.dumps(payload).encode(), headers)

            def _send(self, status: int, data: bytes, headers: dict[str, str]) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def _stream(self, reply: Reply) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Connection", "close")
                self.end_headers()
                start = time.monotonic()
                events = [b"data: " + json.dumps(chunk).encode() + b"\n\n" for chunk in server.chunks(reply)]
                if reply.body is not None:
                    events[reply.garbage_after:] = [f"data: {reply.body}\n\n".encode()]
                for n, event in enumerate([*events, b"data: [DONE]\n\n"]):
                    if reply.cut_after is not None and n >= reply.cut_after:
                        break
                    if reply.drip and n >= reply.drip_after:
                        self._drip(event, reply.drip)
                    else:
                        self.wfile.write(event)
                        self.wfile.flush()
                    if reply.chunk_delay:
                        time.sleep(max(0.0, start + (n + 1) * reply.chunk_delay - time.monotonic()))
                self.wfile.flush()
                self.close_connection = True

            def _drip(self, data: bytes, every: float) -> None:
                for byte in data:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    if server.closing.wait(every):
                        raise BrokenPipeError("the server is closing")

        return Handler

    def _envelope(self, obj: str) -> dict[str, Any]:
        return {"id": "chatcmpl-scripted", "object": obj, "created": 1700000000, "model": self.model}

    def completion(self, reply: Reply) -> dict[str, Any]:
        message: dict[str, Any] = {"role": "assistant", "content": reply.content}
        if reply.reasoning is not None:
            message["reasoning_content"] = reply.reasoning
        if reply.tool_calls:
            message["tool_calls"] = [
                {"id": self.call_id(c), "type": "function",
                 "function": {"name": c.name, "arguments": c.raw_arguments()}}
                for c in reply.tool_calls
            ]
        usage = dict(reply.usage, total_tokens=sum(reply.usage.values()))
        return {**self._envelope("chat.completion"), "usage": usage, "choices": [
            {"index": 0, "message": message, "finish_reason": "tool_calls" if reply.tool_calls else "stop"}]}

    def chunks(self, reply: Reply) -> list[dict[str, Any]]:
        """Split a reply into deltas the way vLLM does: a few characters at a time."""

        def chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
            return {**self._envelope("chat.completion.chunk"),
                    "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}

        def pieces(text: str) -> list[str]:
            return [text[i:i + 7] for i in range(0, len(text), 7)] or [""]

        out = [chunk({"role": "assistant", "content": ""})]
        if reply.reasoning:
            out += [chunk({"reasoning_content": p}) for p in pieces(reply.reasoning)]
        if reply.content:
            out += [chunk({"content": p}) for p in pieces(reply.content)]
        for index, call in enumerate(reply.tool_calls):
            out.append(chunk({"tool_calls": [{"index": index, "id": self.call_id(call), "type": "function",
                                              "function": {"name": call.name, "arguments": ""}}]}))
            out += [chunk({"tool_calls": [{"index": index, "function": {"arguments": p}}]})
                    for p in pieces(call.raw_arguments())]
        out.append(chunk({}, "tool_calls" if reply.tool_calls else "stop"))
        usage = dict(reply.usage, total_tokens=sum(reply.usage.values()))
        out.append({**self._envelope("chat.completion.chunk"), "choices": [], "usage": usage})
        return out
