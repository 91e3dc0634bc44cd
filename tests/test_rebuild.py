"""The rebuild loop's parts in-process: outcomes of good and failed builds, problems as the preview shows them."""

from __future__ import annotations

import socket

import pytest

from conftest import copy_project, run_cli
from previewutil import EVENT_FILE, FIGURE_LINE, edit, line_number
from reporting.build.pipeline import Selection
from reporting.build.watch import Rebuilder, watched_paths
from reporting.errors import TemplateError
from reporting.preview.error_page import problem_views
from reporting.preview.listing import documents_of

ONE_REPORT = Selection(events=("inspectorate-2024-q1",), formats=("pdf",))


@pytest.mark.slow
def test_failed_builds_keep_outputs_and_say_where_then_recover(tmp_path):
    project = copy_project(tmp_path)
    rebuilder = Rebuilder(project, tmp_path / "out", ONE_REPORT)
    good = rebuilder.build()
    assert good.ok and good.generation == 1 and problem_views(good) == []
    documents = documents_of(good.result, rebuilder.output)
    report = documents[("inspectorate-2024-q1", "ar", "report")]
    assert report.direction == "rtl" and report.formats == ("pdf",) and 'dir="rtl"' in report.html
    before = report.file(rebuilder.output, "pdf").read_bytes()

    data = project / EVENT_FILE
    edit(data, FIGURE_LINE, FIGURE_LINE.replace("value: 17", "value: seventeen"))
    broken = rebuilder.build([data])
    assert not broken.ok and broken.generation == 2
    [view] = problem_views(broken)
    number = line_number(data, "value: seventeen")
    assert view.location == f"{EVENT_FILE}:{number}:12"
    assert view.field == "figures.admin_inspections.value"
    assert [(line.number, line.offending) for line in view.source] == [
        (number - 1, False),
        (number, True),
        (number + 1, False),
    ]
    assert view.source[1].text == "    value: seventeen"
    assert report.file(rebuilder.output, "pdf").read_bytes() == before

    edit(data, "value: seventeen", "value: 17")
    template = project / "templates" / "report.html.j2"
    edit(template, "{{ event.title|t }}{% endblock %}", "{{ event.title|t }{% endblock %}")
    failed = rebuilder.build([template])
    assert isinstance(failed.error, TemplateError)
    [view] = problem_views(failed)
    assert "report.html.j2" in view.message

    edit(template, "{{ event.title|t }{% endblock %}", "{{ event.title|t }}{% endblock %}")
    assert rebuilder.build([template]).ok


def test_everything_a_build_reads_is_watched(tmp_path):
    project = copy_project(tmp_path)
    assert set(watched_paths(project)) == {project / "data", project / "templates", project / "reporting.toml"}


def test_serve_on_a_taken_port_is_an_error(tmp_path):
    project = copy_project(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, out, err = run_cli("--project", str(project), "serve", "--port", str(port))
    assert code == 1
    assert f"cannot serve on 127.0.0.1:{port}" in err
    assert not (project / "output").exists()


def test_serve_stops_with_an_error_when_the_watch_fails(tmp_path, monkeypatch):
    import reporting.preview.server as server

    def no_watch(*args, **kwargs):
        raise OSError(28, "OS file watch limit reached")

    monkeypatch.setattr(server, "keep_building", no_watch)
    code, out, err = run_cli("--project", str(copy_project(tmp_path)), "serve", "--port", "0")
    assert code == 1
    assert "Preview at http://127.0.0.1:" in out
    assert "cannot watch" in err and "OS file watch limit reached" in err
