"""What a build may touch: names confined to its output folder, no links, no overlap with the inputs.

A manifest is read back from disk, where anyone may have edited it: every name
it lists is checked here before the build reads, replaces or deletes that file.
"""

from __future__ import annotations

import os
import re
from pathlib import Path, PurePosixPath

from reporting.errors import OutputOverlapsInputs, UnsafeOutput
from reporting.notices import Notice
from reporting.tool_language import _, isolate

SHA256 = re.compile(r"[0-9a-f]{64}")


def unsafe_name(name: object) -> str | None:
    """Why a manifest's output name may not be used (None: it is a plain relative path)."""
    if not isinstance(name, str) or not name:
        return _("not a file name")
    if "\\" in name or "\0" in name or any(ord(c) < 32 for c in name):
        return _("control characters or backslashes in the name")
    path = PurePosixPath(name)
    if path.is_absolute():
        return _("an absolute path")
    if any(part in ("..", ".") for part in name.split("/")) or "" in name.split("/"):
        return _("a '..' or empty path component")
    if any(part.startswith(".") for part in path.parts):
        return _("a hidden path component")
    return None


def entry_problem(output: Path, name: object, entry: object) -> str | None:
    """Why a manifest entry is not trusted: a bad name, a link on the way, a malformed record."""
    reason = unsafe_name(name)
    if reason is None and isinstance(name, str) and (output / name).resolve() != output.resolve() / name:
        reason = _("it leads through a symbolic link")
    if reason is None and not (
        isinstance(entry, dict)
        and isinstance(entry.get("sha256"), str)
        and SHA256.fullmatch(entry["sha256"])
        and type(entry.get("size")) is int
    ):
        reason = _("no valid sha256 and size recorded")
    if reason is None:
        return None
    text = _("manifest.json lists {name}: {reason}; ignored (never read nor deleted)")
    return Notice(text.format(name=isolate(repr(name)), reason=reason), "untrusted-manifest-entry")


def ensure_no_links(output: Path, target: Path) -> None:
    """Refuse ``target`` if it or a folder between ``output`` and it is a symbolic link:
    the build never writes through a link to somewhere else."""
    path = output
    for part in target.relative_to(output).parts:
        path = path / part
        if path.is_symlink():
            _refuse_link(path)


class LinkCheck:
    """``ensure_no_links`` for the thousands of outputs of one build (or one publication): each folder
    between the output folder and the files is looked at once, each file every time.

    A certificate's folder holds thousands of files: looking at each folder again for each of them
    was 50,000 system calls and as many Paths for 2,000 certificates. A folder looked at is taken as
    it was for the rest of the build; the publication looks again with a check of its own (that is
    when a link would be written through).
    """

    def __init__(self, output: Path):
        self.output = output
        self._prefix = os.path.join(str(output), "")  # "<output>/": the start of every name under it
        self._folders: set[str] = set()  # folders looked at, relative to the output folder ("" is itself)

    def name(self, target: Path | str) -> str:
        """``target``'s name relative to the output folder, with "/" (ValueError if it is not under it)."""
        text = os.fspath(target)
        if not text.startswith(self._prefix):
            return Path(text).relative_to(self.output).as_posix()
        name = text[len(self._prefix) :]
        return name.replace(os.sep, "/") if os.sep != "/" else name

    def check(self, target: Path | str) -> str:
        """Refuse ``target`` as ``ensure_no_links`` does; its name relative to the output folder."""
        name = self.name(target)
        folder = name.rpartition("/")[0]
        if folder not in self._folders:
            ensure_no_links(self.output, self.output / folder)
            self._folders.add(folder)
        if os.path.islink(target):
            _refuse_link(Path(target))
        return name


def _refuse_link(path: Path) -> None:
    raise UnsafeOutput(
        _(
            "{file} is a symbolic link (to {target}); the build does not write through links: remove it and build again"
        ).format(file=isolate(path), target=isolate(os.readlink(path)))
    )


def check_output_folder(project, output: Path) -> None:
    """Refuse an output folder that is, contains or lies inside the project's inputs (``watch`` would
    rebuild forever on its own outputs; a build would overwrite the data)."""
    from reporting.config import CONFIG_NAME

    output, root = output.resolve(), project.root.resolve()
    inside_refused = {
        isolate("data/"): project.data_dir.resolve(),
        isolate("templates/"): project.templates_dir.resolve(),
        isolate(CONFIG_NAME): root / CONFIG_NAME,
    }
    overlaps = [
        (label, path)
        for label, path in inside_refused.items()
        if output.is_relative_to(path) or path.is_relative_to(output)
    ]
    if output == root or root.is_relative_to(output):
        overlaps.insert(0, (_("the project folder"), root))
    if overlaps:
        label, path = overlaps[0]
        raise OutputOverlapsInputs(
            f"{isolate('--output')} {isolate(output)} "
            + _(
                "overlaps {inputs} ({path}): the build would overwrite or rebuild its own inputs; choose a folder "
                "of its own, e.g. {example}"
            ).format(inputs=label, path=isolate(path), example=isolate(root / "output"))
        )
