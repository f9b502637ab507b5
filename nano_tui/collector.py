"""Python's cyclic garbage collector around start-up, where it costs the most and finds the least.

Opening a run creates about 55,000 objects (modules, classes, styles, widgets, the first turns) that
live as long as the process. With the collector on, their allocation triggers a hundred young
collections and a full one that scan them again and again, and finds almost nothing to free: 25–40 ms
of a replay's 250 ms start to its first turn (measured with ``gc.callbacks``; a minimal Textual app
spends 12 ms). Held during start-up and then frozen, they are never scanned again; reference
counting frees everything else as always.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

#: Middle-generation collections between two full ones (Python's default is 10): with a 30 MB log
#: loaded a full collection takes longer than a frame, and it doubled the slowest next-turn times.
FULL_COLLECTION_EVERY = 100


def hold() -> None:
    """No cyclic collection until :func:`settle`: for start-up only, which :func:`settle` must end."""
    gc.disable()


def settle() -> None:
    """Leave what exists now out of every later collection (it lives as long as the process), make
    full collections rarer, and collect again from here on. Safe to call more than once."""
    gc.freeze()
    young, middle, old = gc.get_threshold()
    gc.set_threshold(young, middle, max(old, FULL_COLLECTION_EVERY))
    gc.enable()


@contextmanager
def held() -> Iterator[None]:
    """:func:`hold` for the block, :func:`settle` after it, however it ends."""
    hold()
    try:
        yield
    finally:
        settle()
