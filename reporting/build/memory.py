"""Giving memory a big step freed back to the system, so the build's processes shrink after it."""

from __future__ import annotations


def return_freed_memory() -> None:
    """Return the memory freed so far to the system (glibc otherwise keeps it for the process)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass  # another C library: the memory is reused by the process instead
