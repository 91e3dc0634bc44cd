"""The ``export`` command: an event's current awardees as an XLSX workbook a clerk can edit and read back."""

from __future__ import annotations

import argparse
from pathlib import Path

from reporting.commands.options import shown
from reporting.errors import Expected, SelectionError
from reporting.tool_language import _, isolate, n_, number
from reporting.ui.console import Console

NAME = "export"


def add_parser(commands, common: argparse.ArgumentParser) -> None:
    export = commands.add_parser(
        NAME,
        parents=[common],
        help=_("write an event's awardees to an XLSX workbook (one sheet per kind)"),
        description=_(
            "Write the awardees of an event, as the build reads them now (from its YAML or its sheet), to "
            "an XLSX workbook with the headings `awards: {source: FILE}` reads back. Texts a spreadsheet "
            "would run as a formula (=, +, -, @, tab, CR first) are stored as text. Never overwrites a file."
        ),
    )
    export.add_argument("--event", required=True, metavar="ID", help=_("the event whose awardees to write"))
    export.add_argument(
        "--output", type=Path, metavar="PATH", help=_("where to write (default: data/<id>-awardees.xlsx)")
    )


def run(project, args, console: Console) -> int:
    from reporting.build.pipeline import load_bundles
    from reporting.commands.new import write_new_file
    from reporting.scaffold.awardee_workbook import awardee_workbook

    bundles = {bundle.event.id: bundle for bundle in load_bundles(project)}
    bundle = bundles.get(args.event)
    if bundle is None:
        known = _("one of {events}").format(events=isolate(", ".join(sorted(bundles)))) if bundles else _("an event")
        found = isolate(f"'{args.event}'")
        raise SelectionError(f"{isolate('--event')}: " + str(Expected(known, found, code="unknown-event")))
    awards = bundle.event.awards
    if awards is None:
        where = f"{isolate('--event')}: {isolate(args.event)}: "
        found = _("none in {file}").format(file=isolate(bundle.source))
        raise SelectionError(where + str(Expected(_("an event with awards"), found, code="no-awards")))
    lists = {
        "groups": [g.model_dump() for g in awards.groups],
        "individuals": [i.model_dump() for i in awards.individuals],
    }
    target = (args.output or project.data_dir / f"{args.event}-awardees.xlsx").resolve()
    target_shown = shown(target, project.root)
    write_new_file(target, target_shown, awardee_workbook(tuple(project.locales), lists))
    groups = n_("{count} group", "{count} groups", len(lists["groups"])).format(count=number(len(lists["groups"])))
    individuals = n_("{count} individual", "{count} individuals", len(lists["individuals"])).format(
        count=number(len(lists["individuals"]))
    )
    console.say(
        _(
            "wrote {file}: {groups} and {individuals} of {event}; to build from it, set {setting} and remove "
            "the lists from the YAML."
        ).format(
            file=isolate(target_shown),
            groups=groups,
            individuals=individuals,
            event=isolate(args.event),
            setting=isolate(f"awards: {{source: {target.name}}}"),
        )
    )
    console.record("created", target_shown)
    return 0
