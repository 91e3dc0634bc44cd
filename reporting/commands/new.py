"""The ``new`` command: the next period's data file, ready to fill, from the previous one of its kind."""

from __future__ import annotations

import argparse
import os
from datetime import date
from pathlib import Path

from reporting.commands.options import shown
from reporting.errors import DataError, NewFileError, NewIdError
from reporting.scaffold.next_period import KINDS, Previous, fill_marker, header, new_id, scaffold
from reporting.scaffold.periods import FORMS, ReportingPeriod, parse_period
from reporting.scaffold.yaml_emit import dump
from reporting.tool_language import _, isolate
from reporting.ui.console import Console

NAME = "new"


def add_parser(commands, common: argparse.ArgumentParser) -> None:
    new = commands.add_parser(
        NAME,
        parents=[common],
        help=_("start the next period's data file from the previous one (figures cleared)"),
        description=_(
            "Write data/<id>.yaml for a new period from the most recent file of the same kind: people and "
            "bodies carried over, figures, dates and texts left empty to fill in. Never overwrites a file."
        ),
    )
    new.add_argument("kind", choices=KINDS, help=_("quarterly review, conference, or commendation batch (awards only)"))
    new.add_argument("--period", required=True, help=_("the new period: {forms}").format(forms=FORMS))
    new.add_argument(
        "--from",
        dest="from_file",
        type=Path,
        metavar="FILE",
        help=_("start from this data file (default: the most recent of the same kind in data/)"),
    )
    new.add_argument(
        "--id", dest="event_id", help=_("the new event's id (default: the previous id with the period changed)")
    )
    new.add_argument("--output", type=Path, metavar="PATH", help=_("where to write (default: data/<id>.yaml)"))
    new.add_argument(
        "--sheet",
        action="store_true",
        help=_(
            "awardees in a spreadsheet: also write <id>-awardees.xlsx beside the YAML, ready to fill, "
            "and point awards.source at it"
        ),
    )


def run(project, args, console: Console) -> int:
    # (The spreadsheet writer, the schema and the YAML reader: imported by the command that uses them.)
    from reporting.scaffold.awardee_workbook import awardee_workbook, with_sheet

    period = parse_period(args.period)
    if args.event_id is not None:  # checked before anything is read or written: it becomes a file name
        _check_id(args.event_id, "--id")
    previous = _previous(project, args, period)
    event_id = args.event_id or new_id(previous, period)
    _check_id(event_id, _("the new id (from the previous file's; choose one with --id)"))
    target = (args.output or project.data_dir / f"{event_id}.yaml").resolve()
    document = scaffold(previous, args.kind, period, event_id, tuple(project.locales))
    sheet = target.with_name(f"{event_id}-awardees.xlsx") if args.sheet else None
    if sheet is not None and not with_sheet(document, sheet.name):
        raise NewFileError(
            _("--sheet: expected a file with awards to start from, found none in {file}").format(
                file=isolate(previous.path)
            )
        )
    target_shown = shown(target, project.root)
    if sheet is not None:
        write_new_file(sheet, shown(sheet, project.root), awardee_workbook(tuple(project.locales)))
    write_new_file(target, target_shown, dump(document, header(previous, args.kind, period)))
    console.say(
        _("created {file} from {source}: fill in the fields marked {marker}, then run {command}.").format(
            file=isolate(target_shown),
            source=isolate(previous.path),
            marker=fill_marker(),
            command=isolate("`build_reports.py check`"),
        )
    )
    if sheet is not None:
        console.say(
            _("created {file}: one row per awardee, on the sheet of its kind.").format(
                file=isolate(shown(sheet, project.root))
            )
        )
    console.record("created", target_shown if sheet is None else [target_shown, shown(sheet, project.root)])
    console.record("from", previous.path)
    return 0


def _check_id(event_id: str, what: str) -> None:
    from reporting.source.model import id_problem

    problem = id_problem(event_id)
    if problem:
        raise NewIdError(f"{what}: {problem}")


def _previous(project, args, period: ReportingPeriod) -> Previous:
    if args.from_file:
        path = args.from_file if args.from_file.is_absolute() else Path.cwd() / args.from_file
        if not path.is_file():
            raise NewFileError(
                _("--from: expected a data file, found no file {file}").format(file=isolate(args.from_file))
            )
        return _load(path, project.root)
    from reporting.source.load import discover

    candidates: list[tuple[date, Previous]] = []  # the end of each model's period, and the model
    for path in discover(project.data_dir):
        try:
            previous = _load(path, project.root)
        except DataError:
            continue  # a broken file cannot be a model; `check` reports it
        if previous.kind == args.kind and previous.period:
            candidates.append((previous.period[1], previous))
    if not candidates:
        raise NewFileError(
            _("expected a {kind} file in {folder} to start from, found none; name one with --from FILE").format(
                kind=isolate(args.kind), folder=isolate(shown(project.data_dir, project.root))
            )
        )
    before = [(end, c) for end, c in candidates if end < period.start]
    return max(before or candidates, key=lambda candidate: candidate[0])[1]


def _load(path: Path, root: Path) -> Previous:
    from reporting.source.yaml_reader import load_yaml

    source = load_yaml(path, shown(path, root))
    if not isinstance(source.data, dict):
        raise NewFileError(
            _("{file}: expected a mapping of fields, found something else").format(file=isolate(source.path))
        )
    return Previous(str(source.path), source.data)


def write_new_file(target: Path, target_shown: str, content: str | bytes) -> None:
    """Create the file, refusing (atomically, with O_EXCL) to replace one: it may hold a secretary's work."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        raise NewFileError(
            _("{file} already exists; not overwritten (delete or rename it, or choose --output/--id)").format(
                file=isolate(target_shown)
            )
        ) from None
    with os.fdopen(descriptor, "wb") as stream:
        stream.write(content.encode("utf-8") if isinstance(content, str) else content)
