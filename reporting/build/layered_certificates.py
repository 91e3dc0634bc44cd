"""A worker's layered certificates: static pages typeset once, variable layers per chunk, split per awardee.

A static page is kept in the worker (for the whole build) and in the cache
folder (content-addressed: the hash of its HTML, the stylesheets, fonts and
images it pulls in and the pipeline's code, so across builds it is typeset
again only when the event, language or template changes).

The variable layer is laid out directly (``writers/text_layout.py``) and drawn
straight into a PDF (``writers/pdf_glyphs.py``); a batch the direct path cannot
promise to lay out as WeasyPrint would (``NotDirect``), or whose glyphs are
not in the fonts' files (``GlyphNotInSubset``), is typeset by
WeasyPrint (``typeset_variable``), with the same result.
"""

from __future__ import annotations

import hashlib

from reporting.build import cache, chunks
from reporting.build.freshness import output_key
from reporting.build.limits import time_limit
from reporting.errors import RenderError
from reporting.tool_language import _, isolate
from reporting.writers.layer_html import split_layers
from reporting.writers.pdf_layers import BoxOverflow, StaticLayer, typeset_static, typeset_variable

# Batches whose variable layer each path made, in this process (the tests check the direct one is taken).
PATHS_TAKEN = {"direct": 0, "weasyprint": 0}


class LayeredCertificates:
    def __init__(self, worker):
        self.worker = worker
        self.project = worker.project
        self._statics: dict[str, StaticLayer] = {}
        self._fonts = None  # pango_glyphs.FontFiles, made when the first batch is laid out

    def static(self, writer, html: str) -> StaticLayer:
        key = output_key(html, "pdf", self.project.templates_dir, b"static certificate layer")
        if key in self._statics:
            return self._statics[key]
        folder = chunks.cache_folder()
        pdf_path, geometry_path = folder / f"static-{key}.pdf", folder / f"static-{key}.json"
        layer = None
        try:
            layer = StaticLayer.from_cache(pdf_path.read_bytes(), geometry_path.read_text(encoding="utf-8"))
            chunks.touch(pdf_path)
            chunks.touch(geometry_path)
        except (OSError, ValueError, KeyError, TypeError):
            layer = typeset_static(writer, split_layers(html))
            cache.keep(geometry_path, layer.geometry_json().encode("utf-8"))
            cache.keep(pdf_path, layer.pdf)
        self._statics[key] = layer
        return layer

    def chunk(self, task) -> list:
        from reporting.build.workers import named, writing_chunk
        from reporting.writers.certificate_pdf import certificate_pdfs
        from reporting.writers.drawn_chunk import DrawnChunk, encode
        from reporting.writers.pdf_glyphs import variable_layer_of
        from reporting.writers.pdf_overlay import interleave, open_pdf, underlay
        from reporting.writers.pdf_split import save_pdf, split_pages

        writer = self.worker.writer("pdf", task.locale)
        count = len(task.targets)
        wanted = [i for i, target in enumerate(task.targets) if target is not None]
        files: dict[int, bytes] = {}
        with time_limit(self.project.job_time_limit_s * count, writing_chunk(task.shown[0])):
            layers, variables, drawings = [], [], []
            for number, html in enumerate(task.statics):
                members = [i for i, group in enumerate(task.static_of) if group == number]
                layer = self.static(writer, html)
                try:
                    variable, drawn = self.variable(writer, html, layer, [task.texts[i] for i in members])
                except BoxOverflow as exc:
                    index = members[exc.page]
                    with named(task.shown[index], ()):
                        awardee = _("awardee {id}").format(id=isolate(task.awardee_ids[index]))
                        raise RenderError(f"{awardee}: {exc}") from None
                if drawn is not None:
                    # Drawn directly: each awardee's file is written as bytes, without splitting the chunk.
                    own = [k for k, i in enumerate(members) if task.targets[i] is not None]
                    pdfs = certificate_pdfs([drawn[k] for k in own], layer.pdf, task.trim)
                    files.update((members[k], pdf) for k, pdf in zip(own, pdfs, strict=True))
                layers.append(layer)
                variables.append(variable)
                drawings.append(drawn)
            order = [(group, task.static_of[:i].count(group)) for i, group in enumerate(task.static_of)]
            split = [i for i in wanted if i not in files]
            # Whole pages, every one drawn: kept as drawn (writers/drawn_chunk.py), and the print file
            # writes them as bytes; no PDF of the chunk is made.
            kept_drawn = not task.variable_only and all(drawn is not None for drawn in drawings)
            layer_pdfs: list[bytes] = []  # the variable layers as PDFs, made only when needed
            if split or (task.cache is not None and not kept_drawn):
                layer_pdfs = [
                    variable if variable is not None else variable_layer_of(drawn or [], layer.pdf)
                    for variable, drawn, layer in zip(variables, drawings, layers, strict=True)
                ]
            whole = None
            if split or (task.cache is not None and not task.variable_only and not kept_drawn):
                whole = interleave(
                    [underlay(open_pdf(v), layer.pdf) for v, layer in zip(layer_pdfs, layers, strict=True)], order
                )
        if task.cache is not None and kept_drawn:
            pages = tuple(drawings[group][position] for group, position in order)
            cache.keep(task.cache, encode(DrawnChunk(tuple(layer.pdf for layer in layers), task.static_of, pages)))
        elif task.cache is not None:
            kept = interleave([open_pdf(v) for v in layer_pdfs], order) if task.variable_only else whole
            assert kept is not None
            cache.keep(task.cache, save_pdf(kept))
        if split:
            assert whole is not None
            files.update(split_pages(whole, split, trim=task.trim))
        return [self.worker.stage(task.targets[i], files[i]) for i in wanted]

    def variable(self, writer, html: str, layer: StaticLayer, pages: list) -> tuple[bytes | None, list | None]:
        """The variable layer of ``pages`` typeset by WeasyPrint, and no drawn pages; or, when laid out
        and drawn directly, no PDF yet (``pdf_glyphs.variable_layer_of`` makes it if it is needed) and
        the drawn pages (``pdf_glyphs.DrawnPage``)."""
        from reporting.writers.layout_probe import Probe
        from reporting.writers.pdf_glyphs import GlyphNotInSubset, draw_pages
        from reporting.writers.text_layout import NotDirect, lay_out

        fonts = self.font_files()
        try:
            runs = lay_out(Probe(writer, html, layer, pages, fonts), layer, pages, fonts)
            drawn = draw_pages(runs, layer.pdf)
        except (NotDirect, GlyphNotInSubset):
            PATHS_TAKEN["weasyprint"] += 1
            return typeset_variable(writer, html, layer, pages), None
        PATHS_TAKEN["direct"] += 1
        return None, drawn

    def font_files(self):
        """The [fonts] table's files by the digest of their bytes: how a Pango font is traced to its file."""
        from reporting.writers.pango_glyphs import FontFiles

        if self._fonts is None:
            paths = {self.project.templates_dir / path for face in self.project.fonts.values() for path in face.files}
            self._fonts = FontFiles(
                {hashlib.sha256(path.read_bytes()).hexdigest(): path for path in sorted(paths) if path.is_file()}
            )
        return self._fonts

    def calibration(self, task):
        from reporting.writers.calibration import calibration_html

        writer = self.worker.writer("pdf", task.locale)
        layer = self.static(writer, task.static)
        with time_limit(self.project.job_time_limit_s, _("writing {file}").format(file=isolate(task.target.name))):
            data = writer.write(calibration_html(task.static, layer, task.offset_mm), expected_pages=1)
        return self.worker.stage(task.target, data)
