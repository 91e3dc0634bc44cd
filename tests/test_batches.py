"""Certificate batches: chunked typesetting, the fast DOCX path, workers, the print file, file names."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest

from conftest import LOCALES, ROOT, copy_project, run_cli, with_crop_marks_and_bleed
from reporting.build import chunks
from reporting.build import pipeline as build
from reporting.build.file_names import awardee_stem
from reporting.build.workers import make_writer
from reporting.config import load_project
from reporting.ui.progress import ProgressBar
from reporting.writers.docx_batch import CertificateDocx
from test_hostile_input import snapshot
from textutil import pdf_pages, pdf_text, squeeze

D35 = "directive-35-review"


def _certificate_sets(project_root: Path, size: int = 50):
    project = load_project(project_root)
    bundles = build.load_bundles(project)
    renderer = build.Renderer(project)
    items = build.plan(bundles, project, build.Selection(), renderer)
    sets = [item for item in items if isinstance(item, build.CertificateSet)]
    return project, renderer, {s.locale: (s, build.render_certificate_set(renderer, s, project, size)) for s in sets}


@pytest.fixture(scope="module")
def reference_sets():
    return _certificate_sets(ROOT)


@pytest.mark.slow
@pytest.mark.parametrize("locale", LOCALES)
def test_a_certificate_cut_from_its_chunk_is_the_certificate_rendered_alone(reference_sets, locale):
    project, renderer, sets = reference_sets
    item, rendered = sets[locale]
    singles = [html for chunk in rendered for html in chunk.singles]
    assert len(singles) == 25
    for awardee, html in zip(item.awardees, singles, strict=True):
        job = build.Job(item.bundle, locale, "certificates.html.j2", "certificate", item.print_stem, (awardee,))
        assert html == build.render_job(renderer, job, project)


def test_cutting_refuses_html_of_another_shape():
    assert chunks.single_certificates('<p>one</p><section class="page" data-per-awardee>x</section>', 2) is None
    assert chunks.single_certificates("<body></body>", 1) is None
    assert chunks.single_certificates("<body><div data-per-awardee><p>open</body>", 1) is None
    # The certificate classes alone do not mark an awardee's page: the template declares it.
    assert chunks.single_certificates('<body><section class="page certificate">x</section></body>', 1) is None
    assert chunks.cut([1, 2, 3, 4, 5], 2) == [(1, 2), (3, 4), (5,)]


def test_each_awardees_page_is_the_element_the_template_marks():
    """Any element marked data-per-awardee, whatever its tag and classes, nested elements of its kind included."""
    head, tail = '<html><head><style>p {}</style></head><body><div class="running-footer">1</div>', "</body></html>"
    pages = [
        '<div class="diploma" data-per-awardee><div><p>A</p></div></div>',
        '<div class="diploma" data-per-awardee=""><p>B</p><div data-per-awardee-note>n</div></div>',
    ]
    html = head + "\n".join(pages) + tail
    assert chunks.single_certificates(html, 2) == [head + page + tail for page in pages]
    assert chunks.join([html, head + pages[0] + tail]) == head + "\n".join(pages) + "\n" + pages[0] + tail


@pytest.mark.slow
@pytest.mark.parametrize("locale", LOCALES)
def test_fast_docx_is_byte_for_byte_the_general_writers(reference_sets, locale):
    project, _, sets = reference_sets
    _, rendered = sets[locale]
    singles = [html for chunk in rendered for html in chunk.singles]
    geometry = project.page("certificate")
    fast = CertificateDocx(make_writer(project, "docx", locale))
    made = [fast.write(html, geometry) for html in singles]
    assert fast.fast >= 20  # most certificates take the prepared document...
    general = make_writer(project, "docx", locale)
    for html, data in zip(singles, made, strict=True):
        assert data == general.write(html, geometry)  # ...and come out exactly as the general writer's


@pytest.mark.slow
def test_a_batch_told_its_second_certificate_writes_its_first_without_the_general_writer(reference_sets):
    """The worker tells the writer a second certificate first: the first is then made from the prepared
    document, one whole general write fewer a batch, and every certificate keeps its bytes."""
    project, _, sets = reference_sets
    _, rendered = sets["vi"]
    singles = [html for chunk in rendered for html in chunk.singles][-6:]  # individuals: one shape
    geometry = project.page("certificate")
    told = CertificateDocx(make_writer(project, "docx", "vi"))
    untold = CertificateDocx(make_writer(project, "docx", "vi"))
    told.expect(singles[1], geometry)
    assert [told.write(html, geometry) for html in singles] == [untold.write(html, geometry) for html in singles]
    assert told.general == untold.general - 1 and told.fast == untold.fast + 1


@pytest.mark.slow
def test_fast_docx_matches_for_hostile_and_mixed_script_names(tmp_path):
    """Names the fast path must refuse (Latin inside Arabic, spacing, markup characters) or get right."""
    project_root = copy_project(tmp_path)
    data = project_root / "data" / "directive-35-review.yaml"
    text = data.read_text(encoding="utf-8")
    awkward = ["Nguyễn Văn A & B <C>", "Trần  Thị   Lan", 'Lê \\"Quote\\" Anh', "أحمد Nguyen", "Đinh 35-CT/TW"]
    originals = re.findall(r'^        vi: "([^"]*)"$', text.split("  individuals:")[1], flags=re.M)
    for original, name in zip(originals, awkward, strict=False):  # the first few names
        text = text.replace(f'vi: "{original}"', f'vi: "{name}"', 1)
    text = text.replace('ar: "نجوين فان هونغ"', 'ar: "Nguyễn Văn Hùng نجوين"')  # Latin inside Arabic
    data.write_text(text, encoding="utf-8")
    project, _, sets = _certificate_sets(project_root, size=7)
    for locale, (_, rendered) in sets.items():
        singles = [html for chunk in rendered for html in chunk.singles]
        fast = CertificateDocx(make_writer(project, "docx", locale))
        general = make_writer(project, "docx", locale)
        geometry = project.page("certificate")
        for html in singles:
            assert fast.write(html, geometry) == general.write(html, geometry)
        assert fast.fast and fast.general


@pytest.mark.slow
def test_certificate_bytes_depend_on_the_data_only_not_on_jobs_or_incremental_builds(tmp_path):
    project = copy_project(tmp_path, root="certificate-batch")  # 12 awardees: three chunks of 5, 5 and 2
    (project / "reporting.toml").write_text(
        (project / "reporting.toml")
        .read_text(encoding="utf-8")
        .replace("job_time_limit_s = 60", "job_time_limit_s = 60\ncertificate_chunk = 5"),
        encoding="utf-8",
    )
    common = ["--project", str(project), "-q"]
    assert run_cli(*common, "--output", str(tmp_path / "one"), "--jobs", "1")[0] == 0
    assert run_cli(*common, "--output", str(tmp_path / "two"), "--jobs", "2")[0] == 0
    assert snapshot(tmp_path / "one") == snapshot(tmp_path / "two")

    data = project / "data" / "batch.yaml"
    data.write_text(
        data.read_text(encoding="utf-8").replace('vi: "Phạm Thị Thu Hương"', 'vi: "Phạm Thị Thu Hường"'),
        encoding="utf-8",
    )
    code, _, err = run_cli("--project", str(project), "--output", str(tmp_path / "one"))
    assert code == 0
    rewritten = {line.split("] ", 1)[1] for line in err.splitlines() if line.startswith("[")}
    vi_pdfs = {name for name in rewritten if "/vi/certificates/" in name and name.endswith(".pdf")}
    # Only certificates typeset with that awardee's (its chunk of five) can change, and only those whose
    # bytes do: layered, the others of the chunk share the variable layer's font subset, not every page.
    assert any("pham-thi-thu-huong" in name for name in vi_pdfs)
    assert 1 <= len(vi_pdfs) <= 5, vi_pdfs
    assert run_cli(*common, "--output", str(tmp_path / "fresh"), "--jobs", "2")[0] == 0
    incremental, fresh = snapshot(tmp_path / "one"), snapshot(tmp_path / "fresh")
    assert incremental == fresh


@pytest.mark.slow
def test_every_certificate_pdf_is_a_valid_standalone_file_with_its_awardee(tmp_path):
    project_root = copy_project(tmp_path, root="certificate-batch")  # groups and individuals, one chunk
    output = tmp_path / "output"
    assert run_cli("--project", str(project_root), "--format", "pdf", "--output", str(output), "-q")[0] == 0
    project, _, sets = _certificate_sets(project_root)
    for locale, (item, _) in sets.items():
        for awardee, stem in zip(item.awardees, item.stems, strict=True):
            path = output / stem.with_suffix(".pdf")
            check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
            assert check.returncode == 0, check.stdout + check.stderr
            text = squeeze(pdf_text(path))
            assert squeeze(awardee.name[locale]) in text
            own = " ".join(t[locale] for t in (awardee.name, awardee.position, awardee.unit) if t)
            others = [a.name[locale] for a in item.awardees if a is not awardee and a.name[locale] not in own]
            assert not [name for name in others if squeeze(name) in text]  # its page only, not its chunk's
            with pikepdf.open(path) as pdf:
                assert len(pdf.pages) == 1
                assert [round(float(v)) for v in pdf.pages[0].mediabox] == [0, 0, 842, 595]


@pytest.mark.slow
def test_print_file_with_duplex_backs_crop_marks_and_bleed(tmp_path):
    project = copy_project(tmp_path)
    with_crop_marks_and_bleed(project)
    output = tmp_path / "output"
    assert (
        run_cli(
            "--project",
            str(project),
            "--event",
            D35,
            "--locale",
            "vi",
            "--format",
            "pdf",
            "--duplex",
            "--output",
            str(output),
            "-q",
        )[0]
        == 0
    )
    folder = output / D35 / "vi"
    with pikepdf.open(folder / "certificates.pdf") as pdf:
        assert len(pdf.pages) == 50
        front, back = pdf.pages[0], pdf.pages[1]
        bleed = 3 * 72 / 25.4
        assert [round(float(v), 1) for v in front.obj.TrimBox] == [0, 0, 841.9, 595.3]
        assert round(float(front.mediabox[0]), 1) == round(-bleed, 1)
        assert not back.get("/Contents")  # the blank back
    pages = pdf_pages(folder / "certificates.pdf")
    singles = sorted((folder / "certificates").glob("*.pdf"))
    assert [squeeze(p) for p in pages[0::2]] == [squeeze(pdf_text(s)) for s in singles]
    assert not any(p.strip() for p in pages[1::2])
    with pikepdf.open(singles[0]) as single:  # each certificate alone is cut to the paper size
        assert [round(float(v)) for v in single.pages[0].mediabox] == [0, 0, 842, 595]
        assert "/BleedBox" not in single.pages[0].obj


@pytest.mark.slow
def test_print_file_follows_the_sorted_list_order(tmp_path):
    project = copy_project(tmp_path)
    data = project / "data" / "directive-35-review.yaml"
    data.write_text(data.read_text(encoding="utf-8").replace("order: data", "order: sorted"), encoding="utf-8")
    output = tmp_path / "output"
    assert (
        run_cli(
            "--project",
            str(project),
            "--event",
            D35,
            "--locale",
            "vi",
            "--format",
            "pdf",
            "--output",
            str(output),
            "-q",
        )[0]
        == 0
    )
    folder = output / D35 / "vi"
    names = [squeeze(line) for line in pdf_text(folder / "awardees.pdf").splitlines() if line.strip()]
    pages = [squeeze(page) for page in pdf_pages(folder / "certificates.pdf")]
    _, _, sets = _certificate_sets(project)
    item, _ = sets["vi"]
    positions = [next(i for i, line in enumerate(names) if squeeze(a.name["vi"]) in line) for a in item.awardees]
    data_order = [g.id for g in _event(project).awards.groups] + [i.id for i in _event(project).awards.individuals]
    assert positions == sorted(positions) and [a.id for a in item.awardees] != data_order
    assert [a.serial for a in item.awardees] == list(range(1, len(item.awardees) + 1))  # register No. = list No.
    for awardee, page in zip(item.awardees, pages, strict=True):
        assert squeeze(awardee.name["vi"]) in page


def _event(project: Path):
    from reporting.source.load import load_event

    return load_event(project / "data" / "directive-35-review.yaml", ("ar", "vi")).event


@pytest.mark.parametrize(
    "names, expected",
    [
        (["Nguyễn Thị Hằng"], "07-i03-nguyen-thi-hang"),
        (["CON"], "07-i03-con"),
        (["\u202eevil\u202c"], "07-i03-evil"),
        (["محمد"], "07-i03"),
        (["x" * 300], "07-i03-" + "x" * 40),
    ],
)
def test_file_names_are_ascii_stable_and_safe_everywhere(names, expected):
    stem = awardee_stem(7, "i03", names)
    assert stem == expected
    assert re.fullmatch(r"[a-z0-9-]+", stem) and len(stem) <= 80


def test_progress_bar_shows_count_and_time_left():
    stream = io.StringIO()
    now = [0.0]
    bar = ProgressBar(stream, str, clock=lambda: now[0])
    now[0] = 4.0
    bar(100, 400, Path("ar/certificates/x.pdf"))
    assert "100/400 files  25%  ~12 s left  ar/certificates/x.pdf" in stream.getvalue()
    now[0] = 16.0
    bar(400, 400, Path("done.pdf"))
    assert stream.getvalue().endswith("400/400 files 100%  done.pdf\n")


def test_jobs_must_be_a_positive_number():
    code, _, err = run_cli("--project", str(ROOT), "build", "--jobs", "0")
    assert code == 2 and "expected a whole number of at least 1, found '0'" in err


@pytest.mark.slow
def test_benchmark_runs_and_prints_its_figures(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "certificates.py"),
            "3",
            "--format",
            "pdf",
            "--path",
            "certificates",
            "--path",
            "layered",
            "--path",
            "chunked",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    for label in (
        r"certificates only \(\d+ processes, layered, print files included; --document certificates\)",
        r"whole event \(\d+ processes, layered certificates, print files, reports, lists\)",
        r"chunked \(\d+ processes, whole certificates 50 to a document\)",
    ):
        assert re.search(
            label + r": wall [\d.]+ s  per certificate [\d.]+ ms  certificates/s [\d.]+  peak RSS \d+ MB", result.stdout
        ), result.stdout


@pytest.mark.slow
def test_a_renamed_awardees_old_files_are_removed_and_nothing_else(tmp_path):
    project = copy_project(tmp_path, root="certificate-batch")
    output = tmp_path / "output"
    common = ["--project", str(project), "--locale", "vi", "--output", str(output), "-q"]
    assert run_cli(*common)[0] == 0
    (output / "notes.txt").write_text("mine")  # not the build's: never touched
    folder = output / "certificate-batch" / "vi" / "certificates"
    old = sorted(folder.glob("09-i07-*"))
    assert [p.suffix for p in old] == [".docx", ".pdf"]
    data = project / "data" / "batch.yaml"
    data.write_text(
        data.read_text(encoding="utf-8").replace('vi: "Hoàng Văn Long"', 'vi: "Hoàng Văn Lộc"'), encoding="utf-8"
    )
    untouched = {p: p.stat().st_mtime_ns for p in folder.glob("*.pdf") if p not in old}
    assert len(untouched) == 11

    assert run_cli(*common[:-1], "--format", "pdf", "-q")[0] == 0  # PDFs only: the old DOCX stays
    assert not old[1].exists() and old[0].exists() and (folder / "09-i07-hoang-van-loc.pdf").is_file()
    # Layered certificates typeset with the renamed one share its variable layer, whose font subset a new
    # letter changes: they may be rewritten (a known cost of layering), but none is removed.
    assert all(p.is_file() for p in untouched)
    code, out, _ = run_cli(*common[:-1])
    assert code == 0 and "removed certificate-batch/vi/certificates/09-i07-hoang-van-long.docx" in out
    assert not old[0].exists() and (output / "notes.txt").read_text() == "mine"
    code, out, err = run_cli("verify", str(output))
    assert code == 1 and "notes.txt" in err  # verify still reports what is not the build's
    (output / "notes.txt").unlink()
    assert run_cli("verify", str(output))[0] == 0


@pytest.mark.slow
def test_fast_docx_checks_every_text_it_substitutes_not_only_those_that_changed():
    """The first document's own texts go through the template too: one with doubled spaces (which the
    general writer collapses) must not be pasted as it is."""
    from reporting.config import PageGeometry
    from reporting.writers.docx import DocxWriter

    def html(name, position):
        return (
            '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>t</title></head>'
            f"<body><p>{name}</p><p>{position}</p></body></html>"
        )

    geometry = PageGeometry()
    fast, general = CertificateDocx(DocxWriter(embed_fonts=False)), DocxWriter(embed_fonts=False)
    for document in (html("Lan", "A  B"), html("Hoa", "C D"), html("Mai", "A  B"), html("Tú", "E F")):
        assert fast.write(document, geometry) == general.write(document, geometry)
    assert fast.fast == 1  # the last one; the third holds a text to collapse


@pytest.mark.slow
def test_the_list_gets_the_time_limit_once_per_500_awardees(reference_sets):
    """An event of 15,000 awardees was stopped at 60 s typesetting its list; the limit is for a template
    that loops without end, so a document listing the awardees gets it once per 500 of them."""
    from reporting.build.limits import scaled

    project, renderer, _ = reference_sets
    jobs = [
        item
        for item in build.plan(build.load_bundles(project), project, build.Selection(), renderer)
        if isinstance(item, build.Job) and item.template == "awardees.html.j2"
    ]
    assert jobs and all(job.rows == 25 for job in jobs)
    assert scaled(60, 25) == 60 and scaled(60, 500) == 60
    assert scaled(60, 15_000) == 1_800


@pytest.mark.slow
def test_fast_docx_falls_back_where_the_writer_measures_a_varying_text(tmp_path):
    """A no-wrap cell's column is sized from its text (docx_tables): a template whose marker sits there
    would give every certificate the first one's widths, so it is checked and given up."""
    project_root = copy_project(tmp_path)
    template = project_root / "templates" / "certificates.html.j2"
    name = re.search(r'<p class="awardee"[^>]*>.*?</p>', template.read_text(encoding="utf-8"))
    assert name, "the template's name paragraph"
    template.write_text(
        template.read_text(encoding="utf-8").replace(
            name[0], '<table class="layout"><tr><td>{{ awardee.name|t }}</td><td>.</td></tr></table>'
        ),
        encoding="utf-8",
    )
    css = project_root / "templates" / "css" / "certificate.css"
    css.write_text(
        css.read_text(encoding="utf-8") + "\ntable.layout td:first-child { white-space: nowrap; }\n", encoding="utf-8"
    )
    project, _, sets = _certificate_sets(project_root, size=7)
    _, rendered = sets["vi"]
    singles = [html for chunk in rendered for html in chunk.singles]
    fast = CertificateDocx(make_writer(project, "docx", "vi"))
    general = make_writer(project, "docx", "vi")
    geometry = project.page("certificate")
    for html in singles:
        assert fast.write(html, geometry) == general.write(html, geometry)
    assert fast.general >= 1
