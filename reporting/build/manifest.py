"""The build manifest (``manifest.json``): every output with its hash, and what it was built from.

No time stamps: the same inputs give the same manifest, byte for byte.
"""
from __future__ import annotations

import hashlib
import json
from importlib import metadata
from pathlib import Path

from reporting import __name__ as package_name
from reporting.config import CONFIG_NAME, Project

MANIFEST_NAME = "manifest.json"
MANIFEST_SIGNATURE_NAME = "manifest.json.p7s"  # a signed build's detached signature of its manifest
LIBRARIES = ("weasyprint", "python-docx", "babel", "jinja2", "pyyaml", "pydantic")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build_manifest(project: Project, output: Path, entries: dict[Path, dict], removed: list[Path] = ()) -> bytes:
    """The manifest after this build: its outputs (sha256, size, dependency key), plus earlier entries
    still on disk that this build does not remove."""
    previous = previous_outputs(output)
    gone = {path.relative_to(output).as_posix() for path in removed}
    outputs = {name: entry for name, entry in previous.items() if (output / name).is_file() and name not in gone}
    for path, entry in entries.items():
        outputs[path.relative_to(output).as_posix()] = entry
    manifest = {
        "format": 1,
        "pipeline": _version(package_name),
        "libraries": {name: _version(name) for name in LIBRARIES},
        "config": {CONFIG_NAME: sha256(project.root / CONFIG_NAME)},
        "sources": _hashes(project.data_dir, project.root, "*.yaml"),
        "templates": _hashes(project.templates_dir, project.root, "*"),
        "outputs": dict(sorted(outputs.items())),
    }
    return (json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=False) + "\n").encode("utf-8")


def previous_outputs(output: Path) -> dict[str, dict]:
    """The outputs the folder's manifest lists, or nothing if it has none (or an unreadable one)."""
    try:
        return read_manifest(output).get("outputs", {})
    except (OSError, ValueError):
        return {}


def is_current(output: Path, target: Path, previous: dict[str, dict], key: str) -> bool:
    """Made from the same inputs (same key) and still the bytes the manifest recorded (size, then hash)."""
    entry = previous.get(target.relative_to(output).as_posix())
    if not entry or entry.get("key") != key:
        return False
    try:
        return target.stat().st_size == entry["size"] and sha256(target) == entry["sha256"]
    except OSError:
        return False


def read_manifest(output: Path) -> dict:
    return json.loads((output / MANIFEST_NAME).read_text(encoding="utf-8"))


def verify(output: Path) -> list[str]:
    """Problems found re-hashing ``output`` against its manifest: missing, altered and extra files."""
    if not (output / MANIFEST_NAME).is_file():
        return [f"missing: {MANIFEST_NAME} (not a build output folder?)"]
    expected, problem = listed_outputs(output)
    if problem:
        return [problem]
    from reporting.build.signing import manifest_signature_problems, signature_problems

    problems = []
    signers: list = []  # the certificate of every PDF signature
    for name, entry in expected.items():
        path = output / name
        if not path.is_file():
            problems.append(f"missing: {name}")
        elif path.stat().st_size != entry["size"] or sha256(path) != entry["sha256"]:
            problems.append(f"altered: {name} (expected sha256 {entry['sha256'][:16]}…)")
        if path.is_file() and path.suffix == ".pdf":
            problems += signature_problems(path, signers)
    signature = output / MANIFEST_SIGNATURE_NAME
    problems += manifest_signature_problems((output / MANIFEST_NAME).read_bytes(),
                                            signature.read_bytes() if signature.is_file() else None, signers)
    present = {p.relative_to(output).as_posix() for p in output.rglob("*")
               if p.is_file() and not p.name.startswith(".") and p.name not in (MANIFEST_NAME, MANIFEST_SIGNATURE_NAME)}
    problems += [f"extra: {name}" for name in sorted(present - set(expected))]
    return problems


def listed_outputs(output: Path) -> tuple[dict[str, dict], str | None]:
    """The manifest's outputs, or a problem saying why it cannot be read (it is input like any other)."""
    where = f"unreadable: {MANIFEST_NAME}"
    try:
        manifest = read_manifest(output)
    except UnicodeDecodeError:
        return {}, f"{where}: expected UTF-8 JSON, found other bytes"
    except json.JSONDecodeError as exc:
        found = "an empty file" if not exc.doc.strip() else f"invalid JSON at line {exc.lineno}, column {exc.colno} ({exc.msg})"
        return {}, f"{where}: expected the JSON a build writes, found {found}"
    except OSError as exc:
        return {}, f"{where}: {exc.strerror}"
    outputs = manifest.get("outputs") if isinstance(manifest, dict) else None
    if not isinstance(outputs, dict) or not all(_is_entry(entry) for entry in outputs.values()):
        return {}, f"{where}: expected an 'outputs' mapping of files to their sha256 and size, found something else"
    return outputs, None


def _is_entry(entry: object) -> bool:
    return isinstance(entry, dict) and isinstance(entry.get("sha256"), str) and isinstance(entry.get("size"), int)


def _hashes(folder: Path, root: Path, pattern: str) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): sha256(p) for p in sorted(folder.rglob(pattern))
            if p.is_file() and "__pycache__" not in p.parts}


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "unknown"
