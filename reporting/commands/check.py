"""The ``check`` command: validate the data without rendering anything."""

from __future__ import annotations

import argparse

from reporting.build.pipeline import load_bundles
from reporting.ui.console import Console

NAME = "check"


def add_parser(commands, common: argparse.ArgumentParser) -> None:
    commands.add_parser(NAME, parents=[common], help="validate the data without rendering anything")


def run(project, args, console: Console) -> int:
    bundles = load_bundles(project)
    for bundle in bundles:
        awards = (
            f", {len(bundle.groups)} groups and {len(bundle.individuals)} individuals commended"
            if bundle.awardees
            else ""
        )
        console.say(f"ok: {bundle.source} ({bundle.event.id}: {len(bundle.event.figures)} figures{awards})")
        if bundle.sheet is not None:
            console.say(f"    awardees from {bundle.sheet}{_formulas(bundle.sheet_formulas)}")
    console.say(f"{len(bundles)} event(s) valid.")
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


def _formulas(count: int) -> str:
    """Formulas are read as the values the spreadsheet last saved: said, so nobody expects a recalculation."""
    if not count:
        return ""
    cells = "1 cell is a formula" if count == 1 else f"{count} cells are formulas"
    return f" ({cells}, read as the value the spreadsheet saved)"
