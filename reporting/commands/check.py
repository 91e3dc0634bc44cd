"""The ``check`` command: validate the data without rendering anything."""

from __future__ import annotations

import argparse

from reporting.tool_language import _, isolate, n_, number
from reporting.ui.console import Console

NAME = "check"


def add_parser(commands, common: argparse.ArgumentParser) -> None:
    commands.add_parser(NAME, parents=[common], help=_("validate the data without rendering anything"))


def run(project, args, console: Console) -> int:
    from reporting.build.pipeline import load_bundles

    bundles = load_bundles(project)
    for bundle in bundles:
        console.say(_event_line(bundle))
        if bundle.sheet is not None:
            console.say(
                "    " + _("awardees from {file}").format(file=isolate(bundle.sheet)) + _formulas(bundle.sheet_formulas)
            )
    console.say(n_("{count} event valid.", "{count} events valid.", len(bundles)).format(count=number(len(bundles))))
    console.record(
        "events",
        [
            {
                "id": b.event.id,
                "file": str(b.source),
                "figures": len(b.event.figures),
                "groups": len(b.groups),
                "individuals": len(b.individuals),
                **({"sheet": str(b.sheet), "formula_cells": b.sheet_formulas} if b.sheet else {}),
            }
            for b in bundles
        ],
    )
    return 0


def _event_line(bundle) -> str:
    """``ok: data/x.yaml (x: 6 figures, 2 groups and 5 individuals commended)``."""
    figures = n_("{count} figure", "{count} figures", len(bundle.event.figures)).format(
        count=number(len(bundle.event.figures))
    )
    if bundle.awardees:
        groups = n_("{count} group", "{count} groups", len(bundle.groups)).format(count=number(len(bundle.groups)))
        individuals = n_(
            "{count} individual commended", "{count} individuals commended", len(bundle.individuals)
        ).format(count=number(len(bundle.individuals)))
        contents = _("{figures}, {groups} and {individuals}").format(
            figures=figures, groups=groups, individuals=individuals
        )
    else:
        contents = figures
    return _("ok: {file} ({event}: {contents})").format(
        file=isolate(bundle.source), event=isolate(bundle.event.id), contents=contents
    )


def _formulas(count: int) -> str:
    """Formulas are read as the values the spreadsheet last saved: said, so nobody expects a recalculation."""
    if not count:
        return ""
    return " " + n_(
        "({count} cell is a formula, read as the value the spreadsheet saved)",
        "({count} cells are formulas, read as the value the spreadsheet saved)",
        count,
    ).format(count=number(count))
