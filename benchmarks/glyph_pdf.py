"""Drawing shaped glyph runs straight into a PDF (writers/pdf_glyphs.py): faces, ms a page, bytes.

Prints, per face of templates/fonts that certificates use, its glyphs, file size and the time to
read it (once per process; each page's program is cut from it); then, for 50-page documents of
typical Vietnamese and Arabic certificates (name, position and unit, register number), the ms a
page to draw them, to put the static page under them and split them per awardee (the existing
path, for comparison), and the size of one split certificate.
Usage: .venv/bin/python benchmarks/glyph_pdf.py [PAGES]   (the runs are shaped with uharfbuzz,
       a test dependency: pip install -e '.[test]')
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reporting.writers import face_file  # noqa: E402
from reporting.writers.glyph_runs import Glyph, GlyphRun  # noqa: E402
from reporting.writers.pdf_glyphs import variable_layer_pdf  # noqa: E402
from reporting.writers.pdf_overlay import open_pdf, underlay  # noqa: E402
from reporting.writers.pdf_split import split_pages  # noqa: E402

FONTS = ROOT / "templates" / "fonts"
FACES = {
    "Tinos Regular": FONTS / "tinos" / "Tinos-Regular.ttf",
    "Tinos Bold": FONTS / "tinos" / "Tinos-Bold.ttf",
    "Amiri Regular": FONTS / "amiri" / "Amiri-Regular.ttf",
    "Amiri Bold": FONTS / "amiri" / "Amiri-Bold.ttf",
}
NAMES = {
    "vi": ["Nguyễn Văn Hùng", "Trần Thị Hương", "Lê Quang Minh", "Phạm Hồng Đức", "Hoàng Thị Thuỷ", "Đoàn Minh Tuấn"],
    "ar": ["نجوين فان هونغ", "تران ثي هوونغ", "لي كوانج مينه", "فام هونغ دوك", "هوانغ ثي ثوي", "دوآن مينه توان"],
}
POSITIONS = {
    "vi": ["Chuyên viên chính, Phòng Tổng hợp", "Phó Trưởng phòng, Thanh tra tỉnh", "Cán bộ, Ban Tiếp công dân"],
    "ar": ["خبير رئيسي، إدارة الشؤون العامة", "نائب رئيس القسم، هيئة التفتيش", "موظف، مكتب استقبال المواطنين"],
}
FACE_OF = {"vi": ("Tinos Bold", "Tinos Regular"), "ar": ("Amiri Bold", "Amiri Regular")}
STATIC_HTML = """<html><head><style>@page { size: A4 landscape; bleed: 3mm; marks: crop; margin: 0 }
body { margin: 0 } h1 { position: absolute; left: 300px; top: 60px; margin: 0; font-size: 40px }</style></head>
<body><h1>BẰNG KHEN — شهادة تقدير</h1></body></html>"""


def shaped(text: str, font: Path, size: float, x: float, y: float) -> GlyphRun:
    """``text`` shaped by HarfBuzz from (x, y), CSS px, as the layout hands it over."""
    import uharfbuzz as hb

    face = hb.Face(hb.Blob.from_file_path(str(font)))
    buffer = hb.Buffer()
    buffer.add_codepoints([ord(char) for char in text])
    buffer.guess_segment_properties()
    rtl = buffer.direction == "rtl"
    hb.shape(hb.Font(face), buffer)
    starts = sorted({info.cluster for info in buffer.glyph_infos})
    ends = dict(zip(starts, [*starts[1:], len(text)], strict=True))
    seen: set[int] = set()
    texts = {}
    for index in reversed(range(len(buffer.glyph_infos))) if rtl else range(len(buffer.glyph_infos)):
        cluster = buffer.glyph_infos[index].cluster
        texts[index] = "" if cluster in seen else text[cluster : ends[cluster]]
        seen.add(cluster)
    scale, pen, glyphs = size / face.upem, x, []
    for index, (info, position) in enumerate(zip(buffer.glyph_infos, buffer.glyph_positions, strict=True)):
        glyphs.append(
            Glyph(info.codepoint, pen + position.x_offset * scale, y - position.y_offset * scale, texts[index])
        )
        pen += position.x_advance * scale
    return GlyphRun(font, size, (0.55, 0.05, 0.05, 1.0), rtl, tuple(glyphs))


def pages_of(locale: str, count: int) -> list[tuple[GlyphRun, ...]]:
    bold, regular = (FACES[name] for name in FACE_OF[locale])
    pages: list[tuple[GlyphRun, ...]] = []
    for index in range(count):
        name = NAMES[locale][index % len(NAMES[locale])]
        position = POSITIONS[locale][index % len(POSITIONS[locale])]
        pages.append(
            (
                shaped(name, bold, 44, 300, 330),
                shaped(position, regular, 24, 300, 390),
                shaped(f"{index + 1}/QĐ-KT", regular, 16, 120, 700),
            )
        )
    return pages


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    print("Each face, read once per process (page programs are cut from the file itself):")
    print(f"  {'face':<15} {'glyphs':>7} {'file bytes':>11} {'read in':>8}")
    for name, font in FACES.items():
        face_file._face_file.cache_clear()
        start = time.perf_counter()
        face = face_file.face_file(font)
        read = time.perf_counter() - start
        print(f"  {name:<15} {len(face.glyphs):>7} {len(face.program):>11} {read:>7.2f}s")

    from reporting.writers.pdf import PdfWriter

    static = PdfWriter(ROOT / "templates").write(STATIC_HTML, expected_pages=1)
    print(
        f"\n{count}-page documents (3 runs a page: name, position and unit, register number), best of 5, CPU time "
        f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores):"
    )
    for locale in ("vi", "ar"):
        pages = pages_of(locale, count)
        variable_layer_pdf(pages[:1], static)  # the faces, read into memory
        draw = min(_timed(lambda: variable_layer_pdf(pages, static)) for _ in range(5))  # noqa: B023
        data = variable_layer_pdf(pages, static)
        split = min(
            _timed(lambda: split_pages(underlay(open_pdf(data), static), trim=True))  # noqa: B023
            for _ in range(3)
        )
        single = split_pages(underlay(open_pdf(data), static), [0], trim=True)[0]
        glyphs = sum(len(run.glyphs) for page in pages for run in page) / count
        print(
            f"  {locale}: draw {draw / count * 1000:.2f} ms a page ({glyphs:.0f} glyphs), "
            f"underlay + split {split / count * 1000:.2f} ms a page; document {len(data) // 1024} KiB, "
            f"one split certificate {len(single) // 1024} KiB"
        )


def _timed(action) -> float:
    """The CPU time ``action`` takes (on a machine shared with other work, wall time says more about them)."""
    start = time.process_time()
    action()
    return time.process_time() - start


if __name__ == "__main__":
    main()
