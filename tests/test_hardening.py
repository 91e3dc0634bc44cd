"""Hostile and unlucky conditions (issue 12): every one a clear message and exit code, never a traceback,
and the outputs (and every file beside them) exactly as they were.

Data mistakes run the build over a copy of a previous good output (``hostile``, from
test_hostile_input) and check that not one byte changed; the rest check the folders
around the command the same way.
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, copy_project, run_cli
from test_hostile_input import D35, Q1, edit, good_output, hostile, snapshot  # noqa: F401 (fixtures)

# Builds on full or read-only disks, signed builds, slow preview clients: nearly every test here takes seconds.
pytestmark = pytest.mark.slow

ID_RULE = "expected an id of lowercase letters a-z, digits 0-9, '-' and '_', starting with a letter or digit"


# -- item 3: new --id --------------------------------------------------------------------------


@pytest.mark.parametrize("bad_id", ["../../x", "Bad Id!", "/tmp/elsewhere", "a" * 65, "-leading-dash"])
def test_new_refuses_an_id_that_is_not_an_id_before_writing_anything(tmp_path, bad_id):
    (tmp_path / "project").mkdir()
    project = copy_project(tmp_path / "project")
    before = snapshot(tmp_path)
    code, out, err = run_cli("--project", str(project), "new", "quarterly", "--period", "2024-Q2", f"--id={bad_id}")
    assert code == 2, err
    assert f"error: --id: {ID_RULE}" in err and "^[a-z0-9]" not in err, err
    assert snapshot(tmp_path) == before  # nothing in data/, nothing beside the project


def test_new_and_check_survive_a_dangling_link_and_a_folder_named_yaml(tmp_path):
    project = copy_project(tmp_path)
    (project / "data" / "gone.yaml").symlink_to(tmp_path / "no-such-file.yaml")
    (project / "data" / "folder.yaml").mkdir()
    code, _, err = run_cli("--project", str(project), "check")
    assert code == 1 and "Traceback" not in err
    assert "data/gone.yaml" in err and "found a symbolic link to" in err and "which does not exist" in err
    assert "data/folder.yaml" in err and "expected a readable YAML file, found a folder" in err
    code, out, err = run_cli("--project", str(project), "new", "quarterly", "--period", "2024-Q2")
    assert code == 0, err
    assert (project / "data" / "inspectorate-2024-q2.yaml").is_file()


# -- item 10: tracebacks that became messages ----------------------------------------------------


@pytest.mark.parametrize(
    "raw, expected",
    [
        (b"id: a\x00b\n", "1:6 expected printable text, found U+0000"),
        ('id: x\nissuer: "a\uffffb"\n'.encode(), "2:11 expected printable text, found U+FFFF"),
        (b"id: x\ntitle: \x1b[31m\n", "2:8 expected printable text, found U+001B"),
        (b"a: " + b"[" * 20_000 + b"]" * 20_000 + b"\n", "expected at most 20 levels of nesting, found more than 100"),
        (b"a:\n" + b"".join(b"  " * n + b"- x:\n" for n in range(1, 500)), "expected at most 20 levels of nesting"),
    ],
)
def test_unprintable_characters_and_deep_nesting_are_data_errors(hostile, raw, expected):
    project, _, run = hostile
    (project / Q1).write_bytes(raw)
    code, err = run()
    assert code == 1 and f"error: {Q1}" in err and expected in err, err
    assert "\x00" not in err and "\x1b[31m" not in err  # the echoed line shows them as symbols


@pytest.mark.parametrize("make", ["dangling link", "folder"])
def test_build_reports_a_data_entry_that_is_not_a_file(hostile, make, tmp_path):
    project, _, run = hostile
    odd = project / "data" / "x.yaml"
    odd.symlink_to(tmp_path / "nowhere") if make == "dangling link" else odd.mkdir()
    code, err = run()
    assert code == 1 and "error: data/x.yaml: 1 problem" in err, err
    assert ("which does not exist" if make == "dangling link" else "found a folder") in err


def _fail_writes_with(monkeypatch, number: int, only: str | None = None) -> None:
    """The machine's answer to a staged write (of the file named ``only``, or of any): ENOSPC or another errno."""
    from reporting.build.publish import StagingArea

    write, write_streamed = StagingArea.write, StagingArea.write_streamed

    def failing(self, target, data):
        if only is None or target.name == only:
            raise OSError(number, os.strerror(number))
        return write(self, target, data)

    def failing_streamed(self, target, pieces):  # the manifest and the print files are written piece by piece
        if only is None or target.name == only:
            raise OSError(number, os.strerror(number))
        return write_streamed(self, target, pieces)

    monkeypatch.setattr(StagingArea, "write", failing)
    monkeypatch.setattr(StagingArea, "write_streamed", failing_streamed)


