"""Time limits for render jobs: a template that loops without end stops with an error."""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager

from reporting.errors import TimeLimitExceeded
from reporting.tool_language import _, isolate, number

ROWS_PER_LIMIT = 500  # a list gets the job time limit once for every this many rows


def scaled(seconds: float, rows: int) -> float:
    """The time limit of a job with ``rows`` rows (the awardee list): the limit stops a template that
    loops without end, not an event with 15,000 awardees, whose list takes minutes to typeset."""
    return seconds * max(1.0, rows / ROWS_PER_LIMIT)


@contextmanager
def time_limit(seconds: float, what: str):
    """Raise TimeLimitExceeded in the block after ``seconds``.

    SIGALRM interrupts pure-Python loops (Jinja) and WeasyPrint's layout alike;
    outside the main thread, where signals cannot be delivered, no limit applies.
    """
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        raise TimeLimitExceeded(
            _("{task}: stopped after {seconds} s ({setting} in reporting.toml)").format(
                task=what, seconds=number(seconds), setting=isolate("build.job_time_limit_s")
            )
        )

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
