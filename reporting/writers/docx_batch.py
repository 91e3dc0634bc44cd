"""Fast DOCX for documents that differ only in a few texts: certificates of one event and locale.

The general writer (docx.DocxWriter) takes 20-30 ms a certificate, most of it
python-docx opening its template and building the package. Here a
certificate is prepared once: the general writer writes it with a marker in
place of every text that differs between awardees (name, position, register
number), and each awardee's DOCX is then that ``word/document.xml`` with the
markers replaced, zipped with the other members, which depend only on which
fonts (and which characters beyond their fixed subsets) the text uses. About 1 ms a certificate.

Same bytes as the general writer, by construction and by test
(tests/test_batches.py compares both for every certificate): a text takes the
fast path only if the writer cannot treat it differently from the marker. The
two HTMLs must have the same tags; each differing text must be plain (no
white space to collapse, not empty) and outside the places where the writer
looks at text content (the head, which gives the title; ``<bdi>`` without a
direction; tables whose column widths follow their text). Anything else goes
through the general writer.
"""

from __future__ import annotations

import hashlib
import html as html_lib
import re
from dataclasses import dataclass

from reporting.config import PageGeometry
from reporting.writers import ooxml, opc_zip
from reporting.writers.docx import DocxWriter
from reporting.writers.docx_fonts import FontUsage, subset_key

_TAG = re.compile(r"(<[^>]*>)")
_PLAIN = re.compile(r"[^ \t\n\f\r]+(?: [^ \t\n\f\r]+)*")  # nothing CSS white-space collapsing would change
MARKER_BASE = 0xE000  # private use: never in data (no font has it, the preflight refuses it)
DOCUMENT = "word/document.xml"


@dataclass
class _Template:
    """``word/document.xml`` cut at the markers; the font usage of everything else."""

    varying: frozenset[int]  # indexes of the texts replaced by markers
    pieces: list[str]  # document.xml split at the markers
    order: list[int]  # which text goes between pieces[k] and pieces[k + 1]
    fixed_usage: dict
    contexts: dict[int, tuple[bool, bool, bool]]  # text index -> (bold, italic, rtl) of its run
    deflating: opc_zip.Deflating | None = None  # document.xml up to its first marker, deflated once


class _MarkerUsage(FontUsage):
    """Font usage that leaves the markers out and remembers the run format each one had."""

    def __init__(self, latin: str, complex_script: str, markers: dict[str, int]):
        super().__init__(latin, complex_script)
        self.markers = markers
        self.contexts: dict[int, tuple[bool, bool, bool]] = {}

    def add(self, text: str, bold: bool, italic: bool, rtl: bool) -> None:
        plain = []
        for char in text:
            if char in self.markers:
                self.contexts[self.markers[char]] = (bold, italic, rtl)
            else:
                plain.append(char)
        if plain:
            super().add("".join(plain), bold, italic, rtl)


