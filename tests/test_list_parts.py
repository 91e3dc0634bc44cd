"""A long awardee list typeset in parts and joined: one PDF and one DOCX, pages numbered on.

Big events list 100,000 awardees; each part is typeset alone (reporting/writers/html_parts.py,
pdf_parts.py, docx_join.py) so memory follows the part. Here a few hundred rows in parts of 100
prove the join: page count, continuous page numbers, the table header on every page, every row
once and in order, and the same bytes whatever ``--jobs``.
"""

from __future__ import annotations

import re
import shutil
import zipfile

import pytest

from conftest import ROOT, run_cli
from reporting.writers.html_parts import split_rows
from sheetutil import HEADER, write_csv
from textutil import W, docx_repeated_header_rows, docx_xml, pdf_pages

HEAD = '<!DOCTYPE html>\n<html lang="vi">\n<head><title>t</title></head>\n<body>\n'
RUNNING = '<div class="running-header"><span class="page-number"></span></div>'


def _table(name: str, rows: range) -> str:
    cells = "".join(f'<tr><td class="num">{n}</td><td>{name} {n}</td></tr>\n' for n in rows)
    head = f"<thead><tr><th>No.</th><th>{name}</th></tr></thead>"
    return f'<table class="awardees">\n{head}\n<tbody>\n{cells}</tbody>\n</table>\n'


def _document(groups: int, individuals: int) -> str:
    return (
        HEAD
        + RUNNING
        + "<h1>LIST</h1>\n<h2>Groups</h2>\n"
        + _table("group", range(1, groups + 1))
        + "<h2>Individuals</h2>\n<div class='wrap'>"
        + _table("person", range(1, individuals + 1))
        + "</div><p class='closing'>Signed</p>\n</body>\n</html>\n"
    )


def _rows(html: str) -> list[str]:
    return re.findall(r"<td>([^<]*)</td>", html)


def test_a_long_list_is_cut_into_parts_holding_every_row_once_in_order():
    html = _document(groups=7, individuals=45)
    parts = split_rows(html, 10)
    assert parts is not None and len(parts) == 6  # 52 rows, 10 to a part
    assert [row for part in parts for row in _rows(part)] == _rows(html)
    assert [len(_rows(part)) for part in parts] == [10, 10, 10, 10, 10, 2]
    # The first part opens the document, the last closes it; every part is a whole document.
    assert "<h1>LIST</h1>" in parts[0] and all("<h1>" not in part for part in parts[1:])
    assert "Signed" in parts[-1] and all("Signed" not in part for part in parts[:-1])
    for part in parts:
        assert part.startswith(HEAD) and part.rstrip().endswith("</html>")
        assert part.count(RUNNING) == 1  # the page number in every part
        assert part.count("<table") == part.count("</table>") == part.count("<thead>")  # a header for each table
        assert part.count("<div") == part.count("</div>")  # the wrapper round the second table too
    # A part that goes from one table into the next carries the text between them.
    assert "<h2>Individuals</h2>" in parts[0] and "<h2>Individuals</h2>" not in parts[1]


def test_a_short_list_or_an_unknown_shape_is_not_cut():
    assert split_rows(_document(groups=3, individuals=5), 10) is None  # fits in one part
    assert split_rows(_document(groups=3, individuals=5), 7) is not None
    nested = _document(3, 20).replace("<td>person 4</td>", "<td><table><tr><td>x</td></tr></table></td>")
    assert split_rows(nested, 5) is None  # a table inside a row: typeset whole
    assert split_rows("<p>no table</p>" * 50, 5) is None


SHEET_HEADER = HEADER[:8]  # kind, id, then name, position and unit in each language


def _list_project(folder, awardees: int, part_rows: int):
    """The real templates, an event of ``awardees`` individuals from a CSV sheet, and only the list
    among the documents (so no certificate is typeset)."""
    config = (ROOT / "reporting.toml").read_text(encoding="utf-8")
    config = config.replace("list_part_rows = 1000", f"list_part_rows = {part_rows}")
    config = config[: config.index("[documents.report]")] + (
        '[documents.awardees]\ntemplate = "awardees.html.j2"\npage = "report"\n'
    )
    (folder / "reporting.toml").write_text(config, encoding="utf-8")
    shutil.copytree(ROOT / "templates", folder / "templates")
    (folder / "data").mkdir()
    event = (ROOT / "data" / "directive-35-review.yaml").read_text(encoding="utf-8")
    (folder / "data" / "big.yaml").write_text(event.partition("  groups:")[0] + "  source: big.csv\n", "utf-8")
    rows = [SHEET_HEADER] + [
        ["Cá nhân", f"p{n:04d}", f"Nguyễn Văn Số{n}", f"نجوين {n}", "Thanh tra viên", "مفتش", "Thanh tra tỉnh", "هيئة"]
        for n in range(1, awardees + 1)
    ]
    write_csv(folder / "data" / "big.csv", rows)
    return folder