@pytest.mark.parametrize("number, meaning", [(errno.ENOSPC, "the disk is full"), (errno.EROFS, "read-only")])
def test_a_failing_write_is_a_message_naming_the_file(hostile, monkeypatch, number, meaning):
    _, output, run = hostile
    _fail_writes_with(monkeypatch, number)
    code, err = run("--force", "--jobs", "1")
    assert code == 1, err
    assert f"error: cannot write {output}/inspectorate-2024-q1/vi/report." in err and meaning in err, err


def test_a_failing_manifest_write_leaves_the_outputs(hostile, monkeypatch):
    _, output, run = hostile
    _fail_writes_with(monkeypatch, errno.ENOSPC, "manifest.json")
    code, err = run("--force", "--jobs", "1")
    assert (
        code == 1
        and f"error: cannot write {output}/manifest.json: the disk is full: free some space and build again" in err
    ), err


def _mount_tmpfs(folder: Path, options: str) -> bool:
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        return False
    return (
        subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True).returncode
        == 0
    )


def test_a_really_full_disk(tmp_path):
    """On a 600 KB file system (root only: tmpfs), the first PDFs fill it; nothing is left behind."""
    small = tmp_path / "small"
    if not _mount_tmpfs(small, "size=600k"):
        pytest.skip("cannot mount a small tmpfs here (not root)")
    try:
        code, _, err = run_cli("--project", str(ROOT), "--event", "directive-35-review", "--output", str(small / "out"))
        assert code == 1 and "Traceback" not in err
        assert f"error: cannot write {small}/out/" in err and "the disk is full" in err, err
        assert [p.name for p in small.rglob("*") if p.is_file()] == [".out.lock"]
    finally:
        subprocess.run(["umount", str(small)])


def test_a_read_only_parent_folder(tmp_path):
    """The lock file lives beside the output folder: a read-only parent is named, not a traceback."""
    parent = tmp_path / "read-only"
    mounted = _mount_tmpfs(parent, "ro")
    if not mounted:
        parent.chmod(0o555)
    try:
        code, _, err = run_cli(
            "--project", str(ROOT), "--event", "inspectorate-2024-q1", "--output", str(parent / "out")
        )
        assert code == 1 and "Traceback" not in err
        assert f"error: cannot use {parent}/.out.lock: " in err, err
        assert ("read-only" if mounted else "permission denied") in err
        assert list(parent.iterdir()) == []
    finally:
        subprocess.run(["umount", str(parent)]) if mounted else parent.chmod(0o755)


@pytest.mark.parametrize("where", ["file", "below a file"])
def test_output_pointing_at_a_file_is_a_usage_error(tmp_path, where):
    thesis = tmp_path / "thesis.pdf"
    thesis.write_bytes(b"%PDF-1.7 not ours")
    output = thesis if where == "file" else thesis / "out"
    code, _, err = run_cli("--project", str(ROOT), "--event", "inspectorate-2024-q1", "--output", str(output))
    assert (
        code == 2
        and f"error: --output: expected a folder (new or one an earlier build made), found a file at {thesis}" in err
    )
    assert thesis.read_bytes() == b"%PDF-1.7 not ours" and sorted(p.name for p in tmp_path.iterdir()) == ["thesis.pdf"]


@pytest.mark.parametrize(
    "manifest, found",
    [
        (b"", "found an empty file"),
        (b'{"outputs": ', "found invalid JSON at line 1, column 13"),
        (b"\xff\xfe{}", "expected UTF-8 JSON"),
        (b"[1, 2]", "expected an 'outputs' mapping of files to their sha256 and size"),
        (b'{"outputs": {"a.pdf": {"sha256": 5}}}', "not written by this program, or damaged"),
    ],
)
def test_verify_a_corrupt_manifest(tmp_path, manifest, found):
    (tmp_path / "manifest.json").write_bytes(manifest)
    code, _, err = run_cli("verify", str(tmp_path))
    assert code == 1 and "Traceback" not in err and "error: unreadable: manifest.json" in err and found in err, err
    code, out, err = run_cli("verify", str(tmp_path), "--json")
    document = json.loads(out)
    assert code == 1 and document["exit_code"] == 1 and not document["ok"]
    assert found in document["problems"][0]["message"] and err == ""


