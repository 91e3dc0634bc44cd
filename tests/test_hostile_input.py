"""Careless and hostile input: one clear message, exit code 1, the output folder untouched.

Each case breaks a private copy of the project in one way, runs the build
in-process over an output folder holding a previous good build, and checks
the message, the exit code and that not one byte of the output changed.
"""

from __future__ import annotations

import hashlib
import http.server
import shutil
import threading
from pathlib import Path

import pytest

from conftest import ROOT, copy_project, run_cli

Q1 = "data/inspectorate-2024-q1.yaml"
D35 = "data/directive-35-review.yaml"


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (hidden temporary files included) with its hash."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def good_output(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("good") / "output"
    code, _, err = run_cli(
        "--project", str(ROOT), "--event", "inspectorate-2024-q1", "--locale", "vi", "--output", str(output), "-q"
    )
    assert code == 0, err
    return output


@pytest.fixture
def hostile(tmp_path, good_output):
    """(project copy, output copy, run) where run() builds and asserts nothing changed."""
    project = copy_project(tmp_path)
    output = tmp_path / "output"
    shutil.copytree(good_output, output)
    before = snapshot(output)

    def run(*extra: str) -> tuple[int, str]:
        code, _, err = run_cli(
            "--project",
            str(project),
            "--event",
            "inspectorate-2024-q1",
            "--locale",
            "vi",
            "--output",
            str(output),
            *extra,
        )
        assert snapshot(output) == before, "the output folder changed"
        assert "Traceback" not in err
        return code, err

    return project, output, run


def edit(project: Path, name: str, old: str, new: str, count: int = 1) -> None:
    path = project / name
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


YAML_CASES = {
    "duplicate key": (
        "date: 2024-04-08",
        "date: 2024-04-08\ndate: 2024-04-09",
        "date: expected each field once, found 'date' again (first on line 34)",
    ),
    "anchor": (
        "part_of_day: afternoon",
        "part_of_day: &p afternoon\nother: *p",
        "found an anchor '&p' (anchors and aliases are not allowed)",
    ),
    "yaml 1.1 boolean": (
        "sample_data: false",
        "sample_data: no",
        "sample_data: expected true/false, or text in quotes, found 'no'",
    ),
    "leading zero": (
        "    value: 17\n",
        "    value: 017\n",
        "figures.admin_inspections.value: expected a number without leading zeros",
    ),
    "impossible date": (
        "date: 2024-04-08",
        "date: 2024-02-30",
        "date: expected a real date YYYY-MM-DD, found '2024-02-30'",
    ),
    "wrong type": (
        "    value: 17\n",
        "    value: [17]\n",
        "figures.admin_inspections.value: expected a number, found a list",
    ),
    "unknown field": (
        "part_of_day: afternoon",
        "part_of_dya: afternoon",
        "part_of_dya: expected a known field, found unknown field 'part_of_dya' (did you mean 'part_of_day'?)",
    ),
    "missing field": ("date: 2024-04-08\n", "", "date: expected this field, found nothing"),
    "tab indentation": ("  start: 2024-01-01", "\tstart: 2024-01-01", "expected spaces for indentation, found a tab"),
    "unknown placeholder": (
        "triển khai {admin_inspections:counted}",
        "triển khai {admin_inspection:counted}",
        "expected a known placeholder, found '{admin_inspection}' (did you mean 'admin_inspections'?)",
    ),
    "bidi override in a name": (
        'vi: "Vũ Gia Long"',
        'vi: "Vũ \u202eGia Long"',
        "chair.name.vi: expected text without bidi control characters, "
        "found U+202E RIGHT-TO-LEFT OVERRIDE at character 4",
    ),
    "control character": (
        'vi: "Vũ Gia Long"',
        'vi: "Vũ\\u0007Gia Long"',
        "expected text without control characters, found U+0007",
    ),
    "glyph missing from the fonts": (
        'vi: "Vũ Gia Long"',
        'vi: "Vũ Gia Long 🎉"',
        "chair.name.vi: expected characters the 'vi' fonts can draw, "
        "found U+1F389 PARTY POPPER ('🎉') in none of Tinos-Regular.ttf",
    ),
    "award count without awards": (
        "triển khai {admin_inspections:counted}",
        "triển khai {awarded_groups}",
        "expected a known placeholder, found '{awarded_groups}'",
    ),
    "date before the period": (
        "date: 2024-04-08",
        "date: 2023-12-31",
        "date: expected a date on or after the period's start (2024-01-01), found 2023-12-31",
    ),
}


