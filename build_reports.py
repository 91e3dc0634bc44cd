#!/usr/bin/env python3
"""Build every document from data/ (see README.md); thin wrapper around reporting.cli."""

from reporting.cli import exit_now, main

if __name__ == "__main__":
    exit_now(main())
