"""Options more than one command takes, declared once, and how commands show paths."""

from __future__ import annotations

import argparse
from pathlib import Path

from reporting import tool_language
from reporting.errors import OutputOptionError
from reporting.tool_language import _, isolate, n_, number
from reporting.writers import registry


def output_options() -> argparse.ArgumentParser:
    """--project, --json and --quiet, accepted before or after the command (SUPPRESS: a command's
    default never hides the global one)."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--project",
        type=Path,
        default=argparse.SUPPRESS,
        help=_("project folder holding reporting.toml, data/ and templates/ (default: here)"),
    )
    common.add_argument(
        "--json",
        action="store_true",
        default=argparse.SUPPRESS,
        help=_("print one JSON document (problems with file, line, column, field, expected, found) on stdout"),
    )
    common.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS, help=_("print only errors"))
    common.add_argument(
        "--ui-language",
        choices=tool_language.available(),
        default=argparse.SUPPRESS,
        metavar="LL",
        help=_(
            "the language of this program's messages: {languages} (default: [ui] language in reporting.toml, "
            "else LANGUAGE/LC_ALL/LC_MESSAGES/LANG)"
        ).format(languages=", ".join(tool_language.available())),
    )
    return common


def ui_language_option(argv: list[str]) -> str | None:
    """``--ui-language`` read before parsing, so the parser's own messages speak it too."""
    for position, word in enumerate(argv):
        if word == "--ui-language" and position + 1 < len(argv):
            return argv[position + 1]
        if word.startswith("--ui-language="):
            return word.split("=", 1)[1]
    return None


def add_selection_options(command: argparse.ArgumentParser) -> None:
    """What to build and where: shared by build, serve and watch."""
    command.add_argument("--event", action="append", default=[], metavar="ID", help=_("only this event (repeatable)"))
    command.add_argument("--locale", action="append", default=[], metavar="LL", help=_("only this locale (repeatable)"))
    command.add_argument(
        "--format", action="append", default=[], choices=registry.formats(), help=_("only this format (repeatable)")
    )
    command.add_argument(
        "--document",
        action="append",
        default=[],
        metavar="KIND",
        help=_("only this kind of document: a [documents] name in reporting.toml, e.g. certificates (repeatable)"),
    )
    command.add_argument("--output", type=Path, default=None, help=_("output folder (default: <project>/output)"))


def output_folder(project, args) -> Path:
    output = (args.output or project.root / "output").resolve()
    from reporting.build.output_paths import check_output_folder

    check_output_folder(project, output)  # the project's own files first: the message names them
    blocking = next((path for path in (output, *output.parents) if path.exists() and not path.is_dir()), None)
    if blocking is not None:
        raise OutputOptionError(
            f"{isolate('--output')}: "
            + _("expected a folder (new or one an earlier build made), found a file at {file}").format(
                file=isolate(blocking)
            )
        )
    return output


def positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(
            _("expected a whole number of at least 1, found {value}").format(value=isolate(repr(text)))
        )
    return value


def job_count(text: str) -> int:
    """--jobs: at least 1, at most 4 per core (more only adds memory and switching, never speed)."""
    from reporting.build.workers import default_jobs

    value, cores = positive(text), default_jobs()
    if value > 4 * cores:
        here = n_("{count} core here", "{count} cores here", cores).format(count=number(cores))
        raise argparse.ArgumentTypeError(
            _(
                "expected at most {most} (4 per core, {here}), found {value}; each worker holds its own fonts "
                "and documents in memory"
            ).format(most=number(4 * cores), here=here, value=number(value))
        )
    return value


def shown(path: Path, root: Path) -> str:
    """A path as people read it: relative to the project when it is inside."""
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)
