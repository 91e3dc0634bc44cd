"""A worker's layered certificates: static pages typeset once, variable layers per chunk, split per awardee.

A static page is kept in the worker (for the whole build) and in the cache
folder (content-addressed: the hash of its HTML, the stylesheets, fonts and
images it pulls in and the pipeline's code, so across builds it is typeset
again only when the event, language or template changes).

The variable layer is laid out directly (``writers/text_layout.py``) and drawn
straight into a PDF (``writers/pdf_glyphs.py``); a batch the direct path cannot
promise to lay out as WeasyPrint would (``NotDirect``), or whose glyphs are
outside the fonts' fixed subsets (``GlyphNotInSubset``), is typeset by
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
        from reporting.writers.pdf_overlay import interleave, open_pdf, underlay
        from reporting.writers.pdf_split import save_pdf, split_pages

        writer = self.worker.writer("pdf", task.locale)
        count = len(task.targets)
        with time_limit(self.project.job_time_limit_s * count, writing_chunk(task.shown[0])):
            layers, variables, order = [], [], []
            for number, html in enumerate(task.statics):
                members = [i for i, group in enumerate(task.static_of) if group == number]
                layer = self.static(writer, html)
                try:
                    variable = self.variable(writer, html, layer, [task.texts[i] for i in members])
                except BoxOverflow as exc:
                    index = members[exc.page]
                    with named(task.shown[index], ()):
                        awardee = _("awardee {id}").format(id=isolate(task.awardee_ids[index]))
                        raise RenderError(f"{awardee}: {exc}") from None
                layers.append(layer)
                variables.append(variable)
            for i, group in enumerate(task.static_of):
                order.append((group, task.static_of[:i].count(group)))
            whole = interleave(
                [underlay(open_pdf(v), layer.pdf) for v, layer in zip(variables, layers, strict=True)], order
            )
        if task.cache is not None:
            kept = interleave([open_pdf(v) for v in variables], order) if task.variable_only else whole
            cache.keep(task.cache, save_pdf(kept))
        wanted = [i for i, target in enumerate(task.targets) if target is not None]
        pages = split_pages(whole, wanted, trim=task.trim)
        return [self.worker.stage(task.targets[i], pages[i]) for i in wanted]

    def variable(self, writer, html: str, layer: StaticLayer, pages: list) -> bytes:
        """The variable layer of ``pages``: laid out and drawn directly, else typeset by WeasyPrint."""
        from reporting.writers.layout_probe import Probe
        from reporting.writers.pdf_glyphs import GlyphNotInSubset, variable_layer_pdf
        from reporting.writers.text_layout import NotDirect, lay_out

        fonts = self.font_files()
        try:
            runs = lay_out(Probe(writer, html, layer, pages, fonts), layer, pages, fonts)
            data = variable_layer_pdf(runs, layer.pdf)
        except (NotDirect, GlyphNotInSubset):
            PATHS_TAKEN["weasyprint"] += 1
            return typeset_variable(writer, html, layer, pages)
        PATHS_TAKEN["direct"] += 1
        return data

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