@pytest.mark.parametrize(
    "raw, expected",
    [
        (b"", "expected a mapping of fields, found an empty file"),
        (b"id: caf\xe9\n", "expected UTF-8 text, found byte 0xe9"),
        (b"\xef\xbb\xbfid: x\n", "expected UTF-8 without a byte-order mark"),
        (b"a: " + b"x" * 2_100_000, "expected at most 2,000,000 bytes"),
        (b"a: " + b"[" * 30 + b"]" * 30 + b"\n", "expected at most 20 levels of nesting"),
    ],
)
@pytest.mark.slow
def test_unreadable_data_files(hostile, raw, expected):
    project, _, run = hostile
    (project / Q1).write_bytes(raw)
    code, err = run()
    assert code == 1 and f"error: {Q1}" in err and expected in err, err


D35_CASES = {
    "resolved larger than total": (
        "    value: 624\n",
        "    value: 700\n",
        "expected complaints_resolved (700) to be at most complaints_total (629)",
    ),
    "duplicate awardee id": ("id: g02", "id: g01", "awards: expected each awardee id once, found 'g01' twice"),
    "image that does not exist": (
        "emblem: assets/emblem.png",
        "emblem: assets/nope.png",
        "awards.emblem: expected an image file templates/assets/nope.png, found none",
    ),
    "image outside the assets folder": (
        "emblem: assets/emblem.png",
        "emblem: ../../etc/passwd",
        "awards.emblem: expected an image under templates/assets/ named with letters",
    ),
    "stated percentage disagrees": (
        "    part: complaints_resolved\n",
        "    part: complaints_resolved\n    stated_percent: 98.2\n",
        "stated_percent: expected 99.2 (624/629), found 98.2",
    ),
}


DATA_CASES = {
    **{(Q1, case): edit_ for case, edit_ in YAML_CASES.items()},
    **{(D35, case): edit_ for case, edit_ in D35_CASES.items()},
}


@pytest.mark.slow
@pytest.mark.parametrize("data_file, case", sorted(DATA_CASES), ids=[case for _, case in sorted(DATA_CASES)])
def test_data_mistakes(hostile, data_file, case):
    """YAML mistakes (in the Q1 file) and consistency rules (in the Directive 35 file)."""
    project, _, run = hostile
    old, new, expected = DATA_CASES[data_file, case]
    edit(project, data_file, old, new)
    code, err = run()
    assert code == 1 and f"error: {data_file}:" in err and expected in err, err


TEMPLATE_CASES = {
    "undefined variable": (
        "{{ event.title|t }}{% endblock %}",
        "{{ event.titel|t }}{% endblock %}",
        "report.html.j2:{line}: ",
    ),
    "python internals": (
        "{{ event.title|t }}{% endblock %}",
        "{{ event.__class__.__mro__ }}{% endblock %}",
        "report.html.j2:{line}: ",
    ),
    "endless loop": (
        "{% block body %}",
        "{% block body %}{% for a in range(99999) %}{% for b in range(99999) %}{% endfor %}{% endfor %}",
        "stopped after 1 s",
    ),
    "glyph missing from the fonts in template text": (
        '<h2>{{ _("Key figures") }}</h2>',
        '<h2>{{ _("Key figures") }} ✅</h2>',
        "report.html.j2 (vi): expected characters the 'vi' fonts can draw, found U+2705",
    ),
    "data in a style attribute": (
        '<p class="text">{{ _("On',
        '<p class="text" style="color: {{ event.title|t }}">{{ _("On',
        '<p style="..."> is not in the HTML subset',
    ),
}


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(TEMPLATE_CASES))
def test_template_mistakes(hostile, case):
    project, _, run = hostile
    old, new, expected = TEMPLATE_CASES[case]
    template = (project / "templates/report.html.j2").read_text(encoding="utf-8")
    expected = expected.replace("{line}", str(template[: template.index(old)].count("\n") + 1))
    edit(project, "templates/report.html.j2", old, new)
    if case == "endless loop":  # the one case the time limit is for; the others, under load, could run into it
        edit(project, "reporting.toml", "job_time_limit_s = 60", "job_time_limit_s = 1")
    code, err = run()
    assert code == 1 and expected in err, err


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self):
        self.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"p { color: red }")

    def log_message(self, *args):
        pass


@pytest.fixture
def loopback_server():
    server = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    _Recorder.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _Recorder.requests
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    "markup, refused",
    [
        ('<link rel="attachment" href="file:///etc/passwd">', "file:///etc/passwd"),
        ('<img src="file:///etc/hostname">', "file:///etc/hostname"),
        ("<style>@import url({server}/evil.css);</style>", "{server}/evil.css"),
        ('<link rel="stylesheet" href="{server}/evil.css">', "{server}/evil.css"),
        ('<img src="../reporting.toml">', "reporting.toml"),
    ],
)
@pytest.mark.slow
def test_rendering_is_confined_to_the_project(hostile, loopback_server, markup, refused):
    project, _, run = hostile
    server, requests = loopback_server
    edit(project, "templates/base.html.j2", "</head>", markup.format(server=server) + "\n</head>")
    code, err = run("--format", "pdf")
    assert code == 1
    assert "refused to fetch" in err and refused.format(server=server) in err, err
    assert requests == []
