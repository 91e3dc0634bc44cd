"""Checks a spreadsheet file before any reader parses it: what it really is, how big it is, and
whether its zip archive is hostile (a zip bomb, XML entity definitions, too many parts).

XLSX and ODS are zip archives of XML parts. A few kilobytes can declare gigabytes of XML (a zip
bomb) or define entities that expand exponentially ("billion laughs"); a file can lie about its
size in the zip directory. Every XML part is therefore streamed once through ``zipfile`` (which
stops at the declared size and checks the CRC) with a budget, and refused if it declares a DTD.
Only then does the fast reader open the file.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from reporting.errors import DataError, Expected, shown_number
from reporting.tool_language import N_, _, isolate, n_

MAX_FILE_BYTES = 50_000_000  # the file as stored: a CSV of 100,000 awardees in two languages is about 23 MB
MAX_UNPACKED_BYTES = 200_000_000  # all parts of the archive, as they declare themselves
MAX_RATIO = 200  # unpacked/packed size of one part; real sheets compress about 10-20 times
MAX_PARTS = 2_000
_CHUNK = 1 << 16
_ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003 .xls (and old .doc)
SUFFIXES = (".xlsx", ".ods", ".csv")


def check_sheet_file(path: Path, shown: str) -> str:
    """The file's real kind ("xlsx", "ods" or "csv") after refusing anything hostile or mislabelled."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        _refuse(
            shown,
            n_(
                "a spreadsheet of at most {count} byte", "a spreadsheet of at most {count} bytes", MAX_FILE_BYTES
            ).format(count=shown_number(MAX_FILE_BYTES)),
            shown_number(size),
            code="file-too-big",
        )
    with path.open("rb") as stream:
        head = stream.read(8)
    suffix = path.suffix.lower()
    found = _kind_of(path, head)
    if suffix == ".csv":
        if found != "text":
            _refuse(
                shown,
                _("a CSV text file"),
                _(_DESCRIPTIONS[found]),
                _(" (save it as CSV UTF-8, or give the file its real extension)"),
                code="wrong-file-kind",
            )
        return "csv"
    if found != suffix[1:]:
        _refuse(
            shown,
            _("{kind} as the extension says").format(kind=_(_DESCRIPTIONS[suffix[1:]])),
            _(_DESCRIPTIONS[found]),
            code="wrong-file-kind",
        )
    _check_archive(path, shown)
    return found


_DESCRIPTIONS = {
    "xlsx": N_("an Excel workbook (.xlsx)"),
    "ods": N_("a LibreOffice/OpenDocument spreadsheet (.ods)"),
    "xls": N_("an Excel 97-2003 workbook (.xls; open it and save it as .xlsx)"),
    "zip": N_("a zip archive that is no spreadsheet"),
    "text": N_("a text file"),
    "binary": N_("a binary file that is no spreadsheet"),
}


def _kind_of(path: Path, head: bytes) -> str:
    if head.startswith(_OLE2):
        return "xls"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
                if "mimetype" in names and archive.read("mimetype").strip() == _ODS_MIME:
                    return "ods"
                if "xl/workbook.xml" in names and "[Content_Types].xml" in names:
                    return "xlsx"
        except (zipfile.BadZipFile, OSError, KeyError):
            pass
        return "zip"
    return "binary" if b"\x00" in head else "text"


def _check_archive(path: Path, shown: str) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            _check_directory(members, shown)
            for member in members:
                if member.filename.endswith((".xml", ".rels")):
                    _check_part(archive, member, shown)
    except zipfile.BadZipFile as exc:
        _refuse(
            shown, _("an intact zip archive"), _("a damaged one ({reason})").format(reason=exc), code="damaged-file"
        )


def _check_directory(members: list[zipfile.ZipInfo], shown: str) -> None:
    if len(members) > MAX_PARTS:
        _refuse(
            shown,
            n_("at most {count} part in the archive", "at most {count} parts in the archive", MAX_PARTS).format(
                count=shown_number(MAX_PARTS)
            ),
            shown_number(len(members)),
            code="hostile-archive",
        )
    declared = sum(member.file_size for member in members)
    if declared > MAX_UNPACKED_BYTES:
        _refuse(
            shown,
            n_("at most {count} byte once unpacked", "at most {count} bytes once unpacked", MAX_UNPACKED_BYTES).format(
                count=shown_number(MAX_UNPACKED_BYTES)
            ),
            n_("{count} byte declared", "{count} bytes declared", declared).format(count=shown_number(declared)),
            _(" (a zip bomb?)"),
            code="hostile-archive",
        )
    for member in members:
        if member.file_size > 1_000_000 and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            _refuse(
                shown,
                n_(
                    "a part compressed at most {count} time", "a part compressed at most {count} times", MAX_RATIO
                ).format(count=shown_number(MAX_RATIO)),
                n_(
                    "{part} {count} time", "{part} {count} times", member.file_size // max(member.compress_size, 1)
                ).format(
                    part=isolate(member.filename), count=shown_number(member.file_size // max(member.compress_size, 1))
                ),
                _(" (a zip bomb?)"),
                code="hostile-archive",
            )


def _check_part(archive: zipfile.ZipFile, member: zipfile.ZipInfo, shown: str) -> None:
    """Streams one XML part: no DTD (entities), no more bytes than declared (zipfile checks the CRC)."""
    tail = b""
    try:
        with archive.open(member) as stream:
            while chunk := stream.read(_CHUNK):
                window = tail + chunk
                if b"<!DOCTYPE" in window or b"<!ENTITY" in window:
                    _refuse(
                        shown,
                        _("plain XML in {part}").format(part=isolate(member.filename)),
                        _("a DTD or entity declaration"),
                        _(" (spreadsheet programs never write one)"),
                        code="hostile-archive",
                    )
                tail = window[-16:]
    except (zipfile.BadZipFile, EOFError, OSError) as exc:
        _refuse(
            shown,
            _("an intact zip archive"),
            _("a damaged part {part} ({reason})").format(part=isolate(member.filename), reason=exc),
            code="damaged-file",
        )
    except RuntimeError as exc:  # an encrypted part
        _refuse(
            shown,
            _("an unprotected file"),
            _("{part} encrypted ({reason})").format(part=isolate(member.filename), reason=exc),
            code="encrypted-file",
        )


def _refuse(shown: str, expected: str, found: str, hint: str = "", *, code: str) -> None:
    raise DataError.about_file(shown, Expected(expected, found, hint, code=code))
