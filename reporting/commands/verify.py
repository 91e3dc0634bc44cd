"""The ``verify`` command: re-hash an output folder against its manifest."""
from __future__ import annotations

import argparse
from pathlib import Path

from reporting.ui.console import Console

NAME = "verify"
NEEDS_PROJECT = False  # it checks a folder, wherever it is, with no project around it


def add_parser(commands, common: argparse.ArgumentParser) -> None:
    verify = commands.add_parser(NAME, parents=[common], help="re-hash an output folder against its manifest.json")
    verify.add_argument("folder", type=Path, help="the output folder to check")


def run(project, args, console: Console) -> int:
    from reporting.build.manifest import read_manifest, verify

    folder: Path = args.folder
    problems = verify(folder)
    for problem in problems:
        console.error(str(problem))
    if problems:
        console.closing(f"{len(problems)} problem(s) in {folder}.")
        return 1
    console.say(f"ok: {len(read_manifest(folder)['outputs'])} file(s) in {folder} match manifest.json.")
    return 0