@pytest.mark.parametrize("port", ["99999", "-1", "http"])
def test_serve_on_an_impossible_port(port):
    code, _, err = run_cli("--project", str(ROOT), "serve", "--port", port)
    assert code == 2 and f"argument --port: expected a port from 0 (any free one) to 65535, found '{port}'" in err
    code, out, _ = run_cli("--project", str(ROOT), "serve", "--port", port, "--json")
    assert code == 2 and "expected a port from 0" in json.loads(out)["problems"][0]["message"]


# -- item 12: every data text through the font preflight; no system font in any PDF -------------


def _embedded_fonts(pdf: Path) -> set[str]:
    listing = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    return {line.split()[0].split("+")[-1] for line in listing.splitlines()[2:] if line.strip()}


def test_no_system_font_reaches_any_pdf(built):
    """The stylesheets' private families (Report-*) only: a fallback font (DejaVu, Liberation) would mean
    a character slipped past the preflight."""
    pdfs = sorted(built.rglob("*.pdf"))
    assert len(pdfs) == 58  # 2 reports, 2 lists, 2 print files, 52 certificates
    foreign = {
        pdf.relative_to(built).as_posix(): fonts
        for pdf in pdfs
        if (fonts := {f for f in _embedded_fonts(pdf) if not f.startswith("Report-")})
    }
    assert foreign == {}


NAME = 'vi: "Phạm Thị Thu Hương"'


@pytest.mark.parametrize(
    "old, new, field, expected",
    [
        (
            NAME,
            'vi: "Phạm\u1680Thị Thu Hương"',
            "awards.individuals[1].name.vi",
            "expected characters the 'vi' fonts can draw, found U+1680 OGHAM SPACE MARK",
        ),
        (NAME, 'vi: "Phạm\u3000Thị Thu Hương"', "awards.individuals[1].name.vi", "found U+3000 IDEOGRAPHIC SPACE"),
        (
            NAME,
            'vi: "Phạm\u2028Thị Thu Hương"',
            "awards.individuals[1].name.vi",
            "expected text without line or paragraph separators, found U+2028 LINE SEPARATOR at character 5",
        ),
        (NAME, 'vi: "Phạm Thị\\u2029Thu Hương"', "awards.individuals[1].name.vi", "found U+2029 PARAGRAPH SEPARATOR"),
        (
            'decision: "1568/QĐ-UBND"',
            'decision: "1568/QĐ-UBND 😀"',
            "awards.decision",
            "expected characters the 'ar' fonts can draw, found U+1F600 GRINNING FACE",
        ),
        (
            'decision: "1568/QĐ-UBND"',
            'decision: "1568/QĐ\u1680UBND"',
            "awards.decision",
            "found U+1680 OGHAM SPACE MARK",
        ),
    ],
)
def test_check_finds_what_the_fonts_cannot_draw_in_every_text(tmp_path, old, new, field, expected):
    project = copy_project(tmp_path)
    edit(project, D35, old, new)
    line = next(n for n, text in enumerate((project / D35).read_text(encoding="utf-8").split("\n"), 1) if new in text)
    for command in (["check"], ["build", "--output", str(tmp_path / "out")]):
        code, _, err = run_cli("--project", str(project), *command)
        assert code == 1 and "Traceback" not in err, err
        assert f"error: {D35}: 1 problem" in err and f"  {line}:13 {field}: expected " in err and expected in err, err
    assert not (tmp_path / "out").exists()


def test_every_space_the_fonts_have_prints_in_the_project_fonts(tmp_path):
    """No-break, thin and narrow no-break spaces, zero-width joiner and non-joiner are in the fonts:
    allowed, and printed without any fallback font."""
    project = copy_project(tmp_path)
    edit(project, D35, NAME, 'vi: "Phạm\u00a0Thị\u2009Thu\u202fHương"')
    edit(project, D35, 'decision: "1568/QĐ-UBND"', 'decision: "1568/QĐ\u200d-UBND\u200c"')
    output = tmp_path / "out"
    code, _, err = run_cli(
        "--project", str(project), "--event", "directive-35-review", "--format", "pdf", "--output", str(output), "-q"
    )
    assert code == 0, err
    for pdf in output.rglob("*.pdf"):
        assert all(font.startswith("Report-") for font in _embedded_fonts(pdf)), pdf


