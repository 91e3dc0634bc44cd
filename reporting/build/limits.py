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


# A job that waits instead of computing (a hung file system, a lock) is stopped after this many
# times its limit of wall time.
WAITING_FACTOR = 10


@contextmanager
def time_limit(seconds: float, what: str):
    """Raise TimeLimitExceeded in the block after ``seconds`` of CPU time, or ``WAITING_FACTOR`` times
    as long in wall time.

    The limit is for a template that loops without end, so it counts what the job computes
    (ITIMER_PROF: this process's user and system time), not the clock: on a machine busy with other
    work a job's wall time grows many times over (builds were stopped at 60 s on a loaded CI
    machine) while its CPU time stays what it is. The wall-time backstop stops a job that waits.
    The signals interrupt pure-Python loops (Jinja) and WeasyPrint's layout alike; outside the
    main thread, where signals cannot be delivered, no limit applies.
    """
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def computed_too_long(signum, frame):
        raise TimeLimitExceeded(
            _("{task}: stopped after {seconds} s of computing ({setting} in reporting.toml)").format(
                task=what, seconds=number(seconds), setting=isolate("build.job_time_limit_s")
            )
        )

    def waited_too_long(signum, frame):
        raise TimeLimitExceeded(
            _("{task}: stopped after {seconds} s of waiting (ten times {setting} in reporting.toml)").format(
                task=what, seconds=number(seconds * WAITING_FACTOR), setting=isolate("build.job_time_limit_s")
            )
        )

    previous_prof = signal.signal(signal.SIGPROF, computed_too_long)
    previous_alarm = signal.signal(signal.SIGALRM, waited_too_long)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    signal.setitimer(signal.ITIMER_REAL, seconds * WAITING_FACTOR)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGPROF, previous_prof)
        signal.signal(signal.SIGALRM, previous_alarm)
