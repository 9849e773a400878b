"""Building many records at once: the garbage collector kept out of the way.

Below the loader and the tidy frame, which both build hundreds of thousands of records.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def bulk() -> Iterator[None]:
    """No cyclic garbage collection while many records are built, nor over them afterwards.

    The records hold no reference cycles, so the collector can free none of them; walking a
    million of them again and again would take longer than building them (a warm load of
    1,000 sheets: 2.2 s with it, 1.0 s without). Afterwards they are moved out of its sight
    (``gc.freeze``); they are still freed as usual when nothing refers to them.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.freeze()
            gc.enable()
