#!/usr/bin/env python3
"""Build every document from data/ (see README.md); thin wrapper around reporting.cli."""

import sys

from reporting.cli import main

if __name__ == "__main__":
    sys.exit(main())