# -- item 13: messages that stay readable ------------------------------------------------------


def test_a_huge_string_is_not_echoed_in_full(hostile):
    project, _, run = hostile
    huge = "x" * 1_900_000
    edit(project, Q1, "part_of_day: afternoon", f"part_of_day: {huge}")
    code, err = run()
    assert code == 1 and "part_of_day: expected 'morning', 'afternoon' or 'evening', found 'xxx" in err, err
    assert "…" in err and len(err) < 2_000


@pytest.mark.parametrize(
    "key, expected",
    [
        ("k" * 1_000, "expected a known field, found unknown field 'kkk"),
        ("k" * 1_900_000, "invalid YAML: could not find expected ':'"),  # PyYAML's limit for a key: 1,024
    ],
)
def test_a_huge_unknown_key_and_its_line_are_cut(hostile, key, expected):
    project, _, run = hostile
    edit(project, Q1, "part_of_day: afternoon", "part_of_day: afternoon\n" + key + ": 1")
    code, err = run()
    assert code == 1 and expected in err and "…" in err, err
    assert len(err) < 2_000


def test_a_line_separator_does_not_shift_the_lines_reported_after_it(hostile):
    """PyYAML counts U+2028 and U+2029 as line breaks (and folds them to a space inside a quoted
    text); an editor does not, so without care every line after one is reported too low."""
    project, _, run = hostile
    edit(project, Q1, 'vi: "Thanh tra tỉnh Ninh Bình"', 'vi: "Thanh tra\u2028tỉnh\u2029Ninh Bình"')
    edit(project, Q1, "date: 2024-04-08", "date: 2024-02-30")  # a problem further down
    lines = (project / Q1).read_text(encoding="utf-8").split("\n")
    date_line = next(n for n, text in enumerate(lines, 1) if text.startswith("date: 2024-02-30"))
    code, err = run()
    assert code == 1
    assert f"  {date_line}:7 date: expected a real date YYYY-MM-DD, found '2024-02-30'" in err, err
    assert f"    {date_line} | date: 2024-02-30" in err


def test_the_id_rule_is_shown_in_words(hostile):
    project, _, run = hostile
    edit(project, Q1, "id: inspectorate-2024-q1", 'id: "Inspectorate 2024/Q1"')
    code, err = run()
    assert (
        code == 1
        and f"id: {ID_RULE}, at most 64 characters (such as 'directive-35-review'), found 'Inspectorate 2024/Q1'" in err
    ), err
    assert "pattern" not in err and "^[" not in err


# -- items 8 and 9: signatures that mean what they say; key errors that say what is wrong -------


@pytest.fixture(scope="module")
def signed_output(tmp_path_factory):
    """A signed build of the Q1 report (both languages, both formats) and its key."""
    from test_publication import _throwaway_key

    folder = tmp_path_factory.mktemp("signed")
    key = folder / "key.p12"
    _throwaway_key(key, b"secret")
    output = folder / "output"
    os.environ["REPORTING_SIGN_PASSPHRASE"] = "secret"
    try:
        code, _, err = run_cli(
            "--project", str(ROOT), "--event", "inspectorate-2024-q1", "--sign", str(key), "--output", str(output), "-q"
        )
    finally:
        del os.environ["REPORTING_SIGN_PASSPHRASE"]
    assert code == 0, err
    return output, key


@pytest.fixture
def signed_copy(signed_output, tmp_path):
    import shutil

    output = tmp_path / "output"
    shutil.copytree(signed_output[0], output)
    code, out, err = run_cli("verify", str(output))
    assert code == 0 and "ok: 4 files" in out, err
    return output


REPORT = "inspectorate-2024-q1/vi/report.pdf"


