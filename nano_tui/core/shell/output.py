"""What a command printed, held in bounded memory however much it prints.

The model reads the first 2,000 characters; the sidecar keeps about a MiB. A command that prints
gigabytes (``yes``) must not take nano-tui's memory with it, so only the head and the tail are kept,
with a count of the bytes between them.
"""

from __future__ import annotations

#: Bytes kept from the start of the output (the model sees the first 2,000 characters of it) and
#: from its end.
HEAD_BYTES = 1 << 20
TAIL_BYTES = 64 << 10


class CapturedOutput:
    def __init__(self, head: int = HEAD_BYTES, tail: int = TAIL_BYTES) -> None:
        self._head_limit, self._tail_limit = head, tail
        self._head = bytearray()
        self._tail = bytearray()
        #: Every byte the command printed, kept or not.
        self.total = 0

    def feed(self, data: bytes) -> None:
        self.total += len(data)
        room = self._head_limit - len(self._head)
        if room > 0:
            self._head += data[:room]
            data = data[room:]
        if data:
            self._tail += data
            if len(self._tail) > 2 * self._tail_limit:
                del self._tail[: len(self._tail) - self._tail_limit]

    @property
    def dropped(self) -> int:
        """Bytes printed between the kept head and tail."""
        return self.total - len(self._head) - min(len(self._tail), self._tail_limit)

    def text(self) -> str:
        """The output as kept, decoded (invalid UTF-8 dropped, as nano reads it), with a line saying how
        much is missing where bytes were dropped."""
        tail = bytes(self._tail[-self._tail_limit:])
        if not self.dropped:
            return (bytes(self._head) + tail).decode("utf-8", errors="ignore")
        head = bytes(self._head).decode("utf-8", errors="ignore")
        return f"{head}\n[… {self.dropped:,} bytes not kept …]\n{tail.decode('utf-8', errors='ignore')}"
