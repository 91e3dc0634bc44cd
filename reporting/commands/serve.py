"""The ``serve`` command: a web preview on 127.0.0.1 that rebuilds and reloads on every change."""

from __future__ import annotations

import argparse
import os

from reporting.commands.options import shown
from reporting.commands.rebuilding import add_rebuild_parser, rebuild_on_change
from reporting.tool_language import _, isolate
from reporting.ui.console import Console

NAME = "serve"


def add_parser(commands, common: argparse.ArgumentParser) -> None:
    serve = add_rebuild_parser(
        commands, common, NAME, _("web preview on 127.0.0.1 that rebuilds and reloads on every change")
    )
    serve.add_argument(
        "--port", type=port_number, default=8000, help=_("port on 127.0.0.1 (default 8000; 0 picks a free one)")
    )


def port_number(text: str) -> int:
    """A TCP port: 0 (any free one) to 65535."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(
            _("expected a port from 0 (any free one) to 65535, found {value}").format(value=isolate(repr(text)))
        )
    return value


def run(project, args, console: Console) -> int:
    from reporting.preview.language import preview_language
    from reporting.preview.server import serve
    from reporting.preview.state import Preview

    # Fixed by --ui-language or [ui] language; otherwise each browser's Accept-Language, then the environment.
    language = preview_language(getattr(args, "ui_language", None), project.ui_language, os.environ)

    def keep_going(rebuilder, report, output) -> None:
        def ready(url: str) -> None:
            print(
                _("Preview at {url} (building into {folder}); Ctrl-C stops.").format(
                    url=isolate(url), folder=isolate(shown(output, project.root))
                ),
                file=console.stdout,
                flush=True,
            )

        serve(Preview(rebuilder, language), args.port, ready, report)

    return rebuild_on_change(project, args, console.stdout, console.stderr, keep_going)
