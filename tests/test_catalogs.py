"""The translation workflow: extract, update, check (a warning, fatal under --strict)."""

from __future__ import annotations

import pytest

from conftest import ROOT, copy_project, run_cli


@pytest.mark.slow
def test_reference_catalogs_translate_every_message():
    code, out, err = run_cli("--project", str(ROOT), "i18n", "check", "--strict")
    assert code == 0, err
    assert "ok: ar: every message translated" in out and "ok: vi: every message translated" in out


@pytest.mark.slow
def test_untranslated_message_warns_and_strict_fails(tmp_path):
    project = copy_project(tmp_path)
    po = project / "templates/locale/vi/LC_MESSAGES/messages.po"
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "Số liệu chủ yếu"', 'msgstr ""'), encoding="utf-8")
    code, _, err = run_cli("--project", str(project), "i18n", "check")
    assert code == 0 and "warning: vi: untranslated: 'Key figures'" in err
    code, _, err = run_cli("--project", str(project), "i18n", "check", "--strict")
    assert code == 1 and "error: vi: untranslated: 'Key figures'" in err


@pytest.mark.slow
def test_update_brings_a_new_template_message_into_every_catalog(tmp_path):
    project = copy_project(tmp_path)
    template = project / "templates/report.html.j2"
    template.write_text(
        template.read_text(encoding="utf-8").replace(
            '<h2>{{ _("Key figures") }}</h2>',
            '<h2>{{ _("Key figures") }}</h2><p>{{ _("Figures are provisional.") }}</p>',
        ),
        encoding="utf-8",
    )
    code, out, _ = run_cli("--project", str(project), "i18n", "update")
    assert code == 0 and "updated templates/locale/ar/LC_MESSAGES/messages.po" in out
    for locale in ("ar", "vi"):
        assert 'msgid "Figures are provisional."' in (
            project / f"templates/locale/{locale}/LC_MESSAGES/messages.po"
        ).read_text(encoding="utf-8")
    assert 'msgid "Figures are provisional."' in (project / "templates/locale/messages.pot").read_text(encoding="utf-8")
    code, _, err = run_cli("--project", str(project), "i18n", "check", "--strict")
    assert code == 1 and "error: ar: untranslated: 'Figures are provisional.'" in err


def test_compile_reports_a_broken_catalog(tmp_path):
    project = copy_project(tmp_path)
    assert run_cli("--project", str(project), "i18n", "compile")[0] == 0
    po = project / "templates/locale/ar/LC_MESSAGES/messages.po"
    po.write_text(po.read_text(encoding="utf-8") + '\nmsgid "dangling\n', encoding="utf-8")
    code, _, err = run_cli("--project", str(project), "i18n", "compile")
    assert code == 1 and "templates/locale/ar/LC_MESSAGES/messages.po" in err and "invalid catalog" in err
