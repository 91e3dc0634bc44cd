"""The ``fonts`` command: the shipped fonts installed for this user, so edited DOCX keep their faces."""

from __future__ import annotations

import argparse
from pathlib import Path

from reporting.ui.console import Console

NAME = "fonts"


def add_parser(commands, common: argparse.ArgumentParser) -> None:
    fonts = commands.add_parser(
        NAME,
        parents=[common],
        help="install the shipped fonts for this user (so edited DOCX keep their fonts)",
        description="install: copy the fonts under templates/fonts (Amiri, Tinos, ...) into your own font folder, "
        "so Word and LibreOffice keep them when a DOCX is edited and saved again; no administrator "
        "rights needed. status: say which are installed.",
    )
    fonts.add_argument("action", choices=("install", "status"))
    fonts.add_argument("--to", type=Path, metavar="FOLDER", help="another folder than your font folder")


def run(project, args, console: Console) -> int:
    from reporting.writers import user_fonts

    fonts_dir = project.templates_dir / "fonts"
    if args.action == "install":
        done = user_fonts.install(fonts_dir, args.to)
        console.say(
            f"installed {', '.join(done.families)} in {done.folder}: {len(done.written)} file(s) written, "
            f"{len(done.unchanged)} already there"
        )
        if done.cache_refreshed:
            console.say("font cache refreshed (fc-cache); restart Word or LibreOffice to see the fonts")
        console.record("written", [str(path) for path in done.written])
    for family, current in user_fonts.status(fonts_dir, args.to):
        console.say(f"{family}: {'installed' if current else 'not installed (or an older copy)'}")
    shown = user_fonts.substitute("Times New Roman")
    if shown is not None:
        console.say(f"Times New Roman is drawn in {shown}")
    return 0
