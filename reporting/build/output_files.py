"""The files a build wrote or left unchanged, kept as names relative to the output folder.

A big event's build answers for 400,000 files: as Paths (a list of their parts each) they were a
quarter of the main process. The names are the strings the ledger keys its entries by, shared;
a Path is made only when one is asked for.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import overload


class OutputFiles(Sequence[Path]):
    """A list of files under ``output`` that stores their relative names and gives Paths."""

    def __init__(self, output: Path | None = None, names: Sequence[str] = ()):
        self.output = output
        self.names: list[str] = list(names)

    def append(self, name: str) -> None:
        self.names.append(name)

    def __len__(self) -> int:
        return len(self.names)

    @overload
    def __getitem__(self, index: int) -> Path: ...

    @overload
    def __getitem__(self, index: slice) -> list[Path]: ...

    def __getitem__(self, index: int | slice) -> Path | list[Path]:
        if isinstance(index, slice):
            return [self._path(name) for name in self.names[index]]
        return self._path(self.names[index])

    def __iter__(self) -> Iterator[Path]:
        return (self._path(name) for name in self.names)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence):
            return list(self) == list(other)
        return NotImplemented

    def __repr__(self) -> str:
        return f"OutputFiles({self.output!r}, {self.names!r})"

    def _path(self, name: str) -> Path:
        assert self.output is not None, "the output folder is set before any name is added"
        return self.output / name
