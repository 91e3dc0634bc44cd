"""The ``watch`` command: rebuild whenever an input changes, without a server."""

from __future__ import annotations

import argparse
import threading

from reporting.commands.rebuilding import add_rebuild_parser, rebuild_on_change
from reporting.tool_language import _
from reporting.ui.console import Console

NAME = "watch"


def add_parser(commands, common: argparse.ArgumentParser) -> None:
    add_rebuild_parser(commands, common, NAME, _("rebuild whenever data, templates, stylesheets or catalogs change"))


def run(project, args, console: Console) -> int:
    from reporting.build.watch import keep_building

    def keep_going(rebuilder, report, output) -> None:
        keep_building(rebuilder, threading.Event(), report)

    return rebuild_on_change(
        project,
        args,
        console.stdout,
        console.stderr,
        keep_going,
        after_each=_("Watching data/, templates/ and reporting.toml; Ctrl-C stops."),
    )
