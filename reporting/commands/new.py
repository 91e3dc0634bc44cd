"""The ``new`` command: the next period's data file, ready to fill, from the previous one of its kind."""
from __future__ import annotations

import argparse
import os
from pathlib import Path

from reporting.commands.options import shown
from reporting.ui.console import Console
from reporting.errors import DataError, NewFileError, NewIdError
from reporting.source.load import discover
from reporting.source.model import id_problem
from reporting.scaffold.periods import FORMS, ReportingPeriod, parse_period
from reporting.scaffold.next_period import KINDS, Previous, header, new_id, scaffold
from reporting.scaffold.yaml_emit import dump
from reporting.source.yaml_reader import load_yaml


NAME = "new"


def add_parser(commands, common: argparse.ArgumentParser) -> None:
    new = commands.add_parser(
        NAME, parents=[common], help="start the next period's data file from the previous one (figures cleared)",
        description="Write data/<id>.yaml for a new period from the most recent file of the same kind: people and "
                    "bodies carried over, figures, dates and texts left empty to fill in. Never overwrites a file.")
    new.add_argument("kind", choices=KINDS, help="quarterly review, conference, or commendation batch (awards only)")
    new.add_argument("--period", required=True, help=f"the new period: {FORMS}")
    new.add_argument("--from", dest="from_file", type=Path, metavar="FILE",
                     help="start from this data file (default: the most recent of the same kind in data/)")
    new.add_argument("--id", dest="event_id", help="the new event's id (default: the previous id with the period changed)")
    new.add_argument("--output", type=Path, metavar="PATH", help="where to write (default: data/<id>.yaml)")


def run(project, args, console: Console) -> int:
    period = parse_period(args.period)
    if args.event_id is not None:  # checked before anything is read or written: it becomes a file name
        _check_id(args.event_id, "--id")
    previous = _previous(project, args, period)
    event_id = args.event_id or new_id(previous, period)
    _check_id(event_id, "the new id (from the previous file's; choose one with --id)")
    target = (args.output or project.data_dir / f"{event_id}.yaml").resolve()
    text = dump(scaffold(previous, args.kind, period, event_id, tuple(project.locales)), header(previous, args.kind, period))
    target_shown = shown(target, project.root)
    _write_new(target, target_shown, text)
    console.say(f"created {target_shown} from {previous.path}: fill in the fields marked FILL IN, then run `build_reports.py check`.")
    console.record("created", target_shown)
    console.record("from", previous.path)
    return 0


def _check_id(event_id: str, what: str) -> None:
    problem = id_problem(event_id)
    if problem:
        raise NewIdError(f"{what}: {problem}")


def _previous(project, args, period: ReportingPeriod) -> Previous:
    if args.from_file:
        path = args.from_file if args.from_file.is_absolute() else Path.cwd() / args.from_file
        if not path.is_file():
            raise NewFileError(f"--from: expected a data file, found no file {args.from_file}")
        return _load(path, project.root)
    candidates = []
    for path in discover(project.data_dir):
        try:
            previous = _load(path, project.root)
        except DataError:
            continue  # a broken file cannot be a model; `check` reports it
        if previous.kind == args.kind and previous.period:
            candidates.append(previous)
    if not candidates:
        raise NewFileError(f"expected a {args.kind} file in {shown(project.data_dir, project.root)} to start from, found none; "
                           f"name one with --from FILE")
    before = [c for c in candidates if c.period[1] < period.start]
    return max(before or candidates, key=lambda c: c.period[1])


def _load(path: Path, root: Path) -> Previous:
    source = load_yaml(path, shown(path, root))
    if not isinstance(source.data, dict):
        raise NewFileError(f"{source.path}: expected a mapping of fields, found something else")
    return Previous(str(source.path), source.data)


def _write_new(target: Path, target_shown: str, text: str) -> None:
    """Create the file, refusing (atomically, with O_EXCL) to replace one: it may hold a secretary's work."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        raise NewFileError(f"{target_shown} already exists; not overwritten (delete or rename it, or choose --output/--id)") from None
    with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
        stream.write(text)
