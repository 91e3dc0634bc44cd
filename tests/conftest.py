"""Shared fixtures: the reference project built once per test session, in both formats."""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pytest

from reporting.cli import main

# The tool speaks the language of the environment: tests read its English unless they ask for another
# (their subprocesses inherit this too).
for _variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
    os.environ.pop(_variable, None)
os.environ["LANG"] = "C.UTF-8"

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ("ar", "vi")
# Fixtures that cost the fast tier too much: every test using one is marked slow (a marker cannot go on a fixture).
SLOW_FIXTURES = {"built"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def english_between_tests():
    """A run in-process chooses the tool's language for the whole process (--ui-language vi stays after
    main returns, as in a real process): every test starts and ends with the English it asserts."""
    from reporting import tool_language

    tool_language.use("en")
    yield
    tool_language.use("en")


def run_cli(*argv: str) -> tuple[int, str, str]:
    """Run the command line in-process; returns (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """The output folder of a full build of the reference data (data/)."""
    output = tmp_path_factory.mktemp("output")
    code, out, err = run_cli("--project", str(ROOT), "build", "--output", str(output), "--quiet")
    assert code == 0, err
    return output


ROOTS = ROOT / "tests" / "roots"


def copy_project(destination: Path, root: str | None = None) -> Path:
    """A private copy of the project (config, templates, data) a test may break.

    With ``root``, the data is that of the small project ``tests/roots/<root>/`` instead of the
    reference data, and so is its ``reporting.toml`` if it has one; the templates are always the real ones.
    """
    source = ROOTS / root if root else ROOT
    config = source / "reporting.toml"
    shutil.copy(config if config.is_file() else ROOT / "reporting.toml", destination / "reporting.toml")
    shutil.copytree(ROOT / "templates", destination / "templates")
    shutil.copytree(source / "data", destination / "data")
    return destination


def with_crop_marks_and_bleed(project: Path) -> None:
    """The project's print settings with crop marks and 3 mm of bleed: pages carry trim and bleed boxes."""
    config = project / "reporting.toml"
    config.write_text(
        config.read_text(encoding="utf-8")
        .replace("crop_marks = false", "crop_marks = true")
        .replace("bleed_mm = 0", "bleed_mm = 3"),
        encoding="utf-8",
    )
