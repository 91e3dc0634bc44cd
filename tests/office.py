"""LibreOffice headless as the tests run it: one conversion, with a profile of its own."""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

needs_libreoffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")


@functools.cache
def libreoffice_version() -> tuple[int, int]:
    """(major, minor) of the installed LibreOffice ((0, 0) when absent): some limits are of one version.
    Asked only by tests that need it (an xfail condition given as a string is evaluated at set-up)."""
    try:
        shown = subprocess.run(["soffice", "--version"], capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.TimeoutExpired):
        return (0, 0)
    found = re.search(r"LibreOffice (\d+)\.(\d+)", shown)
    return (int(found.group(1)), int(found.group(2))) if found else (0, 0)


def convert(
    sources: Sequence[Path],
    folder: Path,
    to: str = "pdf",
    env: Mapping[str, str] | None = None,
    timeout: float = 180,
    profile: Path | None = None,
) -> list[Path]:
    """``sources`` converted by LibreOffice into ``folder`` (``to``: "pdf", "docx:MS Word 2007 XML", ...); the
    converted files, in the order given. Each call has its own profile (``folder/profile`` unless given): other
    soffice runs may be going on, and a profile also keeps the fonts that documents embed."""
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={(profile or folder / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            to,
            "--outdir",
            str(folder),
            *map(str, sources),
        ],
        check=True,
        capture_output=True,
        timeout=timeout,
        env=None if env is None else dict(env),
    )
    suffix = "." + to.split(":")[0]
    return [folder / Path(source).with_suffix(suffix).name for source in sources]
