"""Property tests: whatever a name contains, the build succeeds with it in both formats or fails cleanly."""

from __future__ import annotations

import json
import tempfile
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import copy_project, run_cli
from test_hostile_input import snapshot
from textutil import docx_text, letters, pdf_text

# Hypothesis builds a certificate for each generated name.
pytestmark = pytest.mark.slow

vietnamese = st.sampled_from(
    list("aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯ ") + ["\u0300", "\u0301", "\u0303", "\u0309", "\u0323"]
)
arabic = st.sampled_from(
    list("ابتثجحخدذرسشصضطظعغفقكلمنهوي ءأإآةى") + ["\u064b", "\u064e", "\u064f", "\u0650", "\u0651", "\u0652", "\u0640"]
)
hostile = st.sampled_from(
    [
        "\u200d",
        "\u200c",
        "\u202e",
        "\u2066",
        "\u0007",
        "\x00",
        "😀",
        "👨\u200d👩\u200d👧",
        "<",
        ">",
        "&",
        '"',
        "{",
        "}",
        "'",
        "\\",
        "35-CT/TW",
        "e\u0301",
        "\ufeff",
    ]
)
names = (
    st.lists(st.one_of(vietnamese, arabic, hostile), min_size=1, max_size=60).map("".join).filter(lambda s: s.strip())
)
long_names = st.text(alphabet=st.sampled_from(list("Nguyễn Văn Thị ")), min_size=200, max_size=400).filter(
    lambda s: s.strip()
)


def yaml_string(text: str) -> str:
    """A YAML double-quoted scalar (JSON's escapes are YAML's) for any text."""
    return json.dumps(text, ensure_ascii=True)


def build_with(tmp_path, name: str):
    tmp_path = Path(tempfile.mkdtemp(dir=tmp_path))  # Hypothesis runs every example in one tmp_path
    project = tmp_path / "project"
    project.mkdir()
    copy_project(project, root="one-awardee")
    event = project / "data" / "event.yaml"
    event.write_text(
        event.read_text(encoding="utf-8")
        .replace('"AR_NAME"', yaml_string(name))
        .replace('"VI_NAME"', yaml_string(name)),
        encoding="utf-8",
    )
    output = tmp_path / "output"
    before = snapshot(output) if output.exists() else {}
    code, _, err = run_cli("--project", str(project), "--output", str(output), "-q")
    return code, err, output, before


def check_outcome(code: int, err: str, output, before, name: str) -> None:
    assert "Traceback" not in err
    assert not [p for p in output.rglob("*.tmp")] if output.exists() else True
    if code != 0:
        assert code == 1 and err.startswith("error: "), err
        assert (snapshot(output) if output.exists() else {}) == before
        return
    expected = letters(unicodedata.normalize("NFC", name))
    for locale in ("ar", "vi"):
        (pdf,) = (output / "one-awardee" / locale / "certificates").glob("*.pdf")
        assert expected in letters(pdf_text(pdf)), (locale, name)
        assert expected in letters(docx_text(pdf.with_suffix(".docx"))), (locale, name)


@settings(max_examples=10, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=names)
def test_any_name_prints_or_fails_cleanly(tmp_path, name):
    check_outcome(*build_with(tmp_path, name), name)


@settings(max_examples=3, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=long_names)
def test_very_long_names_print_or_fail_cleanly(tmp_path, name):
    check_outcome(*build_with(tmp_path, name), name)


def test_a_name_too_long_for_one_page_is_refused_not_spilled(tmp_path):
    code, err, output, _ = build_with(tmp_path, "Nguyễn Văn " * 40)
    assert code == 1
    # the name's box on the certificate (data-variable="name"): shrunk to 70% it still does not fit
    assert (
        "certificates/01-i01-nguyen-van-nguyen-van-nguyen-van-nguyen.pdf: awardee i01: the name does not fit "
        "its box on the certificate even at 70% of its size"
    ) in err
    assert not output.exists()


def test_decomposed_vietnamese_is_printed_as_precomposed(tmp_path):
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Hằng")
    code, err, output, _ = build_with(tmp_path, decomposed)
    assert code == 0, err
    (pdf,) = (output / "one-awardee" / "vi" / "certificates").glob("*.pdf")
    assert "Nguyễn Thị Hằng" in pdf_text(pdf)
    assert "Nguyễn Thị Hằng" in docx_text(pdf.with_suffix(".docx"))
