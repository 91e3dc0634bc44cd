"""The ``fonts`` command: the shipped fonts in the user's own font folder, so edited DOCX keep their faces.

A DOCX names Times New Roman and Amiri. Word and LibreOffice draw the
embedded Amiri subset, but when LibreOffice saves a document again it keeps
only fonts the machine has: without Amiri it substituted DejaVu (the file grew
from 0.5 to 1.7 MB and gained a page). Installing the shipped files per user
(no administrator rights) avoids that: Amiri by its name, and Tinos as
fontconfig's metric-compatible Times New Roman on Linux.

Where they go: ``$XDG_DATA_HOME/fonts/reporting`` (``~/.local/share/fonts``) on
Linux, then ``fc-cache``; ``~/Library/Fonts/reporting`` on macOS; on Windows
``%LOCALAPPDATA%\\Microsoft\\Windows\\Fonts`` with each font registered for the
user under ``HKCU\\Software\\Microsoft\\Windows NT\\CurrentVersion\\Fonts`` (the
per-user fonts of Windows 10 1809 and later). Only files that differ are
written, nothing else in those folders is touched, and programs already
running see the fonts after a restart.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from reporting.errors import ReportingError
from reporting.tool_language import _, isolate

FOLDER_NAME = "reporting"  # our own subfolder of the user's font folder: we only write there
LICENCES = ("OFL.txt", "LICENSE.txt")
WINDOWS_FONTS_KEY = r"Software\Microsoft\Windows NT\CurrentVersion\Fonts"


class FontInstallError(ReportingError):
    """The font folder cannot be written."""


@dataclass
class Installed:
    """What ``install`` did: the folder and the files written or already there."""

    folder: Path
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    families: list[str] = field(default_factory=list)
    cache_refreshed: bool = False


def user_font_folder(platform: str = sys.platform, environ=os.environ) -> Path:
    """The folder this user's programs read fonts from, with our subfolder where the system allows one."""
    home = Path(environ.get("HOME") or Path.home())
    if platform == "win32":
        local = environ.get("LOCALAPPDATA") or str(home / "AppData" / "Local")
        return Path(local) / "Microsoft" / "Windows" / "Fonts"  # Windows reads no subfolders
    if platform == "darwin":
        return home / "Library" / "Fonts" / FOLDER_NAME
    data = environ.get("XDG_DATA_HOME") or str(home / ".local" / "share")
    return Path(data) / "fonts" / FOLDER_NAME


def shipped_fonts(fonts_dir: Path) -> dict[str, list[Path]]:
    """Family folder name -> its font files and licence, as shipped under templates/fonts/."""
    families = {}
    for folder in sorted(path for path in fonts_dir.iterdir() if path.is_dir()):
        files = sorted(folder.glob("*.ttf")) + [folder / name for name in LICENCES if (folder / name).is_file()]
        if any(path.suffix == ".ttf" for path in files):
            families[folder.name] = files
    return families


def install(fonts_dir: Path, target: Path | None = None, platform: str = sys.platform) -> Installed:
    """Copy every shipped font (and its licence) into the user's font folder; refresh what must know."""
    folder = target or user_font_folder(platform)
    result = Installed(folder)
    windows = platform == "win32" and target is None
    for family, files in shipped_fonts(fonts_dir).items():
        destination = folder if windows else folder / family
        result.families.append(family)
        for source in files:
            if windows and source.suffix != ".ttf":  # the licences stay with the project
                continue
            _copy(source, destination / source.name, result)
    if windows:
        _register_on_windows(folder, [path for path in result.written if path.suffix == ".ttf"])
    elif platform.startswith("linux") and shutil.which("fc-cache"):
        done = subprocess.run(["fc-cache", "-f", str(folder)], capture_output=True, text=True)
        result.cache_refreshed = done.returncode == 0
    return result


def _copy(source: Path, target: Path, result: Installed) -> None:
    """Write ``target`` only if its bytes differ, through a temporary file renamed into place."""
    data = source.read_bytes()
    try:
        if target.is_file() and target.read_bytes() == data:
            result.unchanged.append(target)
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.tmp")
        temporary.write_bytes(data)
        temporary.replace(target)
    except OSError as exc:
        raise FontInstallError(
            _("cannot write {file}: {meaning}").format(file=isolate(target), meaning=exc.strerror or exc)
        ) from None
    result.written.append(target)


def _register_on_windows(folder: Path, fonts: list[Path]) -> None:  # pragma: no cover - Windows only
    """Per-user fonts are known to Windows through the registry, by their full path."""
    if sys.platform != "win32":  # (called only there; type checkers skip the rest elsewhere)
        raise RuntimeError("the font registry is a Windows one")
    import winreg

    from fontTools.ttLib import TTFont

    with winreg.CreateKey(winreg.HKEY_CURRENT_USER, WINDOWS_FONTS_KEY) as key:
        for path in fonts:
            with TTFont(path, lazy=True) as font:
                name = font["name"].getDebugName(4) or path.stem
            winreg.SetValueEx(key, f"{name} (TrueType)", 0, winreg.REG_SZ, str(folder / path.name))


def status(fonts_dir: Path, target: Path | None = None, platform: str = sys.platform) -> list[tuple[str, bool]]:
    """(family, whether every shipped file of it is installed with the same bytes)."""
    folder = target or user_font_folder(platform)
    found = []
    for family, files in shipped_fonts(fonts_dir).items():
        place = folder if platform == "win32" and target is None else folder / family
        current = all(
            (place / path.name).is_file() and (place / path.name).read_bytes() == path.read_bytes()
            for path in files
            if path.suffix == ".ttf"
        )
        found.append((family, current))
    return found


def substitute(family: str) -> str | None:
    """The face fontconfig draws ``family`` in (Linux), e.g. Tinos for Times New Roman; None without fc-match."""
    if not shutil.which("fc-match"):
        return None
    done = subprocess.run(["fc-match", "--format=%{family[0]}", family], capture_output=True, text=True)
    return done.stdout.strip() or None if done.returncode == 0 else None
