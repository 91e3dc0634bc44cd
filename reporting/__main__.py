"""``python -m reporting``: the same command line as ``build_reports.py``."""

import sys

from reporting.cli import main

sys.exit(main())