class CertificateDocx:
    """Writes documents like ``writer`` does, reusing what earlier documents of the same shape prepared."""

    def __init__(self, writer: DocxWriter):
        self.writer = writer
        self._references: dict[str, list[str]] = {}  # shape -> texts of its first document
        self._templates: dict[str, list[_Template]] = {}
        self._members: dict[tuple, dict[str, opc_zip.Member]] = {}  # (template, font pages) -> all but document.xml
        self._checked: dict[tuple[str, frozenset[int]], bool] = {}  # (shape, varying) -> _outside_content_checks
        self.fast = self.general = 0  # how many documents took each path (for the benchmark)

    def expect(self, html: str, geometry: PageGeometry) -> None:
        """Another document of the batch, known before the first is written: the first document of a
        shape is then prepared at once (which texts differ needs two), not written by the general writer."""
        tokens = _TAG.split(html)
        self._references.setdefault(self._shape(tokens[1::2], geometry), tokens[0::2])

    def _shape(self, tags: list[str], geometry: PageGeometry) -> str:
        return hashlib.sha256(("\0".join(tags) + repr(geometry)).encode()).hexdigest()

    def write(self, html: str, geometry: PageGeometry) -> bytes:
        tokens = _TAG.split(html)
        texts, tags = tokens[0::2], tokens[1::2]
        shape = self._shape(tags, geometry)
        reference = self._references.setdefault(shape, texts)
        varying = frozenset(i for i, (a, b) in enumerate(zip(texts, reference, strict=True)) if a != b)
        # The reference document itself fills any template of its shape (each was checked for this shape).
        usable = self._outside_content_checks(shape, varying, tags) if varying else bool(self._templates.get(shape))
        if usable:
            template = self._template(shape, varying, tokens, geometry)
            if template is not None and template.pieces:
                # Every text the template replaces, not only those that differ from the first
                # document: a text equal to the first document's may still need collapsing.
                values = {i: html_lib.unescape(texts[i]) for i in template.varying}
                if all(_PLAIN.fullmatch(v) and not _has_marker(v) for v in values.values()):
                    return self._from_template(template, values, html, geometry)
        self.general += 1
        return self.writer.write(html, geometry)

    def _outside_content_checks(self, shape: str, varying: frozenset[int], tags: list[str]) -> bool:
        """``_outside_content_checks``, once per shape and set of varying texts: the tags are the shape's."""
        key = (shape, varying)
        found = self._checked.get(key)
        if found is None:
            if len(self._checked) > 256:
                self._checked.clear()
            found = self._checked[key] = _outside_content_checks(varying, tags)
        return found

    def _template(self, shape: str, varying: frozenset[int], tokens: list[str], geometry) -> _Template | None:
        for template in self._templates.get(shape, ()):
            if varying <= template.varying:
                return template
        template = self._prepare(varying, tokens, geometry)
        self._templates.setdefault(shape, []).append(template)
        return template if template.pieces else None

    def _prepare(self, varying: frozenset[int], tokens: list[str], geometry) -> _Template:
        """The general writer's document with markers for the varying texts; no pieces if unusable."""
        markers = {chr(MARKER_BASE + n): index for n, index in enumerate(sorted(varying))}
        marked = list(tokens)
        for char, index in markers.items():
            marked[2 * index] = char
        usage = _MarkerUsage(self.writer.fonts.latin, self.writer.fonts.complex, markers)
        members = self.writer.package("".join(marked), geometry, usage=usage)
        document = members[DOCUMENT].decode("utf-8")
        elsewhere = any(char.encode() in data for name, data in members.items() if name != DOCUMENT for char in markers)
        if elsewhere or any(document.count(char) != 1 for char in markers) or usage.contexts.keys() != set(varying):
            return _Template(varying, [], [], {}, {})  # the markers did not come through untouched
        split = re.split("([" + "".join(markers) + "])", document)
        return _Template(
            varying,
            split[0::2],
            [markers[c] for c in split[1::2]],
            {key: set(chars) for key, chars in usage.chars.items()},
            usage.contexts,
        )

    def _from_template(self, template: _Template, values: dict[int, str], html: str, geometry) -> bytes:
        usage = FontUsage(self.writer.fonts.latin, self.writer.fonts.complex)
        usage.chars = {key: set(chars) for key, chars in template.fixed_usage.items()}
        for index, value in values.items():
            usage.add(value, *template.contexts[index])
        # The other members depend on the template's fixed texts and on the fonts, down to
        # the Unicode pages embedded: the first document of each combination makes them.
        key = (id(template), subset_key(usage, self.writer.font_files))
        members = self._members.get(key)
        if members is None:
            self.general += 1
            package = self.writer.package(html, geometry)
            if package[DOCUMENT] != _filled(template, values):
                # The writer treated a text differently from its marker (a no-wrap table column
                # measured from its text, say): this template is not safe to fill in.
                template.pieces.clear()
            if len(self._members) > 256:
                self._members.clear()
            compressed = ooxml.compressed_members(package)
            self._members[key] = {name: item for name, item in compressed.items() if name != DOCUMENT}
            return ooxml.zip_members(compressed)
        self.fast += 1
        if template.deflating is None:
            template.deflating = opc_zip.Deflating(DOCUMENT, template.pieces[0].encode("utf-8"))
        document_member = template.deflating.member(_filled(template, values, start=1))
        return ooxml.zip_members({**members, DOCUMENT: document_member})


def _filled(template: _Template, values: dict[int, str], start: int = 0) -> bytes:
    """The template's document.xml with each marker replaced by its text (from piece ``start``: 1 leaves
    out the part before the first marker)."""
    document = [template.pieces[0]] if start == 0 else []
    for index, piece in zip(template.order, template.pieces[1:], strict=True):
        document += [_xml_text(values[index]), piece]
    return "".join(document).encode("utf-8")


def _has_marker(text: str) -> bool:
    return any(MARKER_BASE <= ord(c) <= MARKER_BASE + 0xFF for c in text)


def _outside_content_checks(varying: frozenset[int], tags: list[str]) -> bool:
    """Whether every varying text is somewhere the writer never reads text content:
    after ``<body>``, not in a ``<bdi>`` that guesses its direction, not in a table
    whose column widths follow the text (all but ``table.layout``)."""
    body = next((n for n, tag in enumerate(tags) if tag.startswith("<body")), None)
    if body is None or min(varying) <= body:
        return False
    tables: list[bool] = []  # open tables: True when a layout table
    checked = 0
    wanted = sorted(varying)
    for n, tag in enumerate(tags):
        while checked < len(wanted) and wanted[checked] <= n:
            index = wanted[checked]  # text index i follows tag i - 1
            previous = tags[index - 1]
            if (tables and not tables[-1]) or (
                previous.startswith("<bdi") and not re.search(r'dir="(ltr|rtl)"', previous)
            ):
                return False
            checked += 1
        if tag.startswith("<table"):
            tables.append(bool(re.search(r'class="[^"]*\blayout\b', tag)))
        elif tag.startswith("</table") and tables:
            tables.pop()
    return checked == len(wanted)


def _xml_text(text: str) -> str:
    """As lxml writes text content."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
