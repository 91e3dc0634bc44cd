"""The ``i18n`` command: the translators' workflow (extract, update, compile, check)."""

from __future__ import annotations

import argparse

from reporting.commands.options import shown
from reporting.ui.console import Console

NAME = "i18n"


def add_parser(commands, common: argparse.ArgumentParser) -> None:
    i18n = commands.add_parser(
        NAME, parents=[common], help="translation workflow: extract messages, update catalogs, check them"
    )
    i18n.add_argument("action", choices=("extract", "update", "compile", "check"))
    i18n.add_argument("--strict", action="store_true", help="with check: untranslated or fuzzy messages are errors")


def run(project, args, console: Console) -> int:
    from reporting.language import catalog_workflow

    if args.action == "extract":
        template = catalog_workflow.extract(project)
        console.say(
            f"{len(template)} message(s) in {shown(project.catalogs_dir / catalog_workflow.POT_NAME, project.root)}"
        )
        return 0
    if args.action == "update":
        for path in catalog_workflow.update(project):
            console.say(f"updated {shown(path, project.root)}")
        return 0
    if args.action == "compile":  # what every build does in memory; here to see a broken catalog at once
        from reporting.language.messages import load_translations

        for locale in project.locales:
            load_translations(project.catalogs_dir, locale)
            console.say(f"ok: {locale}: catalog compiles")
        return 0
    return _check(project, args.strict, console)


def _check(project, strict: bool, console: Console) -> int:
    from reporting.language import catalog_workflow

    problems = catalog_workflow.check(project)
    for locale, found in problems.items():
        for problem in found:
            (console.error if strict else console.warning)(f"{locale}: {problem}")
        if not found:
            console.say(f"ok: {locale}: every message translated")
    return 1 if strict and any(problems.values()) else 0
