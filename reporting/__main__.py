"""``python -m reporting``: the same command line as ``build_reports.py``."""

from reporting.cli import exit_now, main

exit_now(main())