@pytest.mark.slow
def test_a_list_typeset_in_parts_is_one_pdf_and_one_docx_numbered_on(tmp_path):
    awardees = 420
    project = (
        _list_project(tmp_path / "project", awardees, part_rows=100) if (tmp_path / "project").mkdir() is None else None
    )
    assert project is not None
    outputs = {}
    for jobs in ("1", "2"):
        output = tmp_path / f"out-{jobs}"
        code, _, err = run_cli(
            "--project", str(project), "build", "--locale", "vi", "--output", str(output), "-q", "--jobs", jobs
        )
        assert code == 0, err
        outputs[jobs] = output / "directive-35-review" / "vi"
    pdf, docx = outputs["2"] / "awardees.pdf", outputs["2"] / "awardees.docx"

    pages = pdf_pages(pdf)
    numbers = [n for page in pages for n in re.findall(r"^(\d+)$", page, re.MULTILINE)]
    # Every page after the first (which has none, as Decree 30/2020 wants) prints its number on top,
    # going on across the five parts; and the table's header row heads every page.
    assert len(pages) > 5
    for index, page in enumerate(pages[1:], start=2):
        assert page.lstrip().startswith(f"{index}\n"), page[:40]
    for page in pages:
        assert "Họ và tên" in page
    # Every awardee once, in order.
    listed = [int(n) for n in re.findall(r"Nguyễn Văn Số(\d+)", "\n".join(pages))]
    assert listed == list(range(1, awardees + 1))
    assert numbers  # (the row numbers are there too)

    # The DOCX: one table, every row once in order, the header row once (Word repeats it on each page),
    # and the column widths of the first part on every row.
    root = docx_xml(docx)
    tables = root.findall(f".//{W}tbl")
    rows = tables[-1].findall(f"{W}tr")
    texts = ["".join(t.text or "" for t in row.iter(f"{W}t")) for row in rows]
    assert len(rows) == awardees + 1
    assert [int(m) for m in re.findall(r"Nguyễn Văn Số(\d+)", "\n".join(texts))] == list(range(1, awardees + 1))
    assert docx_repeated_header_rows(docx) == [texts[0]]
    grid = [col.get(f"{W}w") for col in tables[-1].findall(f"{W}tblGrid/{W}gridCol")]
    assert {tuple(w.get(f"{W}w") for w in row.iter(f"{W}tcW")) for row in rows} == {tuple(grid)}
    with zipfile.ZipFile(docx) as archive:
        assert archive.testzip() is None

    # Deterministic: the same bytes with one worker or two.
    for name in ("awardees.pdf", "awardees.docx"):
        assert (outputs["1"] / name).read_bytes() == (outputs["2"] / name).read_bytes(), name


def _reference_list(locale: str) -> tuple[str, object, object]:
    """The reference event's awardee list (25 rows) as rendered HTML, its page set-up and a DOCX writer."""
    from reporting.build.pipeline import Job, Selection, load_bundles, plan, render_job
    from reporting.build.workers import make_writer
    from reporting.config import load_project
    from reporting.render import Renderer

    project = load_project(ROOT)
    renderer = Renderer(project)
    bundles = [b for b in load_bundles(project) if b.event.id == "directive-35-review"]
    [job] = [
        j
        for j in plan(bundles, project, Selection(locales=(locale,)), renderer)
        if isinstance(j, Job) and j.template == "awardees.html.j2"
    ]
    return render_job(renderer, job, project), project.page(job.page), make_writer(project, "docx", locale)


@pytest.mark.slow
@pytest.mark.parametrize("locale", ["ar", "vi"])
def test_a_docx_joined_from_parts_holds_what_the_whole_document_holds(locale, tmp_path):
    from reporting.writers.docx_join import write_joined

    html, page, writer = _reference_list(locale)
    parts = split_rows(html, 4)  # 25 rows in two tables: 7 parts, one of them across both tables
    assert parts is not None and len(parts) == 7
    joined, whole = tmp_path / "joined.docx", tmp_path / "whole.docx"
    joined.write_bytes(write_joined(writer, parts, page))  # (raises if the parts did not join)
    whole.write_bytes(writer.write(html, page))

    def table_rows(path):
        return [
            ["".join(t.text or "" for t in cell.iter(f"{W}t")) for cell in row.findall(f"{W}tc")]
            for table in docx_xml(path).findall(f".//{W}tbl")
            for row in table.findall(f"{W}tr")
        ]

    assert table_rows(joined) == table_rows(whole)  # every row once, in order, one header row a table
    assert docx_repeated_header_rows(joined) == docx_repeated_header_rows(whole)
    with zipfile.ZipFile(joined) as a, zipfile.ZipFile(whole) as b:
        assert a.testzip() is None and sorted(a.namelist()) == sorted(b.namelist())
        for name in a.namelist():  # the same package round the body: styles, fonts, header, footer
            if name != "word/document.xml":
                assert a.read(name) == b.read(name), name
    assert write_joined(writer, parts, page) == joined.read_bytes()  # deterministic
