"""What ``serve`` and ``watch`` share: build, then rebuild after every change, and report each build."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from reporting.commands.options import add_selection_options, output_folder, shown
from reporting.errors import DataError
from reporting.tool_language import _, isolate, n_, number
from reporting.ui.problem_report import Painter, render_problems, wants_colour


def add_rebuild_parser(commands, common: argparse.ArgumentParser, name: str, help_text: str) -> argparse.ArgumentParser:
    command = commands.add_parser(name, parents=[common], help=help_text)
    add_selection_options(command)
    return command


def rebuild_on_change(
    project, args, stdout: TextIO, stderr: TextIO, keep_going: Callable[..., None], after_each: str | None = None
) -> int:
    """Build, then rebuild after every change until Ctrl-C (exit 0); a failed build is reported, not fatal.

    ``keep_going(rebuilder, report, output)`` runs until interrupted; ``after_each`` is printed after each build."""
    from reporting.build.output_paths import check_output_folder
    from reporting.build.pipeline import Selection
    from reporting.build.watch import Rebuilder

    output = output_folder(project, args)
    check_output_folder(project, output)  # before watching: a build into its own inputs would never settle
    selection = Selection(tuple(args.event), tuple(args.locale), tuple(args.format), documents=tuple(args.document))
    rebuilder = Rebuilder(project.root, output, selection)

    def report(outcome) -> None:
        _print_outcome(outcome, project.root, output, stdout, stderr)
        if after_each:
            print(after_each, file=stderr, flush=True)

    try:
        keep_going(rebuilder, report, output)
    except KeyboardInterrupt:
        pass
    except OSError as exc:  # e.g. the system's limit of watched folders (fs.inotify.max_user_watches)
        paint = Painter(wants_colour(stderr))
        message = _("cannot watch {folder} for changes: {reason}").format(
            folder=isolate(shown(project.root, Path.cwd())), reason=exc
        )
        print(f"{paint.error_label()} {message}", file=stderr)
        return 1
    print(_("Stopped."), file=stderr)
    return 0


def _print_outcome(outcome, root: Path, output: Path, stdout: TextIO, stderr: TextIO) -> None:
    paint = Painter(wants_colour(stderr))
    changed = ", ".join(isolate(shown(path, root)) for path in outcome.changed[:3]) + (
        " ..." if len(outcome.changed) > 3 else ""
    )
    build = _("Build {number}").format(number=number(outcome.generation))
    if changed:
        build = _("Build {number} after a change to {files}").format(number=number(outcome.generation), files=changed)
    if outcome.ok:
        result = outcome.result
        for warning in result.warnings:
            print(f"{paint.warning_label()} {warning}", file=stderr)
        written = ", ".join(isolate(shown(path, output)) for path in result.written[:4]) + (
            " ..." if len(result.written) > 4 else ""
        )
        wrote = n_("wrote {count} file", "wrote {count} files", len(result.written)).format(
            count=number(len(result.written))
        )
        listed = f": {written}" if written else ""
        unchanged = n_("{count} unchanged", "{count} unchanged", len(result.unchanged)).format(
            count=number(len(result.unchanged))
        )
        print(
            _("{build}: {wrote}{listed}, {unchanged}, in {seconds} s.").format(
                build=build, wrote=wrote, listed=listed, unchanged=unchanged, seconds=number(round(outcome.seconds, 1))
            ),
            file=stdout,
            flush=True,
        )
        return
    if outcome.crash:
        print(outcome.crash, file=stderr, end="")
    elif isinstance(outcome.error, DataError):  # grouped by file, source line and caret, as `build` shows them
        print(render_problems(outcome.error.problems, root, paint), file=stderr)
    else:
        print(f"{paint.error_label()} {outcome.error}", file=stderr)
    print(_("{build} failed; the previous outputs are kept.").format(build=build), file=stderr, flush=True)
