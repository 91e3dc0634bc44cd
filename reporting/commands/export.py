"""The ``export`` command: an event's current awardees as an XLSX workbook a clerk can edit and read back."""

from __future__ import annotations

import argparse
from pathlib import Path

from reporting.commands.options import shown
from reporting.errors import Expected, SelectionError
from reporting.ui.console import Console

NAME = "export"


def add_parser(commands, common: argparse.ArgumentParser) -> None:
    export = commands.add_parser(
        NAME,
        parents=[common],
        help="write an event's awardees to an XLSX workbook (one sheet per kind)",
        description="Write the awardees of an event, as the build reads them now (from its YAML or its sheet), to "
        "an XLSX workbook with the headings `awards: {source: FILE}` reads back. Texts a spreadsheet "
        "would run as a formula (=, +, -, @, tab, CR first) are stored as text. Never overwrites a file.",
    )
    export.add_argument("--event", required=True, metavar="ID", help="the event whose awardees to write")
    export.add_argument("--output", type=Path, metavar="PATH", help="where to write (default: data/<id>-awardees.xlsx)")


def run(project, args, console: Console) -> int:
    from reporting.build.pipeline import load_bundles
    from reporting.commands.new import write_new_file
    from reporting.scaffold.awardee_workbook import awardee_workbook

    bundles = {bundle.event.id: bundle for bundle in load_bundles(project)}
    bundle = bundles.get(args.event)
    if bundle is None:
        raise SelectionError(
            "--event: " + str(Expected(f"one of {', '.join(sorted(bundles)) or 'no events'}", f"'{args.event}'"))
        )
    awards = bundle.event.awards
    if awards is None:
        raise SelectionError(
            f"--event: {args.event}: " + str(Expected("an event with awards", "none in " + str(bundle.source)))
        )
    lists = {
        "groups": [g.model_dump() for g in awards.groups],
        "individuals": [i.model_dump() for i in awards.individuals],
    }
    target = (args.output or project.data_dir / f"{args.event}-awardees.xlsx").resolve()
    target_shown = shown(target, project.root)
    write_new_file(target, target_shown, awardee_workbook(tuple(project.locales), lists))
    console.say(
        f"wrote {target_shown}: {len(lists['groups'])} groups and {len(lists['individuals'])} individuals of "
        f"{args.event}; to build from it, set awards: {{source: {target.name}}} and remove the lists from the YAML."
    )
    console.record("created", target_shown)
    return 0
