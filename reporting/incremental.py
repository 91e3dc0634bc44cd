"""Incremental rebuilds: an output is rewritten only when something it is made from changed.

Every HTML document is rendered anyway (a few milliseconds each); what is
expensive is writing PDF and DOCX. An output's key is the hash of everything
that determines its bytes: its HTML, the format, the stylesheets, fonts and
images the HTML pulls in (following CSS ``url()``s), the pipeline's own code,
and for archived PDFs the attached YAML. Templates, catalogs, data and
configuration act through the HTML, so a change to any of them reaches exactly
the documents whose HTML it changes.
"""
from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path

_LINKED = re.compile(r'<(?:link[^>]*href|img[^>]*src)="([^":]+)"')
_IMAGES = re.compile(r'<img[^>]*src="([^":]+)"')
_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")
_CSS_IMPORT = re.compile(r"@import\s+['\"]([^'\"]+)['\"]")


def output_key(html: str, writer_name: str, templates_dir: Path, extra: bytes = b"") -> str:
    digest = hashlib.sha256()
    for part in (writer_name.encode(), code_version().encode(), html.encode("utf-8"), extra):
        digest.update(hashlib.sha256(part).digest())
    for asset in sorted(_assets(html, templates_dir, writer_name)):
        digest.update(asset.relative_to(templates_dir.resolve()).as_posix().encode())
        digest.update(_file_hash(asset).encode())
    return digest.hexdigest()


def _assets(html: str, templates_dir: Path, writer_name: str) -> set[Path]:
    """The files a writer reads besides the HTML.

    WeasyPrint reads what the HTML links and what its CSS links in turn; the
    DOCX writer reads the images and embeds the font files, but no CSS.
    """
    found: set[Path] = set()
    if writer_name == "docx":
        found = {p.resolve() for p in (templates_dir / "fonts").rglob("*.ttf")}
        links = _IMAGES.findall(html)
    else:
        links = _LINKED.findall(html)
    pending = [templates_dir / link for link in links]
    while pending:
        path = pending.pop().resolve()
        if path in found or not path.is_file() or not path.is_relative_to(templates_dir.resolve()):
            continue  # outside templates/: the fetcher refuses it anyway
        found.add(path)
        if path.suffix == ".css":
            text = path.read_text(encoding="utf-8")
            links = _CSS_URL.findall(text) + _CSS_IMPORT.findall(text)
            pending += [path.parent / link for link in links if ":" not in link]
    return found


@lru_cache(maxsize=None)
def code_version() -> str:
    """The hash of the package's own source: a change to the code rebuilds everything."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + path.read_bytes())
    return digest.hexdigest()


_FILE_HASHES: dict[tuple[Path, float, int], str] = {}


def _file_hash(path: Path) -> str:
    stat = path.stat()
    key = (path, stat.st_mtime, stat.st_size)
    if key not in _FILE_HASHES:
        _FILE_HASHES[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    return _FILE_HASHES[key]