def _rehash(output: Path, name: str) -> None:
    """What someone covering their tracks does: the manifest updated to the edited file."""
    import hashlib

    manifest = json.loads((output / "manifest.json").read_text(encoding="utf-8"))
    data = (output / name).read_bytes()
    manifest["outputs"][name].update(sha256=hashlib.sha256(data).hexdigest(), size=len(data))
    (output / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _append_annotation(pdf: Path) -> None:
    """An incremental update adding a note to page 1: the signed bytes stay intact and valid."""
    import io

    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf.read_bytes()))
    page = writer.root["/Pages"].raw_get("/Kids")[0].get_object()
    note = writer.add_object(
        generic.DictionaryObject(
            {
                generic.NameObject("/Type"): generic.NameObject("/Annot"),
                generic.NameObject("/Subtype"): generic.NameObject("/Text"),
                generic.NameObject("/Rect"): generic.ArrayObject([generic.FloatObject(v) for v in (10, 10, 30, 30)]),
                generic.NameObject("/Contents"): generic.TextStringObject("void"),
            }
        )
    )
    page[generic.NameObject("/Annots")] = generic.ArrayObject([note])
    writer.update_container(page)
    buffer = io.BytesIO()
    writer.write(buffer)
    pdf.write_bytes(buffer.getvalue())


def test_verify_refuses_a_signed_pdf_changed_after_signing(signed_copy):
    _append_annotation(signed_copy / REPORT)
    _rehash(signed_copy, REPORT)
    code, _, err = run_cli("verify", str(signed_copy))
    assert code == 1, err
    assert (
        "error: invalid signature: report.pdf (field Signature: the file was changed after signing "
        "(expected the signature to cover the whole file, found later additions" in err
    ), err
    assert "error: invalid signature: manifest.json was changed after it was signed (manifest.json.p7s)" in err


def test_verify_detects_files_and_manifest_edited_together(signed_copy):
    """The DOCX carries no signature of its own: the signed manifest is what protects it."""
    docx = "inspectorate-2024-q1/vi/report.docx"
    (signed_copy / docx).write_bytes(b"PK forged")
    _rehash(signed_copy, docx)
    code, _, err = run_cli("verify", str(signed_copy))
    assert code == 1 and err.count("error:") == 1, err
    assert "error: invalid signature: manifest.json was changed after it was signed" in err


def test_verify_refuses_signed_pdfs_whose_manifest_signature_was_removed(signed_copy):
    (signed_copy / "manifest.json.p7s").unlink()
    code, _, err = run_cli("verify", str(signed_copy))
    assert code == 1 and "error: unsigned: manifest.json has no manifest.json.p7s, though its PDFs are signed" in err, (
        err
    )


def test_verify_refuses_a_manifest_signed_by_another_key(signed_copy, tmp_path, monkeypatch):
    from reporting.build.signing import PdfSigner
    from test_publication import _throwaway_key

    other = tmp_path / "other.p12"
    _throwaway_key(other, b"other")
    monkeypatch.setenv("REPORTING_SIGN_PASSPHRASE", "other")
    signature = PdfSigner(other).sign_data((signed_copy / "manifest.json").read_bytes())
    (signed_copy / "manifest.json.p7s").write_bytes(signature)
    code, _, err = run_cli("verify", str(signed_copy))
    assert (
        code == 1
        and "error: invalid signature: manifest.json.p7s is by Common Name: Test secretariat, "
        "not by the key that signed the PDFs"
        in err
    ), err


def test_an_unsigned_rebuild_removes_the_manifest_signature(signed_copy):
    code, _, err = run_cli(
        "--project", str(ROOT), "--event", "inspectorate-2024-q1", "--output", str(signed_copy), "-q"
    )
    assert code == 0, err
    assert not (signed_copy / "manifest.json.p7s").exists()
    code, _, err = run_cli("verify", str(signed_copy))
    assert code == 0, err


def _key_file(tmp_path: Path, kind: str) -> Path:
    from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12

    from test_publication import _throwaway_key

    path = tmp_path / f"{kind}.p12"
    if kind == "folder":
        path.mkdir()
    elif kind == "pem":
        path.write_text("-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n")
    elif kind in ("good", "certificate only"):
        _throwaway_key(path, b"secret")
        if kind == "certificate only":
            _, certificate, _ = pkcs12.load_key_and_certificates(path.read_bytes(), b"secret")
            path.write_bytes(
                pkcs12.serialize_key_and_certificates(b"x", None, certificate, None, BestAvailableEncryption(b"secret"))
            )
    return path


