"""The ``i18n`` command: the translators' workflow (extract, update, compile, check)."""

from __future__ import annotations

import argparse

from reporting import tool_language
from reporting.commands.options import shown
from reporting.tool_language import _, isolate, n_, number
from reporting.ui.console import Console

NAME = "i18n"


def add_parser(commands, common: argparse.ArgumentParser) -> None:
    i18n = commands.add_parser(
        NAME, parents=[common], help=_("translation workflow: extract messages, update catalogs, check them")
    )
    i18n.add_argument("action", choices=("extract", "update", "compile", "check"))
    i18n.add_argument("--strict", action="store_true", help=_("with check: untranslated or fuzzy messages are errors"))
    i18n.add_argument(
        "--domain",
        choices=("documents", "tool"),
        default="documents",
        help=_(
            "extract/update/compile: the documents' catalogs (templates/locale, default) or this program's own "
            "(reporting/locale, for its developers); check always checks both"
        ),
    )


def run(project, args, console: Console) -> int:
    from reporting.language import catalog_workflow

    # The documents' catalogs belong to the project; the tool's own (--domain tool) to this program's package.
    tool = args.domain == "tool"
    if args.action == "extract":
        template = catalog_workflow.extract_tool() if tool else catalog_workflow.extract(project)
        path = catalog_workflow.TOOL_POT if tool else project.catalogs_dir / catalog_workflow.POT_NAME
        console.say(
            n_("{count} message in {file}", "{count} messages in {file}", len(template)).format(
                count=number(len(template)), file=isolate(shown(path, project.root))
            )
        )
        return 0
    if args.action == "update":
        for path in catalog_workflow.update_tool() if tool else catalog_workflow.update(project):
            console.say(_("updated {file}").format(file=isolate(shown(path, project.root))))
        return 0
    if args.action == "compile":  # what every build does in memory; here to see a broken catalog at once
        from reporting.language.messages import load_translations

        for locale in catalog_workflow.tool_languages() if tool else project.locales:
            tool_language.translations(locale) if tool else load_translations(project.catalogs_dir, locale)
            console.say(_("ok: {locale}: catalog compiles").format(locale=isolate(locale)))
        return 0
    return _check(project, args.strict, console)


def _check(project, strict: bool, console: Console) -> int:
    from reporting.language import catalog_workflow

    report = console.error if strict else console.warning
    untranslated = False
    # The documents' lines as before ("vi: ..."), the tool's marked ("tool vi: ...").
    for tool, problems in ((False, catalog_workflow.check(project)), (True, catalog_workflow.check_tool())):
        for locale, found in problems.items():
            label = _("tool {locale}").format(locale=isolate(locale)) if tool else isolate(locale)
            for problem in found:
                report(f"{label}: {problem}", "untranslated-message")
            if not found:
                console.say(_("ok: {locale}: every message translated").format(locale=label))
            untranslated = untranslated or bool(found)
    return 1 if strict and untranslated else 0
