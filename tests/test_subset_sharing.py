"""A build's workers share the DOCX font subsets: each made once, by one process, ready before the first document."""

from __future__ import annotations

import fcntl
import io
import threading

import pytest
from fontTools.ttLib import TTFont

from conftest import ROOT
from reporting.writers import docx_fonts, font_subset

FONTS = ROOT / "templates" / "fonts"
AMIRI = docx_fonts.FontFiles("amiri/Amiri-Regular.ttf", bold="amiri/Amiri-Bold.ttf", coverage=docx_fonts.ARABIC)
FILES = {"Amiri": AMIRI}


@pytest.fixture
def fresh(tmp_path, monkeypatch):
    """An empty cache folder and no subset in this process's memory."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(docx_fonts, "_SUBSETS", {})
    return tmp_path / "cache" / "reporting" / "font-subsets"


def _made(monkeypatch) -> list[str]:
    """The fonts this process cuts down from now on (their file names)."""
    made: list[str] = []
    original = docx_fonts._subset

    def counted(data, path, coverage, pages):
        made.append(path.name)
        return original(data, path, coverage, pages)

    monkeypatch.setattr(docx_fonts, "_subset", counted)
    return made


@pytest.mark.slow
def test_prepared_subsets_are_the_ones_documents_embed(fresh, monkeypatch):
    docx_fonts.prepare_subsets(FONTS, FILES, frozenset({"Amiri"}))
    assert len(list(fresh.glob("*.ttf"))) == 2  # regular and bold
    made = _made(monkeypatch)
    for name in ("Amiri-Regular.ttf", "Amiri-Bold.ttf"):
        path = FONTS / "amiri" / name
        monkeypatch.setattr(docx_fonts, "_SUBSETS", {})  # as another worker: from the cache folder
        kept = docx_fonts.subset_font(path.read_bytes(), path, docx_fonts.ARABIC)
        font = TTFont(io.BytesIO(path.read_bytes()), recalcTimestamp=False)  # read whole, not lazily
        cmap = font.getBestCmap()
        assert kept == font_subset.embeddable(font, (code for code in cmap if code in docx_fonts.ARABIC))
    assert made == []


def test_faces_not_embedded_or_embedded_whole_are_not_prepared(fresh, monkeypatch):
    made = _made(monkeypatch)
    docx_fonts.prepare_subsets(FONTS, FILES, frozenset({"Tinos"}))
    whole = {"Amiri": docx_fonts.FontFiles("amiri/Amiri-Regular.ttf")}  # coverage None: the file as it is
    docx_fonts.prepare_subsets(FONTS, whole, frozenset({"Amiri"}))
    assert made == [] and not fresh.exists()


def test_a_subset_another_process_is_making_is_left_to_it_then_waited_for(fresh, monkeypatch):
    made = _made(monkeypatch)
    path = FONTS / "amiri" / "Amiri-Regular.ttf"
    key = (docx_fonts.hashlib.sha256(path.read_bytes()).hexdigest(), docx_fonts.ARABIC, frozenset[int]())
    docx_fonts._cached_on_disk(key, lambda: b"made here", wait=False)  # find the entry's name
    [entry] = fresh.glob("*.ttf")
    entry.unlink()
    with open(entry.with_suffix(".lock"), "a") as other:  # another open file: another process's lock
        fcntl.flock(other, fcntl.LOCK_EX)
        assert docx_fonts._cached_on_disk(key, lambda: b"made here", wait=False) is None
        assert not entry.exists() and made == []

        def finish_elsewhere():
            entry.write_bytes(b"made by the other process")
            fcntl.flock(other, fcntl.LOCK_UN)

        timer = threading.Timer(0.05, finish_elsewhere)
        timer.start()
        assert docx_fonts._cached_on_disk(key, lambda: b"made here") == b"made by the other process"
        timer.join()


def test_an_unwritable_cache_only_costs_the_making(tmp_path, monkeypatch):
    (tmp_path / "cache").write_text("a file where the cache folder would be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    key = ("0" * 64, frozenset({65}), frozenset[int]())
    assert docx_fonts._cached_on_disk(key, lambda: b"made", wait=False) == b"made"
    assert docx_fonts._cached_on_disk(key, lambda: b"made again") == b"made again"
