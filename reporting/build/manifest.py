"""The build manifest (``manifest.json``): every output with its hash, and what it was built from.

No time stamps: the same inputs give the same manifest, byte for byte.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path
from typing import Protocol

from reporting import __name__ as package_name
from reporting.build.output_paths import entry_problem
from reporting.config import CONFIG_NAME, Project
from reporting.errors import ForeignFolder
from reporting.notices import Notice
from reporting.source.sheet_guard import SUFFIXES as SHEET_SUFFIXES
from reporting.tool_language import _, isolate, n_, number

MANIFEST_NAME = "manifest.json"
MANIFEST_SIGNATURE_NAME = "manifest.json.p7s"  # a signed build's detached signature of its manifest
LIBRARIES = ("weasyprint", "python-docx", "babel", "jinja2", "pyyaml", "pydantic", "python-calamine")


def sha256(path: Path) -> str:
    """The file's sha256, read in blocks (a print file can be hundreds of megabytes)."""
    with open(path, "rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


class Entry(bytes):
    """An output's manifest entry as a build keeps it: sha256, dependency key and size packed in one
    bytes object (a big event's build keeps 400,000 of them; as JSON-shaped dicts of hex strings they
    were half a kilobyte each, as a tuple of three values still 220 bytes)."""

    __slots__ = ()

    @classmethod
    def of(cls, sha256: bytes, size: int, key: bytes) -> Entry:
        return cls(sha256 + key + size.to_bytes(8, "big"))

    @classmethod
    def recorded(cls, entry: dict, key: str) -> Entry:
        """The entry a manifest recorded for a file found current (its sha256 checked, its key ``key``)."""
        return cls.of(bytes.fromhex(entry["sha256"]), entry["size"], bytes.fromhex(key))

    @property
    def sha256(self) -> bytes:
        return self[:32]

    @property
    def key(self) -> bytes:
        return self[32:64]

    @property
    def size(self) -> int:
        return int.from_bytes(self[64:], "big")

    def as_json(self) -> dict:
        return {"sha256": self.sha256.hex(), "size": self.size, "key": self.key.hex()}

    def same_as(self, recorded: dict | None) -> bool:
        """True if a manifest's entry (untrusted JSON) records exactly this."""
        return recorded is not None and recorded == self.as_json()


class Writable(Protocol):
    def write(self, data: bytes, /) -> object: ...


def build_manifest(project: Project, output: Path, entries: dict[str, Entry], removed: Iterable[Path] = ()) -> bytes:
    """The manifest as bytes (for tests and tools; the build writes it to its file with ``write_manifest``)."""
    import io

    out = io.BytesIO()
    write_manifest(out, project, output, entries, removed)
    return out.getvalue()


def write_manifest(
    out: Writable, project: Project, output: Path, entries: dict[str, Entry], removed: Iterable[Path] = ()
) -> None:
    """Write the manifest after this build, entry by entry: its outputs (``entries``, by name relative to
    ``output``: sha256, size, dependency key), plus earlier entries still on disk that this build does
    not remove. The bytes are those of ``json.dumps(manifest, indent=2)``; 400,000 entries never
    make one string (that was 250 MB at the end of a big build)."""
    previous = previous_outputs(output)
    gone = {path.relative_to(output).as_posix() for path in removed}
    kept = {
        name: entry
        for name, entry in previous.items()
        if name not in entries and name not in gone and (output / name).is_file()
    }
    head = {
        "format": 1,
        "pipeline": _version(package_name),
        "libraries": {name: _version(name) for name in LIBRARIES},
        "config": {CONFIG_NAME: sha256(project.root / CONFIG_NAME)},
        "sources": _source_hashes(project),
        "templates": _hashes(project.templates_dir, project.root, "*"),
    }
    text = json.dumps(head, indent=2, ensure_ascii=False)
    names = list(entries)  # one list of the names, sorted in place
    names.extend(kept)
    names.sort()
    if not names:
        out.write((text[:-2] + ',\n  "outputs": {}\n}\n').encode("utf-8"))
        return
    out.write((text[:-2] + ',\n  "outputs": {').encode("utf-8"))
    batch: list[str] = []
    for index, name in enumerate(names):
        made = entries.get(name)
        entry = made.as_json() if made is not None else kept[name]
        value = json.dumps(entry, indent=2, ensure_ascii=False).replace("\n", "\n    ")
        batch.append(("," if index else "") + "\n    " + json.dumps(name, ensure_ascii=False) + ": " + value)
        if len(batch) == 200:
            out.write("".join(batch).encode("utf-8"))
            batch.clear()
    out.write(("".join(batch) + "\n  }\n}\n").encode("utf-8"))


def previous_outputs(output: Path, problems: list[str] | None = None) -> dict[str, dict]:
    """The outputs the folder's manifest lists, or nothing if it has none (or an unreadable one).

    Only entries that name a plain file inside ``output`` with a recorded hash: the others
    are described in ``problems`` and never read nor deleted (the manifest is untrusted input)."""
    try:
        outputs = read_manifest(output).get("outputs", {})
    except (OSError, ValueError, AttributeError):
        return {}
    if not isinstance(outputs, dict):
        return {}
    trusted = {}
    for name, entry in outputs.items():
        problem = entry_problem(output, name, entry)
        if problem is None:
            trusted[name] = entry
        elif problems is not None:
            problems.append(problem)
    return trusted


def is_ours(output: Path) -> bool:
    """True if ``output`` holds a manifest this program wrote (its format and its outputs table)."""
    try:
        manifest = read_manifest(output)
    except (OSError, ValueError):
        return False
    return isinstance(manifest, dict) and manifest.get("format") == 1 and isinstance(manifest.get("outputs"), dict)


def is_current(output: Path, target: Path, previous: dict[str, dict], key: str, name: str | None = None) -> bool:
    """Made from the same inputs (same key) and still the bytes the manifest recorded (size, then hash).
    ``name``: ``target`` relative to ``output`` when the caller knows it already."""
    entry = previous.get(target.relative_to(output).as_posix() if name is None else name)
    if not entry or entry.get("key") != key:
        return False
    try:
        return target.stat().st_size == entry["size"] and sha256(target) == entry["sha256"]
    except OSError:
        return False


def read_manifest(output: Path) -> dict:
    return json.loads((output / MANIFEST_NAME).read_text(encoding="utf-8"))


def verify(output: Path) -> list[str]:
    """Problems found re-hashing ``output`` against its manifest: missing, altered and extra files,
    untrusted entries, and links or hidden files no build makes."""
    if not (output / MANIFEST_NAME).is_file():
        return [
            Notice(_("missing: {file} (not a build output folder?)").format(file=MANIFEST_NAME), "missing-manifest")
        ]
    unreadable = manifest_problem(output)
    if unreadable:
        return [unreadable]
    if not is_ours(output):
        return [
            Notice(
                _("unreadable: {file} (not written by this program, or damaged)").format(file=MANIFEST_NAME),
                "unreadable-manifest",
            )
        ]
    from reporting.build.signing import manifest_signature_problems, signature_problems

    problems: list[str] = []
    signers: list = []  # the certificate of every PDF signature: the manifest's must be the same
    expected = previous_outputs(output, problems)
    for name, entry in expected.items():
        path = output / name
        if not path.is_file():
            problems.append(Notice(_("missing: {file}").format(file=isolate(name)), "missing-file"))
        elif path.stat().st_size != entry["size"] or sha256(path) != entry["sha256"]:
            altered = _("altered: {file} (expected sha256 {digest}…)").format(
                file=isolate(name), digest=isolate(entry["sha256"][:16])
            )
            problems.append(Notice(altered, "altered-file"))
        if path.is_file() and path.suffix == ".pdf":
            problems += signature_problems(path, signers)
    signature = output / MANIFEST_SIGNATURE_NAME
    problems += manifest_signature_problems(
        (output / MANIFEST_NAME).read_bytes(), signature.read_bytes() if signature.is_file() else None, signers
    )
    present, strange = _walk(output)
    problems += strange
    problems += [
        Notice(_("extra: {file}").format(file=isolate(name)), "extra-file")
        for name in sorted(present - set(expected) - {MANIFEST_NAME, MANIFEST_SIGNATURE_NAME})
    ]
    return problems


def _source_hashes(project: Project) -> dict[str, str]:
    """The data files: YAML and the spreadsheets awardees are read from (not the lock files
    Excel (``~$name.xlsx``) and LibreOffice (``.~lock.name.xlsx#``) keep while one is open)."""
    found = _hashes(project.data_dir, project.root, "*.yaml")
    for suffix in SHEET_SUFFIXES:
        found.update(
            {
                name: digest
                for name, digest in _hashes(project.data_dir, project.root, f"*{suffix}").items()
                if not Path(name).name.startswith(("~$", "."))
            }
        )
    return dict(sorted(found.items()))


def manifest_problem(output: Path) -> str | None:
    """Why the manifest cannot be read at all (it is input like any other), or None."""
    where = _("unreadable: {file}").format(file=MANIFEST_NAME)
    try:
        manifest = read_manifest(output)
    except UnicodeDecodeError:
        return Notice(f"{where}: " + _("expected UTF-8 JSON, found other bytes"), "unreadable-manifest")
    except json.JSONDecodeError as exc:
        found = (
            _("an empty file")
            if not exc.doc.strip()
            else _("invalid JSON at line {line}, column {column} ({reason})").format(
                line=number(exc.lineno), column=number(exc.colno), reason=isolate(exc.msg)
            )
        )
        return Notice(
            f"{where}: " + _("expected the JSON a build writes, found {found}").format(found=found),
            "unreadable-manifest",
        )
    except OSError as exc:
        return Notice(f"{where}: {exc.strerror}", "unreadable-manifest")
    if not (isinstance(manifest, dict) and isinstance(manifest.get("outputs"), dict)):
        return Notice(
            f"{where}: "
            + _("expected an {key} mapping of files to their sha256 and size, found something else").format(
                key=isolate("'outputs'")
            ),
            "unreadable-manifest",
        )
    return None


def _walk(output: Path) -> tuple[set[str], list[str]]:
    """Every plain file under ``output`` (links not followed), and the links and hidden files found."""
    from reporting.build.publish import STAGING_NAME

    present, strange = set(), []
    for folder, subfolders, files in os.walk(output):
        base = Path(folder)
        for name in sorted(subfolders + files):
            path = base / name
            shown = path.relative_to(output).as_posix()
            if path.is_symlink():
                link = _("unexpected symbolic link: {file} -> {target} (no build makes links)").format(
                    file=isolate(shown), target=isolate(os.readlink(path))
                )
                strange.append(Notice(link, "unexpected-link"))
            elif name.startswith(".") and not (base == output and name == STAGING_NAME):
                hidden = (
                    _("unexpected hidden folder: {file} (no build makes hidden files)")
                    if path.is_dir()
                    else _("unexpected hidden file: {file} (no build makes hidden files)")
                )
                strange.append(Notice(hidden.format(file=isolate(shown)), "unexpected-hidden-file"))
            elif path.is_file():
                present.add(shown)
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]
    return present, sorted(strange)


