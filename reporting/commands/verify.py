"""The ``verify`` command: re-hash an output folder against its manifest."""

from __future__ import annotations

import argparse
from pathlib import Path

from reporting.notices import code_of
from reporting.tool_language import _, isolate, n_, number
from reporting.ui.console import Console

NAME = "verify"
NEEDS_PROJECT = False  # it checks a folder, wherever it is, with no project around it


def add_parser(commands, common: argparse.ArgumentParser) -> None:
    verify = commands.add_parser(NAME, parents=[common], help=_("re-hash an output folder against its manifest.json"))
    verify.add_argument("folder", type=Path, help=_("the output folder to check"))


def run(project, args, console: Console) -> int:
    from reporting.build.manifest import previous_outputs, verify

    folder: Path = args.folder
    _finish_interrupted_publication(folder, console)
    problems = verify(folder)
    for problem in problems:
        console.error(str(problem), code_of(problem, "output-mismatch"))
    if problems:
        console.closing(
            n_("{count} problem in {folder}.", "{count} problems in {folder}.", len(problems)).format(
                count=number(len(problems)), folder=isolate(folder)
            )
        )
        return 1
    count = len(previous_outputs(folder))
    console.say(
        n_(
            "ok: {count} file in {folder} matches manifest.json.",
            "ok: {count} files in {folder} match manifest.json.",
            count,
        ).format(count=number(count), folder=isolate(folder))
    )
    return 0


def _finish_interrupted_publication(folder: Path, console: Console) -> None:
    """A build killed while publishing left a journal: roll it forward first (under the folder's lock),
    so verify judges the folder as the completed build made it."""
    from reporting.build.lock import output_lock
    from reporting.build.publish import JOURNAL_NAME, STAGING_NAME, recover

    if not (folder / STAGING_NAME / JOURNAL_NAME).is_file():
        return
    with output_lock(folder):
        done = recover(folder.resolve())
    if done:
        console.warning(f"{isolate(folder)}: {done}", "publication-completed")
