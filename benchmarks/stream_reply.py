"""Where the time goes when a model streams a long reply: the HTTP stream itself, litellm's chunk
handling, and nano-tui's share on top. Prints figures; asserts nothing.

    .venv/bin/python -m benchmarks.stream_reply [--megabytes 5]

A server in another process (so it never competes with the client for the GIL) streams a reply of
varied text in 12-character chunks, as fast as the client reads. For growing sizes up to
``--megabytes``, best of three, each measured in the same run:

- **read**: the floor: the SSE lines read with httpx and each ``data:`` parsed with ``json.loads``;
- **litellm**: ``litellm.completion(stream=True)`` iterated to the end (its chunk objects built);
- **litellm + rebuild**: and ``litellm.stream_chunk_builder`` over the chunks, as a whole message;
- **nano-tui**: ``nano_tui.core.llm.complete``: the above, plus the thinking splitter, the deltas
  forwarded, the helper thread's queue and the message normalised to nano's shape.

Ratios are to **read**; nano-tui's own share is its time less litellm + rebuild's. Last, litellm with
its default per-chunk success logging, which nano-tui turns off (``litellm.disable_streaming_logging``),
on the smallest reply.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import textwrap

from benchmarks.trajectory_load import timed

CHUNK = 12
WORDS = ("the", "model", "reads", "a", "file", "and", "writes", "patch", "to", "fix", "failing", "test",
         "because", "value", "returns", "None", "instead", "of", "zero", "line", "42", "in", "app.py")

SERVER = textwrap.dedent('''
    import sys
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    body = open(sys.argv[1], "rb").read()
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        def log_message(self, *args):
            pass
        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body)
            self.close_connection = True
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()
''')


def stream_body(size: int, seed: int = 1) -> bytes:
    """An SSE stream of a ``size``-character reply of varied text, ``CHUNK`` characters an event."""
    rng = random.Random(seed)
    words = []
    length = 0
    while length < size:
        word = rng.choice(WORDS) + rng.choice(" " * 8 + "\n.,")
        words.append(word)
        length += len(word)
    text = "".join(words)[:size]
    envelope = {"id": "chatcmpl-bench", "object": "chat.completion.chunk", "created": 1700000000,
                "model": "bench"}

    def event(delta: dict, finish: str | None = None) -> bytes:
        chunk = {**envelope, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
        return b"data: " + json.dumps(chunk).encode() + b"\n\n"

    parts = [event({"role": "assistant", "content": ""})]
    parts += [event({"content": text[i:i + CHUNK]}) for i in range(0, len(text), CHUNK)]
    parts.append(event({}, "stop"))
    return b"".join(parts) + b"data: [DONE]\n\n"


class Server:
    """The stream server in its own process, serving one body."""

    def __init__(self, body: bytes) -> None:
        handle, self.path = tempfile.mkstemp(suffix=".sse")
        with os.fdopen(handle, "wb") as out:
            out.write(body)
        self.process = subprocess.Popen([sys.executable, "-c", SERVER, self.path], stdout=subprocess.PIPE,
                                        text=True)
        self.url = f"http://127.0.0.1:{self.process.stdout.readline().strip()}/v1"

    def close(self) -> None:
        self.process.kill()
        self.process.wait()
        os.unlink(self.path)


def read(url: str) -> int:
    import httpx

    count = 0
    with httpx.stream("POST", url + "/chat/completions", json={"stream": True}, timeout=600) as response:
        for line in response.iter_lines():
            if line.startswith("data: ") and line != "data: [DONE]":
                json.loads(line[6:])
                count += 1
    return count


def kwargs(url: str) -> dict:
    return dict(model="openai/bench", api_base=url, api_key="k", max_retries=0, timeout=600,
                messages=[{"role": "user", "content": "write"}])


def litellm_only(url: str, rebuild: bool) -> int:
    from nano_tui.core.llm import load_litellm

    litellm = load_litellm()
    call = kwargs(url)
    chunks = list(litellm.completion(**call, stream=True, stream_options={"include_usage": True}))
    if rebuild:
        litellm.stream_chunk_builder(chunks, messages=call["messages"])
    return len(chunks)


def nano_tui(url: str) -> int:
    from nano_tui.core.control import RunControl
    from nano_tui.core.llm import Deltas, complete

    pieces = [0]

    def count(*_: object) -> None:
        pieces[0] += 1

    complete(kwargs(url), Deltas(count, count, count), RunControl(), stream=True, retries=0)
    return pieces[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--megabytes", type=float, default=5.0)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sizes = [size for size in (250_000, 1_000_000, 2_500_000, 5_000_000) if size <= args.megabytes * 1e6]
    from nano_tui.core.llm import load_litellm

    load_litellm()
    print(f"{'reply':>8} {'chunks':>8} {'read':>8} {'litellm':>9} {'+rebuild':>9} {'nano-tui':>9}  "
          f"{'µs/chunk (read, litellm, +rebuild, nano-tui)':<46} nano-tui's own share")
    for size in sizes:
        server = Server(stream_body(size))
        url = server.url
        try:
            chunks = -(-size // CHUNK)
            floor = timed(lambda url=url: read(url), args.repeat)
            plain = timed(lambda url=url: litellm_only(url, False), args.repeat)
            rebuilt = timed(lambda url=url: litellm_only(url, True), args.repeat)
            ours = timed(lambda url=url: nano_tui(url), args.repeat)
        finally:
            server.close()
        per = ", ".join(f"{seconds / chunks * 1e6:.0f}" for seconds in (floor, plain, rebuilt, ours))
        share = (ours - rebuilt) / ours
        print(f"{size / 1e6:>6.2f}MB {chunks:>8,} {floor:>7.2f}s {plain / floor:>8.1f}× "
              f"{rebuilt / floor:>8.1f}× {ours / floor:>8.1f}×  {per:<46} "
              f"{ours - rebuilt:+.2f} s ({share:.0%} of its time)")
    litellm = load_litellm()
    server = Server(stream_body(sizes[0]))
    try:
        litellm.disable_streaming_logging = False
        logged = timed(lambda: litellm_only(server.url, False), args.repeat)
        litellm.disable_streaming_logging = True
        quiet = timed(lambda: litellm_only(server.url, False), args.repeat)
    finally:
        server.close()
    chunks = -(-sizes[0] // CHUNK)
    print(f"litellm's per-chunk logging on (its default): {logged / chunks * 1e6:.0f} µs a chunk, "
          f"{logged / quiet:.2f}× its time with it off ({quiet / chunks * 1e6:.0f} µs)")


if __name__ == "__main__":
    main()