@pytest.mark.parametrize(
    "kind, passphrase, expected",
    [
        ("missing", "secret", "expected a PKCS#12 file (.p12 or .pfx), found no file"),
        ("folder", "secret", "expected a PKCS#12 file (.p12 or .pfx), found a folder"),
        ("pem", "secret", "expected a PKCS#12 file (.p12 or .pfx), found other content (a PEM key or certificate?"),
        ("certificate only", "secret", "expected a private key in it, found only certificates"),
        ("good", "wrong", "wrong passphrase in $REPORTING_SIGN_PASSPHRASE"),
        ("good", None, "it is protected by a passphrase: set $REPORTING_SIGN_PASSPHRASE"),
    ],
)
def test_signing_key_problems_are_said_plainly(tmp_path, monkeypatch, capfd, kind, passphrase, expected):
    key = _key_file(tmp_path, kind)
    if passphrase is None:
        monkeypatch.delenv("REPORTING_SIGN_PASSPHRASE", raising=False)
    else:
        monkeypatch.setenv("REPORTING_SIGN_PASSPHRASE", passphrase)
    output = tmp_path / "out"
    code, _, err = run_cli(
        "--project",
        str(ROOT),
        "--event",
        "inspectorate-2024-q1",
        "--format",
        "pdf",
        "--sign",
        str(key),
        "--output",
        str(output),
    )
    assert code == 1 and err == f"error: cannot use the signing key {key}: {expected}" + err.split(expected, 1)[-1], err
    assert err.count("\n") == 1  # the message alone
    leaked = capfd.readouterr()
    assert "Traceback" not in leaked.err + leaked.out  # nothing from pyHanko's logging either
    assert not output.exists()


# -- item 11: a cache that cannot be written only costs time -----------------------------------


def test_an_unwritable_cache_only_costs_time(tmp_path, monkeypatch):
    selection = ("--project", str(ROOT), "--event", "directive-35-review", "--locale", "vi", "--format", "pdf", "-q")
    code, _, err = run_cli(*selection, "--output", str(tmp_path / "usual"))
    assert code == 0, err
    blocked = tmp_path / "cache-is-a-file"
    blocked.write_bytes(b"")  # nothing can be created below it, not even by root
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    code, _, err = run_cli(*selection, "--output", str(tmp_path / "no-cache"))
    assert code == 0, err
    usual, uncached = (
        json.loads((tmp_path / name / "manifest.json").read_text())["outputs"] for name in ("usual", "no-cache")
    )
    assert len(usual) == 28 and {n: e["sha256"] for n, e in uncached.items()} == {
        n: e["sha256"] for n, e in usual.items()
    }
    assert blocked.read_bytes() == b""


# -- item 15: the preview's HTTP side ----------------------------------------------------------


@pytest.fixture
def preview_server(tmp_path):
    """The preview's server in this process, with no build behind it (the HTTP side alone)."""
    import threading

    from reporting.build.watch import Rebuilder
    from reporting.preview.server import PreviewServer
    from reporting.preview.state import Preview

    preview = Preview(Rebuilder(ROOT, tmp_path / "output"))
    server = PreviewServer(preview, 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    preview.close()
    server.shutdown()
    server.server_close()


def _get(port: int, path: str, host: str | None) -> tuple[int, bytes]:
    import socket

    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        header = f"Host: {host}\r\n" if host is not None else ""
        connection.sendall(f"GET {path} HTTP/1.0\r\n{header}\r\n".encode())
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    return int(answer.split(b" ", 2)[1]), answer


def test_preview_answers_only_to_its_own_names(preview_server):
    port = preview_server.server_address[1]
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"LOCALHOST:{port}", f"[::1]:{port}"):
        assert _get(port, "/", host)[0] == 200, host
    # DNS rebinding: a page of attacker.example whose name now points at 127.0.0.1 sends its own name.
    for host in (f"attacker.example:{port}", "attacker.example", f"127.0.0.1:{port + 1}", "127.0.0.1", None):
        code, body = _get(port, "/status", host)
        assert code == 421 and b"generation" not in body, host


@pytest.mark.parametrize(
    "path", ["/files/%00.pdf", "/files/a%00b/report.pdf", "/templates/css/%00.css", "/doc/x/ar/report/%00"]
)
def test_preview_refuses_a_nul_in_a_path(preview_server, capfd, path):
    port = preview_server.server_address[1]
    assert _get(port, path, f"127.0.0.1:{port}")[0] == 400
    assert _get(port, "/", f"127.0.0.1:{port}")[0] == 200  # and carries on
    assert "Traceback" not in capfd.readouterr().err


