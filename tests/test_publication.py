"""Publication under stress: a killed build loses nothing, two builds never write one folder at once."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import time

import pytest

from conftest import ROOT, copy_project, run_cli
from previewutil import ctrl_c_as_at_a_terminal
from test_hostile_input import snapshot

# Whole builds, interrupted, repeated, archived and signed.
pytestmark = pytest.mark.slow


def test_a_second_build_on_the_same_output_stops_with_a_clear_message(tmp_path):
    output = tmp_path / "output"
    with open(tmp_path / ".output.lock", "a+") as handle:  # what a running build holds
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        handle.write("4242")
        handle.flush()
        code, _, err = run_cli(
            "--project",
            str(ROOT),
            "--event",
            "inspectorate-2024-q1",
            "--locale",
            "vi",
            "--format",
            "pdf",
            "--output",
            str(output),
        )
    assert code == 1
    assert (
        f"another build (process 4242) is writing to {output}; wait for it to finish or choose another --output" in err
    )
    assert not output.exists()


def test_kill_9_in_the_middle_leaves_the_previous_outputs_intact(tmp_path):
    project = copy_project(tmp_path)
    output = tmp_path / "output"
    assert run_cli("--project", str(project), "--event", "directive-35-review", "--output", str(output), "-q")[0] == 0
    before = snapshot(output)
    data = project / "data" / "directive-35-review.yaml"
    data.write_text(data.read_text(encoding="utf-8").replace("value: 624", "value: 625"), encoding="utf-8")

    build = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "build_reports.py"),
            "--project",
            str(project),
            "--event",
            "directive-35-review",
            "--output",
            str(output),
            "--force",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        bufsize=0,
        preexec_fn=ctrl_c_as_at_a_terminal,
    )
    _wait_for_progress(build, written=20)  # well inside the write phase
    os.kill(build.pid, signal.SIGKILL)
    build.wait()

    after = {name: digest for name, digest in snapshot(output).items() if not name.startswith(".reporting-staging/")}
    assert after == before  # every output is the previous good one; nothing half-written
    assert run_cli("--project", str(project), "--event", "directive-35-review", "--output", str(output), "-q")[0] == 0
    assert not (output / ".reporting-staging").exists()  # the next build cleared what the killed one staged
    assert snapshot(output) != before  # and published the corrected figure


@pytest.mark.parametrize("how", ["SIGTERM to the build", "Ctrl-C to its process group"])
def test_an_interrupted_build_removes_what_it_staged_and_says_so(tmp_path, how):
    project = copy_project(tmp_path)
    output = tmp_path / "output"
    assert run_cli("--project", str(project), "--event", "directive-35-review", "--output", str(output), "-q")[0] == 0
    before = snapshot(output)
    build = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "build_reports.py"),
            "--project",
            str(project),
            "--event",
            "directive-35-review",
            "--output",
            str(output),
            "--force",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        bufsize=0,
        preexec_fn=ctrl_c_as_at_a_terminal,
        start_new_session=True,
    )
    _wait_for_progress(build, written=20)
    if how.startswith("SIGTERM"):
        os.kill(build.pid, signal.SIGTERM)
    else:
        os.killpg(build.pid, signal.SIGINT)  # what a terminal sends: the build and its workers
    err = build.communicate(timeout=60)[1].decode()
    assert build.returncode == 130, err
    assert "interrupted: nothing was published; the previous outputs are as they were" in err
    assert "Traceback" not in err
    assert snapshot(output) == before  # every previous output as it was, and no staged file left


def _wait_for_progress(build: subprocess.Popen, written: int) -> None:
    """Read the build's progress up to its ``written``-th file. The pipe is shrunk to a page and read
    unbuffered, so the build cannot get more than about fifty lines ahead of this reader: a build whose
    certificates take well under a second would otherwise be done before a loaded machine lets the test
    send its signal."""
    fcntl.fcntl(build.stderr.fileno(), fcntl.F_SETPIPE_SZ, 4096)
    deadline = time.monotonic() + 60
    for line in iter(build.stderr.readline, b""):
        if line.decode().replace(" ", "").startswith(f"[{written}/") or time.monotonic() > deadline:
            return
    raise AssertionError("the build ended before it could be killed")


def test_manifest_and_verify(tmp_path):
    output = tmp_path / "output"
    assert run_cli("--project", str(ROOT), "--event", "inspectorate-2024-q1", "--output", str(output), "-q")[0] == 0
    code, out, _ = run_cli("verify", str(output))
    assert code == 0 and "ok: 4 files" in out

    import json

    manifest = json.loads((output / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["outputs"]) == {
        f"inspectorate-2024-q1/{locale}/report.{f}" for locale in ("ar", "vi") for f in ("pdf", "docx")
    }
    assert (
        "data/inspectorate-2024-q1.yaml" in manifest["sources"] and "templates/report.html.j2" in manifest["templates"]
    )
    assert manifest["libraries"]["weasyprint"] == "70.0"

    report = output / "inspectorate-2024-q1/vi/report.pdf"
    report.write_bytes(report.read_bytes().replace(b"%%EOF", b"%%EOX"))
    (output / "inspectorate-2024-q1/ar/report.docx").unlink()
    (output / "stray.txt").write_text("x")
    code, _, err = run_cli("verify", str(output))
    assert code == 1
    assert "error: altered: inspectorate-2024-q1/vi/report.pdf" in err
    assert "error: missing: inspectorate-2024-q1/ar/report.docx" in err
    assert "error: extra: stray.txt" in err


def test_two_builds_give_identical_bytes(tmp_path):
    for name in ("one", "two"):
        assert (
            run_cli(
                "--project",
                str(ROOT),
                "--event",
                "directive-35-review",
                "--locale",
                "ar",
                "--output",
                str(tmp_path / name),
                "-q",
            )[0]
            == 0
        )
    assert snapshot(tmp_path / "one") == snapshot(tmp_path / "two")


def test_archive_builds_pdf_a_3b_with_its_source_attached(tmp_path):
    import subprocess

    import pikepdf

    from textutil import pdf_text

    outputs = []
    for name in ("one", "two"):
        output = tmp_path / name
        code, _, err = run_cli(
            "--project",
            str(ROOT),
            "--event",
            "inspectorate-2024-q1",
            "--format",
            "pdf",
            "--archive",
            "--output",
            str(output),
            "-q",
        )
        assert code == 0, err
        outputs.append(output)
    assert snapshot(outputs[0]) == snapshot(outputs[1])  # reproducible, attachment dates from the data

    source = (ROOT / "data" / "inspectorate-2024-q1.yaml").read_bytes()
    for locale in ("ar", "vi"):
        path = outputs[0] / "inspectorate-2024-q1" / locale / "report.pdf"
        assert subprocess.run(["qpdf", "--check", str(path)], capture_output=True).returncode == 0
        with pikepdf.open(path) as pdf:
            with pdf.open_metadata() as xmp:
                assert (xmp.get("pdfaid:part"), xmp.get("pdfaid:conformance")) == ("3", "B")
                issuer = {"ar": "هيئة التفتيش الإقليمية في نينه بينه", "vi": "Thanh tra tỉnh Ninh Bình"}[locale]
                assert issuer in str(xmp.get("dc:creator"))  # the issuing body
                assert xmp.get("dc:title") and xmp.get("dc:description")  # title and subject
            assert len(pdf.Root.OutputIntents) == 1
            assert str(pdf.Root.Lang) == locale
            attached = pdf.attachments["inspectorate-2024-q1.yaml"]
            assert attached.obj.AFRelationship == pikepdf.Name.Source
            assert attached.obj.EF.F.Subtype == pikepdf.Name("/application/yaml")
            assert attached.get_file().read_bytes() == source
            assert len(bytes(pdf.trailer.ID[0])) == 32
            assert "/StructTreeRoot" in pdf.Root and pdf.Root.MarkInfo.Marked  # tagged for accessibility
        assert "Thanh tra" in pdf_text(path) or "التفتيش" in pdf_text(path)


def _written(output, *argv) -> set[str]:
    code, out, err = run_cli(
        "--project", str(output.parent / "project"), "--event", "directive-35-review", "--output", str(output), *argv
    )
    assert code == 0, err
    return {line.split("] ", 1)[1] for line in err.splitlines() if line.startswith("[")}


def test_incremental_rebuilds_write_exactly_what_changed(tmp_path):
    (tmp_path / "project").mkdir()
    project = copy_project(tmp_path / "project")
    output = tmp_path / "output"
    first = _written(output)
    assert len(first) == 110
    before = snapshot(output)

    assert _written(output) == set()  # nothing changed: nothing written
    assert snapshot(output) == before

    data = project / "data" / "directive-35-review.yaml"
    data.write_text(
        data.read_text(encoding="utf-8").replace('vi: "Phạm Thị Thu Hương"', 'vi: "Phạm Thị Thu Hường"'),
        encoding="utf-8",
    )
    changed = _written(output)
    folder = "output/directive-35-review/vi/"
    # The list, the print file and that awardee's certificate. The other certificates whose names are
    # typeset with it (the individuals of its chunk) may come out with other bytes, when the new name
    # brings a letter their shared font subset lacked (here: ờ); no other file is rewritten.
    names = {name.split(str(tmp_path) + "/")[-1] for name in changed}
    assert {
        folder + "awardees.pdf",
        folder + "awardees.docx",
        folder + "certificates.pdf",
        folder + "certificates/12-i02-pham-thi-thu-huong.pdf",
        folder + "certificates/12-i02-pham-thi-thu-huong.docx",
    } <= names
    others = names - {
        folder + "awardees.pdf",
        folder + "awardees.docx",
        folder + "certificates.pdf",
        folder + "certificates/12-i02-pham-thi-thu-huong.docx",
    }
    assert all(re.fullmatch(folder + r"certificates/\d\d-i\d\d-[a-z-]+\.pdf", name) for name in others), others

    css = project / "templates" / "css" / "certificate.css"
    css.write_text(css.read_text(encoding="utf-8").replace("#a01818", "#a01819"), encoding="utf-8")
    changed = _written(output)
    assert len(changed) == 2 * 26 and all(name.endswith(".pdf") and "certificates" in name for name in changed)

    assert len(_written(output, "--force")) == 110


def _throwaway_key(path, passphrase: bytes) -> None:
    """A self-signed signing certificate made for this test only."""
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test secretariat")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True)
        .sign(key, hashes.SHA256())
    )
    path.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"test", key, certificate, None, serialization.BestAvailableEncryption(passphrase)
        )
    )


def test_signed_archive_verifies_and_a_tampered_file_does_not(tmp_path, monkeypatch):
    import io

    from pyhanko.pdf_utils.reader import PdfFileReader

    key = tmp_path / "key.p12"
    _throwaway_key(key, b"secret")
    monkeypatch.setenv("REPORTING_SIGN_PASSPHRASE", "secret")
    output = tmp_path / "output"
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
        "-q",
    )
    assert code == 0, err
    report = output / "inspectorate-2024-q1" / "vi" / "report.pdf"
    (signature,) = PdfFileReader(io.BytesIO(report.read_bytes())).embedded_signatures
    assert signature.signer_cert.subject.human_friendly == "Common Name: Test secretariat"
    code, out, err = run_cli("verify", str(output))
    assert code == 0, err
    import subprocess

    assert subprocess.run(["qpdf", "--check", str(report)], capture_output=True).returncode == 0

    data = bytearray(report.read_bytes())
    data[data.find(b"/Producer") + 12] ^= 1  # one bit inside the signed range
    report.write_bytes(bytes(data))
    code, _, err = run_cli("verify", str(output))
    assert code == 1
    assert "error: invalid signature: report.pdf (field Signature: modified after signing)" in err


def test_wrong_passphrase_is_a_clear_error(tmp_path, monkeypatch):
    key = tmp_path / "key.p12"
    _throwaway_key(key, b"secret")
    monkeypatch.setenv("REPORTING_SIGN_PASSPHRASE", "wrong")
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
        str(tmp_path / "out"),
    )
    assert code == 1 and f"error: cannot use the signing key {key}" in err and "Traceback" not in err


# Publication is crash-atomic: a kill -9 between two renames of the publish phase leaves a journal that
# verify (or the next build) rolls forward. 4 documents + the manifest = 5 renames; the points below are
# before the first, after the first, mid-way, just before the manifest, and after it (cleanup pending).
@pytest.mark.parametrize(
    "pause_after, finisher", [(0, "verify"), (1, "build"), (2, "verify"), (4, "build"), (5, "verify")]
)
def test_kill_9_inside_the_rename_phase_is_rolled_forward(tmp_path, pause_after, finisher):
    project = copy_project(tmp_path)
    output = tmp_path / "output"
    sibling = tmp_path / "sibling"
    sibling.mkdir()
    (sibling / "thesis.pdf").write_bytes(b"not ours")
    event = ("--event", "inspectorate-2024-q1")
    assert run_cli("--project", str(project), *event, "--output", str(output), "-q")[0] == 0
    data = project / "data" / "inspectorate-2024-q1.yaml"
    data.write_text(data.read_text(encoding="utf-8").replace("date: 2024-04-08", "date: 2024-04-09"), encoding="utf-8")
    reference = tmp_path / "reference"  # what an uninterrupted build of the changed data publishes
    assert run_cli("--project", str(project), *event, "--output", str(reference), "-q")[0] == 0
    before_sibling = snapshot(sibling)

    build = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "build_reports.py"),
            "--project",
            str(project),
            *event,
            "--output",
            str(output),
            "--jobs",
            "1",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "REPORTING_TEST_PUBLISH_PAUSE_AFTER": str(pause_after)},
    )
    for line in build.stderr:
        if line.startswith(f"publish: paused after {pause_after} rename(s)"):
            break
    else:
        raise AssertionError(f"the build ended without pausing (exit {build.wait()})")
    os.kill(build.pid, signal.SIGKILL)
    build.wait()
    assert (output / ".reporting-staging" / "publish.json").is_file()  # killed inside the publication

    if finisher == "verify":
        code, out, err = run_cli("verify", str(output))
        assert code == 0, err
        assert "completed the publication of an interrupted build" in err
        assert "ok: 4 files" in out
    else:
        code, out, err = run_cli("--project", str(project), *event, "--output", str(output))
        assert code == 0, err
        assert "completed the publication of an interrupted build" in err
        assert "Wrote 0 files, 4 unchanged" in out + err  # the killed build's files were all published
    assert snapshot(output) == snapshot(reference)  # the new generation, complete, manifest included
    assert snapshot(sibling) == before_sibling
    assert run_cli("verify", str(output))[0] == 0


def test_a_damaged_publication_journal_is_refused_not_followed(tmp_path):
    project = copy_project(tmp_path)
    output = tmp_path / "output"
    sibling = tmp_path / "sibling"
    sibling.mkdir()
    (sibling / "thesis.pdf").write_bytes(b"not ours")
    event = ("--event", "inspectorate-2024-q1", "--locale", "vi", "--format", "pdf")
    assert run_cli("--project", str(project), *event, "--output", str(output), "-q")[0] == 0
    staging = output / ".reporting-staging"
    staging.mkdir()
    (staging / "owner").write_text("staging folder of a reporting build; removed by the next build\n")
    digest = hashlib.sha256(b"not ours").hexdigest()
    (staging / "publish.json").write_text(json.dumps({"rename": [], "remove": {"../sibling/thesis.pdf": digest}}))
    before = snapshot(sibling)
    for argv in (("verify", str(output)), ("--project", str(project), *event, "--output", str(output))):
        code, _, err = run_cli(*argv)
        assert code == 1, err
        assert f"{staging / 'publish.json'} is damaged (it is written whole, so someone edited it)" in err
        assert "Traceback" not in err
    assert snapshot(sibling) == before
