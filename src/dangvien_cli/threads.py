"""The threads the tool starts leave Ctrl-C and SIGTERM to the main thread.

The main thread decides what an interrupt means: it holds the signals across a COMMIT (store/connection.py,
``signals_held``) so that it knows whether the work was saved, and says so. A signal sent to the process goes
to any one of its threads that does not block it; Python runs the handler in the main thread, but the moment it
raises there is set by the thread the signal landed on. A worker thread — even one that has finished and is
being torn down by the system — would let Ctrl-C land in the middle of the main thread's COMMIT, and the
clerk would be told "nothing was written" about a commit that happened. So every thread started here blocks
them first, and the signal waits for the main thread.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

#: the signals that stop a command (Ctrl-C, and the operating system's polite stop)
INTERRUPTS = {signal.SIGINT, signal.SIGTERM}


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def leave_interrupts_to_main() -> None:
    """Block INTERRUPTS in the calling thread (not the main thread: there they are the clerk's)."""
    if threading.current_thread() is not threading.main_thread() and hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_BLOCK, INTERRUPTS)


def pool(workers: int, name: str) -> ThreadPoolExecutor:
    """A pool of ``workers`` threads that leave the interrupts to the main thread."""
    return ThreadPoolExecutor(max_workers=workers, thread_name_prefix=name, initializer=leave_interrupts_to_main)


def start(target: Callable[[], None], name: str) -> threading.Thread:
    """A started daemon thread running ``target``, leaving the interrupts to the main thread."""
    def run() -> None:
        leave_interrupts_to_main()
        target()

    thread = threading.Thread(target=run, name=name, daemon=True)
    thread.start()
    return thread
