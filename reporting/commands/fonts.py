"""The ``fonts`` command: the shipped fonts installed for this user, so edited DOCX keep their faces."""

from __future__ import annotations

import argparse
from pathlib import Path

from reporting.tool_language import _, isolate, n_, number
from reporting.ui.console import Console

NAME = "fonts"


def add_parser(commands, common: argparse.ArgumentParser) -> None:
    fonts = commands.add_parser(
        NAME,
        parents=[common],
        help=_("install the shipped fonts for this user (so edited DOCX keep their fonts)"),
        description=_(
            "install: copy the fonts under templates/fonts (Amiri, Tinos, ...) into your own font folder, "
            "so Word and LibreOffice keep them when a DOCX is edited and saved again; no administrator "
            "rights needed. status: say which are installed."
        ),
    )
    fonts.add_argument("action", choices=("install", "status"))
    fonts.add_argument("--to", type=Path, metavar="FOLDER", help=_("another folder than your font folder"))


def run(project, args, console: Console) -> int:
    from reporting.writers import user_fonts

    fonts_dir = project.templates_dir / "fonts"
    if args.action == "install":
        done = user_fonts.install(fonts_dir, args.to)
        written = n_("{count} file written", "{count} files written", len(done.written)).format(
            count=number(len(done.written))
        )
        already = n_("{count} already there", "{count} already there", len(done.unchanged)).format(
            count=number(len(done.unchanged))
        )
        console.say(
            _("installed {families} in {folder}: {written}, {already}").format(
                families=isolate(", ".join(done.families)),
                folder=isolate(done.folder),
                written=written,
                already=already,
            )
        )
        if done.cache_refreshed:
            console.say(_("font cache refreshed (fc-cache); restart Word or LibreOffice to see the fonts"))
        console.record("written", [str(path) for path in done.written])
    for family, current in user_fonts.status(fonts_dir, args.to):
        state = _("installed") if current else _("not installed (or an older copy)")
        console.say(f"{isolate(family)}: {state}")
    shown = user_fonts.substitute("Times New Roman")
    if shown is not None:
        console.say(_("Times New Roman is drawn in {font}").format(font=isolate(shown)))
    return 0
