"""Links on the way to an output are refused with each folder looked at once a build (a certificate's
folder holds thousands of files), and looked at again when the files are published."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reporting.build import output_paths
from reporting.build.output_paths import LinkCheck
from reporting.build.publish import STAGING_NAME, Staging
from reporting.errors import UnsafeOutput


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def test_names_are_relative_to_the_output_folder(tmp_path):
    links = LinkCheck(tmp_path / "out")
    assert (
        links.check(tmp_path / "out" / "event" / "vi" / "certificates" / "01-a.pdf") == "event/vi/certificates/01-a.pdf"
    )
    assert links.name(str(tmp_path / "out" / "manifest.json")) == "manifest.json"
    with pytest.raises(ValueError):
        links.name(tmp_path / "elsewhere" / "x.pdf")
    with pytest.raises(ValueError):  # a sibling whose name starts like the output folder's
        links.name(tmp_path / "out-2" / "x.pdf")


def test_each_folder_is_looked_at_once_each_file_every_time(tmp_path, monkeypatch):
    output = tmp_path / "out"
    folders: list[Path] = []
    looked_at = output_paths.ensure_no_links
    monkeypatch.setattr(output_paths, "ensure_no_links", lambda out, path: folders.append(path) or looked_at(out, path))
    links = LinkCheck(output)
    for number in range(500):
        links.check(output / "event" / "vi" / "certificates" / f"{number}.pdf")
    links.check(output / "event" / "vi" / "certificates.pdf")
    assert folders == [output / "event" / "vi" / "certificates", output / "event" / "vi"]
    (output / "event" / "vi" / "certificates").mkdir(parents=True)
    (output / "event" / "vi" / "certificates" / "7.pdf").symlink_to(tmp_path / "x.pdf")
    with pytest.raises(UnsafeOutput, match="7.pdf is a symbolic link"):
        links.check(output / "event" / "vi" / "certificates" / "7.pdf")


@pytest.mark.parametrize("linked", ["event", "event/vi/certificates"])
def test_a_linked_folder_is_refused(tmp_path, linked):
    output, sibling = tmp_path / "out", tmp_path / "sibling"
    sibling.mkdir()
    (output / linked).parent.mkdir(parents=True, exist_ok=True)
    (output / linked).symlink_to(sibling)
    with pytest.raises(UnsafeOutput, match=f"{output / linked} is a symbolic link"):
        LinkCheck(output).check(output / "event" / "vi" / "certificates" / "1.pdf")


def test_a_folder_made_a_link_after_the_build_looked_at_it_is_refused_when_published(tmp_path):
    """The build's own look (once a folder) does not stand for the publication's."""
    output, sibling = tmp_path / "out", tmp_path / "sibling"
    sibling.mkdir()
    (sibling / "1.pdf").write_bytes(b"someone else's")
    target = output / "event" / "certificates" / "1.pdf"
    target.parent.mkdir(parents=True)
    links, staging = LinkCheck(output), Staging(output)
    links.check(target)
    staging.prepare(target)
    staging.area.write(target, b"new certificate")
    staging.adopt("event/certificates/1.pdf")
    target.parent.rmdir()
    target.parent.symlink_to(sibling)
    before = snapshot(sibling)
    with pytest.raises(UnsafeOutput, match="certificates is a symbolic link"):
        staging.commit()
    assert snapshot(sibling) == before


def test_staging_folders_are_made_again_after_a_discard(tmp_path):
    output = tmp_path / "out"
    target = output / "event" / "certificates" / "1.pdf"
    staging = Staging(output)
    staging.prepare(target)
    staging.discard()
    assert not (output / STAGING_NAME).exists()
    staging.prepare(target)  # the same Staging (serve and watch build again in one process)
    staging.area.write(target, b"pdf")
    staging.adopt("event/certificates/1.pdf")
    staging.commit()
    assert target.read_bytes() == b"pdf" and not os.path.lexists(output / STAGING_NAME)
