"""Incremental rebuilds: an output is rewritten only when something it is made from changed.

Every HTML document is rendered anyway (a few milliseconds each); what is
expensive is writing PDF and DOCX. An output's key is the hash of everything
that determines its bytes: its HTML, the format, the stylesheets, fonts and
images the HTML pulls in (following CSS ``url()``s, its own ``<style>``'s too), the pipeline's own code,
and for archived PDFs the attached YAML. Templates, catalogs, data and
configuration act through the HTML, so a change to any of them reaches exactly
the documents whose HTML it changes.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache
from pathlib import Path

from reporting.writers import registry

_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")
_CSS_IMPORT = re.compile(r"@import\s+['\"]([^'\"]+)['\"]")


def output_key(html: str, writer_name: str, templates_dir: Path, extra: bytes = b"") -> str:
    digest = hashlib.sha256()
    for part in (writer_name.encode(), code_version().encode(), html.encode("utf-8"), extra):
        digest.update(hashlib.sha256(part).digest())
    spec = registry.spec(writer_name)
    links = tuple(spec.links.findall(html))
    if spec.follows_css:  # the document's own <style> pulls in files too: the fonts' @font-face rules
        links += tuple(link for link in _CSS_URL.findall(_inline_css(html)) if ":" not in link)
    digest.update(_assets_digest(templates_dir, writer_name, links).encode())
    return digest.hexdigest()


def _inline_css(html: str) -> str:
    """The text of the document's ``<style>`` elements (in the head: before ``<body``)."""
    head = html.split("<body", 1)[0]
    return "\n".join(_STYLE.findall(head))


_STYLE = re.compile(r"<style[^>]*>(.*?)</style>", re.DOTALL)


def _assets_digest(templates_dir: Path, writer_name: str, links: tuple[str, ...]) -> str:
    """The hash of the files a document's links pull in; the same links (every certificate of a
    batch) are resolved and hashed once per build (forget_assets() starts a build afresh)."""
    key = (templates_dir, writer_name, links)
    if key not in _ASSET_DIGESTS:
        digest = hashlib.sha256()
        for asset in sorted(_assets(links, templates_dir, writer_name)):
            digest.update(asset.relative_to(templates_dir.resolve()).as_posix().encode())
            digest.update(_file_hash(asset).encode())
        _ASSET_DIGESTS[key] = digest.hexdigest()
    return _ASSET_DIGESTS[key]


_ASSET_DIGESTS: dict[tuple, str] = {}


def forget_assets() -> None:
    """Called as a build starts: `watch` and `serve` run many builds in one process, and files change."""
    _ASSET_DIGESTS.clear()


def _assets(links: tuple[str, ...], templates_dir: Path, writer_name: str) -> set[Path]:
    """The files a writer reads besides the HTML, as its ``WriterSpec`` declares them.

    WeasyPrint reads what the HTML links and what its CSS links in turn; the
    DOCX writer reads the images and embeds the font files, but no CSS.
    """
    writer = registry.spec(writer_name)
    found = set(writer.always_reads(templates_dir))
    pending = [templates_dir / link for link in links]
    while pending:
        path = pending.pop().resolve()
        if path in found or not path.is_file() or not path.is_relative_to(templates_dir.resolve()):
            continue  # outside templates/: the fetcher refuses it anyway
        found.add(path)
        if writer.follows_css and path.suffix == ".css":
            text = path.read_text(encoding="utf-8")
            linked = _CSS_URL.findall(text) + _CSS_IMPORT.findall(text)
            pending += [path.parent / link for link in linked if ":" not in link]
    return found


@cache
def code_version() -> str:
    """The hash of the package's own source: a change to the code rebuilds everything."""
    package = Path(__file__).resolve().parent.parent  # reporting/, not reporting/build/
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