def test_preview_bounds_slow_and_idle_clients(preview_server, monkeypatch):
    """A hundred clients that send half a request: at most MAX_CONNECTIONS threads, the rest answered 503
    at once; after REQUEST_TIMEOUT_S the stalled ones are dropped and the preview answers again."""
    import select
    import socket
    import threading
    import time

    from reporting.preview import server as module

    monkeypatch.setattr(module.PreviewHandler, "timeout", 3)
    port = preview_server.server_address[1]
    threads_before = threading.active_count()
    slow = []
    for _ in range(100):
        connection = socket.create_connection(("127.0.0.1", port), timeout=5)
        connection.sendall(b"GET / HTTP/1.0\r\nHost: 127.0.0.1")  # and never the rest
        slow.append(connection)
    time.sleep(0.5)
    assert threading.active_count() - threads_before <= module.MAX_CONNECTIONS
    answered, _, _ = select.select(slow, [], [], 0.5)
    assert len(answered) >= 100 - module.MAX_CONNECTIONS
    assert all(connection.recv(100).startswith(b"HTTP/1.0 503 Service Unavailable") for connection in answered)
    time.sleep(module.PreviewHandler.timeout + 1)
    assert _get(port, "/", f"127.0.0.1:{port}")[0] == 200
    assert threading.active_count() <= threads_before + 1
    for connection in slow:
        connection.close()


def test_preview_listen_backlog(preview_server):
    from reporting.preview.server import LISTEN_BACKLOG

    port = preview_server.server_address[1]
    listing = subprocess.run(["ss", "-ltnH", f"sport = :{port}"], capture_output=True, text=True).stdout.split()
    assert listing[0] == "LISTEN" and int(listing[2]) == LISTEN_BACKLOG == 64


# -- item 16: messages without a translation ---------------------------------------------------


def _relabel(project: Path) -> None:
    edit(project, "templates/report.html.j2", '_("Chair and participants")', '_("Chair and all participants")')


def _untranslated(locale: str) -> str:
    return (
        f"untranslated message 'Chair and all participants' in report.html.j2 ({locale}): the '{locale}' documents "
        f"print it untranslated; translate it in templates/locale/{locale}/LC_MESSAGES/messages.po"
    )


def test_a_message_without_translation_is_a_warning(hostile):
    project, output, _ = hostile
    _relabel(project)
    selection = ("--project", str(project), "--event", "inspectorate-2024-q1", "--output", str(output))
    code, out, err = run_cli(*selection)
    assert code == 0, err
    assert f"warning: {_untranslated('ar')}" in err and f"warning: {_untranslated('vi')}" in err, err
    code, out, _ = run_cli(*selection, "--json")
    document = json.loads(out)
    assert code == 0 and document["ok"]
    assert [p["severity"] for p in document["problems"]] == ["warning", "warning"]
    assert document["warnings"] == [p["message"] for p in document["problems"]]
    assert _untranslated("ar") in document["warnings"][0]


def test_strict_fails_on_every_warning_and_writes_nothing(hostile):
    project, _, run = hostile
    _relabel(project)
    edit(project, "templates/report.html.j2", "{% block body %}", "{% block body %}<p>{{ _('Only in English') }}</p>")
    code, err = run("--strict", "--force")
    assert code == 1
    lines = err.splitlines()
    assert lines[-1] == "2 warnings with --strict; nothing was written.", err  # vi only: the hostile selection
    assert lines[0].startswith(f"error: {_untranslated('vi')}") and "'Only in English'" in lines[1], err


def test_strict_passes_on_the_reference_project(tmp_path):
    """The README's CI recipe: the reference templates and catalogs have no untranslated message."""
    code, _, err = run_cli(
        "--project", str(ROOT), "build", "--strict", "--format", "docx", "--output", str(tmp_path / "out"), "-q"
    )
    assert code == 0 and err == "", err


def test_the_preview_shows_untranslated_messages(tmp_path):
    from reporting.build.pipeline import Selection
    from reporting.build.watch import Rebuilder
    from reporting.preview import pages
    from reporting.preview.state import Preview

    project = copy_project(tmp_path)
    _relabel(project)
    preview = Preview(Rebuilder(project, tmp_path / "out", Selection(("inspectorate-2024-q1",), ("ar",), ("docx",))))
    outcome = preview.build()
    assert outcome.ok and outcome.result.warnings == [
        _untranslated("ar") + " (build_reports.py i18n update adds it if it is missing)"
    ]
    page = pages.index_page(preview)
    assert 'id="warnings"' in page and "1 warning: the documents are built" in page
    assert "untranslated message &#39;Chair and all participants&#39; in report.html.j2 (ar)" in page
