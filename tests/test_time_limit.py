"""The render jobs' time limit counts CPU time, so a busy machine does not stop a build; a job that
only waits is stopped by the wall-time backstop (reporting/build/limits.py)."""

from __future__ import annotations

import time

import pytest

from reporting.build.limits import WAITING_FACTOR, time_limit
from reporting.errors import TimeLimitExceeded


def test_a_job_computing_past_its_limit_is_stopped_and_the_message_says_computing():
    with pytest.raises(TimeLimitExceeded) as raised, time_limit(0.2, "writing report.pdf"):
        while True:  # a template looping without end
            pass
    assert "writing report.pdf: stopped after 0.2 s of computing" in str(raised.value)
    assert "build.job_time_limit_s" in str(raised.value)


def test_waiting_longer_than_the_limit_is_not_computing():
    # What a loaded machine does to a job: its wall time grows, its CPU time does not.
    started = time.monotonic()
    with time_limit(0.1, "writing report.pdf"):
        time.sleep(0.4)
    assert time.monotonic() - started >= 0.4


def test_a_job_that_only_waits_is_stopped_after_ten_times_its_limit():
    started = time.monotonic()
    with pytest.raises(TimeLimitExceeded) as raised, time_limit(0.05, "writing report.pdf"):
        time.sleep(5)
    assert time.monotonic() - started < 4
    assert f"stopped after {0.05 * WAITING_FACTOR:g} s of waiting" in str(raised.value)


def test_the_limit_is_lifted_after_the_block():
    with time_limit(0.05, "writing report.pdf"):
        pass
    deadline = time.process_time() + 0.3
    while time.process_time() < deadline:  # computing after the block is not stopped
        pass
    time.sleep(0.6)  # nor is waiting
