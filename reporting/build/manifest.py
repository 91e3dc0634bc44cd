"""The build manifest (``manifest.json``): every output with its hash, and what it was built from.

No time stamps: the same inputs give the same manifest, byte for byte.
"""
from __future__ import annotations

import hashlib
import json
from importlib import metadata
from pathlib import Path

from reporting import __name__ as package_name
from reporting.source.sheet_guard import SUFFIXES as SHEET_SUFFIXES
from reporting.config import CONFIG_NAME, Project

MANIFEST_NAME = "manifest.json"
LIBRARIES = ("weasyprint", "python-docx", "babel", "jinja2", "pyyaml", "pydantic", "python-calamine")


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
        "sources": _source_hashes(project),
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
    expected = read_manifest(output)["outputs"]
    problems = []
    for name, entry in expected.items():
        path = output / name
        if not path.is_file():
            problems.append(f"missing: {name}")
        elif path.stat().st_size != entry["size"] or sha256(path) != entry["sha256"]:
            problems.append(f"altered: {name} (expected sha256 {entry['sha256'][:16]}…)")
        if path.is_file() and path.suffix == ".pdf":
            from reporting.build.signing import signature_problems
            problems += signature_problems(path)
    present = {p.relative_to(output).as_posix() for p in output.rglob("*")
               if p.is_file() and not p.name.startswith(".") and p.name != MANIFEST_NAME}
    problems += [f"extra: {name}" for name in sorted(present - set(expected))]
    return problems


def _source_hashes(project: Project) -> dict[str, str]:
    """The data files: YAML and the spreadsheets awardees are read from (not the lock files
    Excel (``~$name.xlsx``) and LibreOffice (``.~lock.name.xlsx#``) keep while one is open)."""
    found = _hashes(project.data_dir, project.root, "*.yaml")
    for suffix in SHEET_SUFFIXES:
        found.update({name: digest for name, digest in _hashes(project.data_dir, project.root, f"*{suffix}").items()
                      if not Path(name).name.startswith(("~$", "."))})
    return dict(sorted(found.items()))


def _hashes(folder: Path, root: Path, pattern: str) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): sha256(p) for p in sorted(folder.rglob(pattern))
            if p.is_file() and "__pycache__" not in p.parts}


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "unknown"
