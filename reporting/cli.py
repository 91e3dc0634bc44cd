"""Command line: argument parsing, dispatch to ``reporting/commands/``, and the only place that exits.

Each command is a module of ``reporting.commands`` with ``NAME``, ``add_parser(commands, common)`` and
``run(project, args, console) -> exit code``; this module parses, loads the project and turns the
expected failures into messages and exit codes."""

from __future__ import annotations

import argparse
import atexit
import io
import os
import re
import signal
import sys
import threading
import traceback
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn, TextIO

from reporting import tool_language
from reporting.commands import build, check, export, fonts, i18n, new, serve, verify, watch
from reporting.commands.options import output_options, ui_language_option
from reporting.errors import MESSAGE_LIMIT, DataError, ReportingError, describe_os_error, shorten
from reporting.tool_language import _
from reporting.ui.argparse_language import error_line, speak_in_argparse
from reporting.ui.console import Console

COMMAND_MODULES = (build, check, verify, i18n, new, export, serve, watch, fonts)
COMMANDS = {module.NAME: module for module in COMMAND_MODULES}


class UsageError(Exception):
    """A usage error argparse found, kept as its parser and message instead of printed and exited on,
    so that ``--json`` gets the message alone (whatever language the words around it are in)."""

    def __init__(self, parser: argparse.ArgumentParser, message: str):
        super().__init__(message)
        self.parser, self.message = parser, message


class _Parser(argparse.ArgumentParser):
    """argparse's parser, raising ``UsageError`` instead of printing (subcommands' parsers are of this class too)."""

    def error(self, message: str):
        raise UsageError(self, message)


def build_parser() -> argparse.ArgumentParser:
    speak_in_argparse()
    common = output_options()
    parser = _Parser(
        prog="build_reports.py",
        parents=[common],
        description=_("Build conference reports and commendation certificates (PDF, DOCX) from data/."),
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.add_parser(commands, common)
    return parser


def main(argv: list[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    """Run the command line; returns 0 on success, 1 on a data or template error, 2 on a usage error."""
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    argv = list(sys.argv[1:] if argv is None else argv)
    # The project's [ui] language is known only once reporting.toml is read (see _run).
    tool_language.use(tool_language.choose(ui_language_option(argv), None, os.environ))
    args = _parse(argv, stderr, stdout)
    if isinstance(args, int):
        return args
    if not hasattr(args, "project"):  # --project is accepted before or after the command
        args.project = Path.cwd()
    console = Console(stdout, stderr, quiet=getattr(args, "quiet", False), as_json=getattr(args, "json", False))
    console.root = args.project.resolve()
    with _terminate_as_interrupt():
        return console.finish(args.command, _run(args, console))


def exit_now(code: int) -> NoReturn:
    """End the process with ``code`` once the command is done, without the interpreter's teardown.

    Tearing down a build's modules and objects (WeasyPrint, pydantic, fontTools: a collection of the
    whole heap, several times) took a third of a second of CPU after the last file was published,
    seconds on a loaded machine, and changes nothing: every file is closed by then. What the usual exit
    still does is done here: the output flushed, the ``atexit`` functions run (a private cache folder
    removed). A thread still running (the usual exit waits for it) or output that cannot be flushed (a
    closed pipe, reported as ever) takes the usual way."""
    others = [t for t in threading.enumerate() if t is not threading.main_thread() and not t.daemon and t.is_alive()]
    if others or not _flushed():
        sys.exit(code)
    atexit._run_exitfuncs()
    if not _flushed():
        atexit._clear()  # they ran: the usual exit reports the unflushed output without running them twice
        sys.exit(code)
    os._exit(code)


def _flushed() -> bool:
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except (OSError, ValueError):
        return False
    return True


@contextmanager
def _terminate_as_interrupt():
    """SIGTERM (a service manager, `kill`) stops a build as Ctrl-C does: staged files removed,
    previous outputs kept, a message, exit 130; not the abrupt end that leaves temporaries."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _run(args, console: Console) -> int:
    command = COMMANDS[args.command]
    try:
        before_loading = getattr(command, "before_loading", None)  # a command that may be done already
        done = before_loading(args, console) if before_loading is not None else None
        if done is not None:
            return done
        from reporting.config import load_project  # (pydantic: imported once a command needs the settings)

        project = load_project(args.project.resolve()) if getattr(command, "NEEDS_PROJECT", True) else None
        if project is not None and project.ui_language and not getattr(args, "ui_language", None):
            tool_language.use(tool_language.choose(None, project.ui_language, os.environ))
        return command.run(project, args, console)
    except DataError as exc:
        console.problems(exc.problems, _("nothing was written."))
        return exc.exit_code
    except ReportingError as exc:
        console.error(shorten(str(exc), MESSAGE_LIMIT), error_code(exc))
        return exc.exit_code
    except OSError as exc:  # the machine refused a write (disk full, read-only folder): no traceback
        console.error(describe_os_error(exc), "os-error")
        return 1
    except KeyboardInterrupt:
        console.error(_("interrupted: nothing was published; the previous outputs are as they were"), "interrupted")
        return 130
    except Exception:  # an unexpected failure is a bug: show where it happened
        traceback.print_exc(file=console.stderr)
        return 1


def _parse(argv: list[str], stderr: TextIO, stdout: TextIO):
    """The parsed arguments, or the exit code of a usage error or of --help (as JSON with --json)."""
    if not argv or argv[0] not in (*COMMANDS, "-h", "--help") and not _has_command(argv):
        argv = _insert_build(argv)
    parser = build_parser()
    captured = io.StringIO()
    old_stderr, sys.stderr = sys.stderr, captured  # argparse writes its own messages to sys.stderr
    try:
        return parser.parse_args(argv)
    except UsageError as exc:
        if "--json" in argv:
            console = Console(stdout, stderr, as_json=True)
            console.error(exc.message, "usage-error")
            return console.finish(None, 2)
        exc.parser.print_usage(stderr)
        stderr.write(error_line(exc.parser.prog, exc.message))
        return 2
    except SystemExit as exc:  # --help (exit 0)
        stderr.write(captured.getvalue())
        return int(exc.code or 0)
    finally:
        sys.stderr = old_stderr


def error_code(exc: ReportingError) -> str:
    """The stable English code of an expected failure for ``--json``: the one it carries, else its kind
    (``OutputBusy`` -> ``output-busy``), so a machine tells failures apart in any language."""
    explicit = getattr(exc, "code", None)
    if isinstance(explicit, str) and explicit:
        return explicit
    return re.sub(r"(?<!^)(?=[A-Z])", "-", type(exc).__name__).lower()


def _has_command(argv: list[str]) -> bool:
    return any(word in COMMANDS for word in argv)


def _insert_build(argv: list[str]) -> list[str]:
    """``build`` is the default command; it goes after the global ``--project`` option."""
    if argv[:1] == ["--project"] and len(argv) >= 2:
        return argv[:2] + ["build"] + argv[2:]
    if argv[:1] and argv[0].startswith("--project="):
        return argv[:1] + ["build"] + argv[1:]
    return ["build"] + argv
