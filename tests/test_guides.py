"""The guides in docs/ do what they say: their commands run in a copy of the project, in order.

A guide is a Markdown file. In it:

- a ```console block holds commands, each on a line starting with ``$ ``; the
  lines after a command are output that must appear, in that order (``...``
  in a line stands for any text; a line of only ``...`` for lines not shown). A command ending in
  ``# exit code N`` must end with that code; any other must succeed (0).
- a fenced block whose info string names a file (```yaml file=data/x.yaml
  append```) is an edit a reader makes with a text editor, applied at that
  point: ``create`` (a new file), ``append`` (at the end), ``after="LINE"``
  (below the one line that reads LINE) or ``replace="LINE"`` (instead of it).
  Blocks without ``file=`` are illustrations and are not run.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import ROOT

# Every guide builds real documents in a copy of the project.
pytestmark = pytest.mark.slow

DOCS = ROOT / "docs"
REFERENCE = {"html-subset.md", "architecture.md"}  # reference for authors and developers, not steps to run
GUIDES = sorted(p for p in DOCS.glob("*.md") if p.name not in REFERENCE)
FENCE = re.compile(r"^```(?P<lang>[A-Za-z0-9_-]*)(?P<info>.*)$")
EXIT_CODE = re.compile(r"\s+# exit code (\d+)$")


@dataclass
class Command:
    line: int
    command: str
    exit_code: int
    expected: list[str]


@dataclass
class Edit:
    line: int
    file: str
    how: str  # create, append, after, replace
    anchor: str | None
    text: str


def steps(guide: Path) -> list[Command | Edit]:
    found: list[Command | Edit] = []
    lines = guide.read_text(encoding="utf-8").splitlines()
    index = 0
    while index < len(lines):
        fence = FENCE.match(lines[index])
        if not fence:
            index += 1
            continue
        end = lines.index("```", index + 1)
        body = lines[index + 1 : end]
        if fence["lang"] == "console":
            found.extend(_commands(body, index + 2))
        elif "file=" in fence["info"]:
            found.append(_edit(fence["info"], body, index + 1))
        index = end + 1
    return found


def _commands(body: list[str], first_line: int) -> list[Command]:
    commands: list[Command] = []
    for offset, text in enumerate(body):
        if text.startswith("$ "):
            command = text[2:]
            code = EXIT_CODE.search(command)
            commands.append(Command(first_line + offset, EXIT_CODE.sub("", command), int(code[1]) if code else 0, []))
        elif text.strip():
            assert commands, f"output before any command at line {first_line + offset}"
            commands[-1].expected.append(text.rstrip())
    return commands


def _edit(info: str, body: list[str], line: int) -> Edit:
    words = dict(word.split("=", 1) if "=" in word else (word, None) for word in shlex.split(info))
    hows = [how for how in ("create", "append", "after", "replace") if how in words]
    assert len(hows) == 1, f"line {line}: say one of create, append, after=..., replace=..."
    return Edit(line, words["file"], hows[0], words.get(hows[0]), "\n".join(body) + "\n")


def apply(edit: Edit, project: Path) -> None:
    path = project / edit.file
    if edit.how == "create":
        assert not path.exists(), f"line {edit.line}: {edit.file} exists already"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(edit.text, encoding="utf-8")
        return
    text = path.read_text(encoding="utf-8")
    if edit.how == "append":
        path.write_text(text + ("" if text.endswith("\n") else "\n") + edit.text, encoding="utf-8")
        return
    lines = text.splitlines(keepends=True)
    at = [i for i, line in enumerate(lines) if line.rstrip("\n") == edit.anchor]
    assert len(at) == 1, f"line {edit.line}: expected one line {edit.anchor!r} in {edit.file}, found {len(at)}"
    new = edit.text.splitlines(keepends=True)
    lines[at[0] : at[0] + 1] = [lines[at[0]], *new] if edit.how == "after" else new
    path.write_text("".join(lines), encoding="utf-8")


def run(command: Command, project: Path) -> None:
    # As a reader sees it: no colour, and stdout unbuffered so it interleaves with stderr as on a terminal.
    # XDG_DATA_HOME in the copy: `fonts install` writes the reader's font folder, never this machine's.
    environment = {
        **os.environ,
        "NO_COLOR": "1",
        "PYTHONUNBUFFERED": "1",
        "XDG_DATA_HOME": str(project / ".local" / "share"),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }
    environment.pop("FORCE_COLOR", None)
    done = subprocess.run(
        ["bash", "-c", command.command],
        cwd=project,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=600,
    )
    output = done.stdout.splitlines()
    where = f"line {command.line}: $ {command.command}\n{done.stdout}"
    assert done.returncode == command.exit_code, where
    position = 0
    for expected in command.expected:
        if expected == "...":  # "more lines here": the search for the next expected line skips them anyway
            continue
        pattern = re.compile(".*".join(re.escape(part) for part in expected.split("...")))
        while position < len(output) and not pattern.fullmatch(output[position].rstrip()):
            position += 1
        assert position < len(output), f"{where}\nexpected, in order: {expected!r}"
        position += 1


def project_copy(destination: Path) -> Path:
    """Everything a reader has: the configuration, data, templates, the code (a guide may edit it) and the docs."""
    for name in ("reporting.toml", "build_reports.py"):
        shutil.copy(ROOT / name, destination / name)
    for name in ("data", "templates", "reporting", "docs"):
        shutil.copytree(ROOT / name, destination / name, ignore=shutil.ignore_patterns("__pycache__"))
    return destination


def test_every_guide_is_linked_from_the_readme_and_has_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(GUIDES) >= 5
    for guide in GUIDES:
        assert f"(docs/{guide.name})" in readme, guide.name
        assert any(isinstance(step, Command) for step in steps(guide)), f"{guide.name} runs no command"
    for name in REFERENCE:
        assert f"(docs/{name})" in readme, name


def test_the_harness_notices_a_wrong_expectation(tmp_path):
    """A guide whose output no longer matches fails (a test that cannot fail would prove nothing)."""
    project = project_copy(tmp_path)
    with pytest.raises(AssertionError, match="expected, in order: 'no such line'"):
        run(Command(1, "python build_reports.py check", 0, ["2 events valid.", "no such line"]), project)
    with pytest.raises(AssertionError, match="line 1: "):
        run(Command(1, "python build_reports.py check", 1, []), project)
    run(Command(1, "python build_reports.py check", 0, ["ok: data/...", "2 events valid."]), project)


@pytest.mark.parametrize("guide", GUIDES, ids=[g.stem for g in GUIDES])
def test_guide(guide, tmp_path):
    project = project_copy(tmp_path)
    for step in steps(guide):
        if isinstance(step, Edit):
            apply(step, project)
        else:
            run(step, project)
