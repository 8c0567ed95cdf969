"""The interpreter's memory, where a command builds a great many objects at once."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building hundreds of thousands of objects that form no cycles
    (the cells of a roster, the findings of a screening): each collection would only walk them all again
    (about 2.5 s of a 7 s roster read; 0.04 s of a 0.9 s screening of 400,000 members). The previous state is
    restored on exit."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
