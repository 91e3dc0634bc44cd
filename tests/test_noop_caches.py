"""What every build reads before writing (font facts, compiled templates) comes from the cache once made."""

from __future__ import annotations

import json
import shutil
import sys

import pytest

from conftest import ROOT
from reporting import font_facts

TINOS = ROOT / "templates" / "fonts" / "tinos" / "Tinos-Regular.ttf"


def test_facts_are_read_once_then_come_from_the_cache_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    facts = font_facts.font_facts(TINOS)
    assert facts.family == "Tinos"
    assert ord("ạ") in facts.characters and ord("ب") not in facts.characters
    kept = list((tmp_path / "cache" / "reporting" / "font-facts").glob("*.json"))
    assert len(kept) == 1

    def no_reading(path):
        raise AssertionError("read the font again")

    monkeypatch.setattr(font_facts, "_read", no_reading)
    assert font_facts.font_facts(TINOS) == facts


def test_a_changed_font_file_is_read_again(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    font = tmp_path / "face.ttf"
    shutil.copy(TINOS, font)
    assert font_facts.font_facts(font).family == "Tinos"
    font.write_bytes(b"not a font")
    assert font_facts.font_facts(font) == font_facts.FontFacts(None, frozenset())


def test_a_damaged_cache_entry_is_read_past(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    facts = font_facts.font_facts(TINOS)
    (entry,) = (tmp_path / "cache" / "reporting" / "font-facts").glob("*.json")
    entry.write_text(json.dumps({"version": 1, "family": "Tinos"}), encoding="utf-8")
    assert font_facts.font_facts(TINOS) == facts


@pytest.mark.slow
def test_a_build_with_the_facts_cached_does_not_import_font_tools(tmp_path, monkeypatch):
    import subprocess

    env = {"XDG_CACHE_HOME": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    code = (
        "import sys; from reporting.config import load_project; from reporting.source.preflight import font_characters;"
        "from pathlib import Path; p = load_project(Path(sys.argv[1]));"
        "[font_characters(p.templates_dir / f) for face in p.fonts.values() for f in face.files];"
        "print('fontTools' in sys.modules)"
    )
    runs = [
        subprocess.run([sys.executable, "-c", code, str(ROOT)], env=env, cwd=ROOT, capture_output=True, text=True)
        for _ in range(2)
    ]
    assert [run.stdout.strip() for run in runs] == ["True", "False"], [run.stderr for run in runs]


def test_templates_compiled_once_come_from_the_cache_folder(tmp_path, monkeypatch):
    import jinja2

    from reporting.config import load_project
    from reporting.render import Renderer

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    project = load_project(ROOT)
    first = Renderer(project).environment("vi")[0].get_template("certificates.html.j2")
    assert list((tmp_path / "cache" / "reporting" / "jinja").glob("*/__jinja2_*.cache"))
    compiled = []
    original = jinja2.Environment.compile

    def compile_(self, *args, **kwargs):
        compiled.append(args)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", compile_)
    second = Renderer(project).environment("vi")[0].get_template("certificates.html.j2")
    assert compiled == [] and second.name == first.name


def test_an_unwritable_template_cache_only_costs_the_compiling(tmp_path, monkeypatch):
    from reporting.config import load_project
    from reporting.render import Renderer

    (tmp_path / "cache").write_text("a file where the cache folder would be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    template = Renderer(load_project(ROOT)).environment("ar")[0].get_template("certificates.html.j2")
    assert template.name == "certificates.html.j2"