def _hashes(folder: Path, root: Path, pattern: str) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): sha256(p)
        for p in sorted(folder.rglob(pattern))
        if p.is_file() and "__pycache__" not in p.parts
    }


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "unknown"


def refuse_foreign_folder(output: Path, force_into: bool) -> None:
    """Building into a folder of someone else's files would mix ours in (and later treat theirs as
    strays): only a new or empty folder, or one holding our manifest, unless told otherwise."""
    from reporting.build.publish import STAGING_NAME

    if output.exists() and not output.is_dir():
        raise ForeignFolder(f"{isolate('--output')} {isolate(output)}: " + _("expected a folder, found a file"))
    if force_into or not output.is_dir() or is_ours(output):
        return
    found = sorted(p.name for p in output.iterdir() if p.name != STAGING_NAME)
    if found:
        if MANIFEST_NAME in found:
            what = _("a manifest.json this program did not write")
        else:
            items = isolate(", ".join(found[:3]) + (", …" if len(found) > 3 else ""))
            what = n_(
                "{count} item ({items}) and no manifest.json",
                "{count} items ({items}) and no manifest.json",
                len(found),
            ).format(count=number(len(found)), items=items)
        raise ForeignFolder(
            f"{isolate('--output')} {isolate(output)} "
            + _(
                "is not empty and was not made by a build: it holds {what}. Choose a new or empty folder, or add "
                "--force-into to build into it anyway (files the build did not make are never deleted)"
            ).format(what=what)
        )
