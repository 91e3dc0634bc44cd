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

Every guide exists in English (docs/) and in Vietnamese (docs/vi/, same file name), each linking to its
twin; a Vietnamese guide runs with the tool speaking Vietnamese (``LANG=vi_VN.UTF-8``), so its expected
output lines are the tool's Vietnamese messages.
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

DOCS = ROOT / "docs"
REFERENCE = {"html-subset.md", "architecture.md"}  # reference for authors and developers, not steps to run
ENGLISH_GUIDES = sorted(p for p in DOCS.glob("*.md") if p.name not in REFERENCE)
# The translated guides, one folder per language, each guide under its English file name.
TRANSLATIONS = {"vi": DOCS / "vi"}
TRANSLATED_GUIDES = sorted(p for folder in TRANSLATIONS.values() for p in folder.glob("*.md"))
GUIDES = ENGLISH_GUIDES + TRANSLATED_GUIDES
# The locale a guide's commands run in, so the tool speaks the guide's language whatever this machine's is
# (C.UTF-8: the tool's own English).
LOCALE_OF = {"en": "C.UTF-8", "vi": "vi_VN.UTF-8"}
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


def language_of(guide: Path) -> str:
    return guide.parent.name if guide.parent != DOCS else "en"


def guide_id(guide: Path) -> str:
    return guide.stem if language_of(guide) == "en" else f"{language_of(guide)}-{guide.stem}"


def run(command: Command, project: Path, language: str = "en") -> None:
    # As a reader sees it: no colour, and stdout unbuffered so it interleaves with stderr as on a terminal.
    # XDG_DATA_HOME in the copy: `fonts install` writes the reader's font folder, never this machine's.
    # The tool's language from LANG alone: the variables gettext reads before it are removed.
    environment = {
        **{name: value for name, value in os.environ.items() if name not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")},
        "LANG": LOCALE_OF[language],
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


LINK = re.compile(r"\[[^\]]*\]\((?P<target>[^)\s]+)\)")
INLINE_CODE = re.compile(r"`[^`]*`")


def links(guide: Path) -> list[tuple[int, str]]:
    """The Markdown links of a guide's prose, with their line (code blocks and code spans hold none)."""
    found: list[tuple[int, str]] = []
    in_code = False
    for number, line in enumerate(guide.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith("```"):
            in_code = not in_code
            continue
        if not in_code:
            found.extend((number, match["target"]) for match in LINK.finditer(INLINE_CODE.sub("", line)))
    return found


def anchor_of(heading: str) -> str:
    """The fragment a Markdown viewer (GitHub, GitLab) gives a heading: lower case, punctuation dropped,
    spaces made hyphens; letters of any script kept (``## 6. In trên phôi`` is ``#6-in-trên-phôi``)."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(guide: Path) -> set[str]:
    lines = guide.read_text(encoding="utf-8").splitlines()
    in_code = False
    found = set()
    for line in lines:
        if line.startswith("```"):
            in_code = not in_code
        elif not in_code and line.startswith("#"):
            found.add(anchor_of(line.lstrip("#")))
    return found


def broken_links(guide: Path) -> list[str]:
    """Each link of ``guide`` to a file that does not exist, or to a heading its file does not have."""
    broken = []
    for number, target in links(guide):
        if re.match(r"[a-z]+:", target):  # https:, mailto:: outside the repository
            continue
        path_part, _hash, fragment = target.partition("#")
        path = (guide.parent / path_part).resolve() if path_part else guide
        if not path.exists():
            broken.append(f"{guide.name}:{number}: {target}: no such file")
        elif fragment and path.suffix == ".md" and fragment not in anchors(path):
            broken.append(f"{guide.name}:{number}: {target}: no heading #{fragment} in {path.name}")
    return broken


def twin_problems(english: list[Path], folder: Path) -> list[str]:
    """What keeps the guides of ``folder`` (one language) from matching the English ones one for one,
    each linking to its twin."""
    translated = {p.name: p for p in folder.glob("*.md")}
    problems = [f"{folder.name}/{p.name}: no Vietnamese version" for p in english if p.name not in translated]
    problems += [f"{name}: no English original" for name in sorted(set(translated) - {p.name for p in english})]
    for guide in english:
        twin = translated.get(guide.name)
        if twin is None:
            continue
        if not any((guide.parent / target).resolve() == twin.resolve() for _line, target in links(guide)):
            problems.append(f"{guide.name}: no link to {folder.name}/{guide.name}")
        if not any((twin.parent / target).resolve() == guide.resolve() for _line, target in links(twin)):
            problems.append(f"{folder.name}/{guide.name}: no link to ../{guide.name}")
    return problems


def test_every_guide_is_linked_from_the_readme_and_has_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(ENGLISH_GUIDES) >= 5
    for guide in GUIDES:
        assert f"({guide.relative_to(ROOT).as_posix()})" in readme, guide.name
        assert any(isinstance(step, Command) for step in steps(guide)), f"{guide.name} runs no command"
    for name in REFERENCE:
        assert f"(docs/{name})" in readme, name


def test_every_guide_has_its_vietnamese_twin_and_back():
    """A guide added, or removed, in one language only fails here; each links to its twin."""
    assert twin_problems(ENGLISH_GUIDES, TRANSLATIONS["vi"]) == []


def what_it_does(guide: Path) -> list[tuple[str, ...]]:
    """A guide's commands and edits, without the output it shows (which is in its own language) and without
    the line an edit goes after or replaces: a file `new` wrote has its comments in the reader's language."""
    return [
        ("$", step.command, str(step.exit_code)) if isinstance(step, Command) else (step.file, step.how, step.text)
        for step in steps(guide)
    ]


@pytest.mark.parametrize("guide", TRANSLATED_GUIDES, ids=[guide_id(g) for g in TRANSLATED_GUIDES])
def test_a_translated_guide_runs_the_same_commands_and_edits_as_its_english_twin(guide):
    assert what_it_does(guide) == what_it_does(DOCS / guide.name)


def test_twin_problems_names_a_missing_twin_and_a_missing_link(tmp_path):
    (tmp_path / "vi").mkdir()
    (tmp_path / "a.md").write_text("# A\n\n[Tiếng Việt](vi/a.md)\n", encoding="utf-8")
    (tmp_path / "vi" / "a.md").write_text("# A\n\nNo link back.\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("# B\n", encoding="utf-8")
    (tmp_path / "vi" / "c.md").write_text("# C\n", encoding="utf-8")
    english = sorted(tmp_path.glob("*.md"))
    assert twin_problems(english, tmp_path / "vi") == [
        "vi/b.md: no Vietnamese version",
        "c.md: no English original",
        "vi/a.md: no link to ../a.md",
    ]


def test_links_between_the_guides_resolve():
    """Every link of every guide and reference page (files and headings) leads somewhere."""
    pages = sorted(DOCS.glob("*.md")) + TRANSLATED_GUIDES
    assert [problem for page in pages for problem in broken_links(page)] == []


def test_broken_links_names_a_missing_file_and_a_missing_heading(tmp_path):
    (tmp_path / "vi").mkdir()
    (tmp_path / "vi" / "in.md").write_text("# In\n\n## 6. In trên phôi in sẵn\n", encoding="utf-8")
    guide = tmp_path / "guide.md"
    guide.write_text(
        "[ok](vi/in.md#6-in-trên-phôi-in-sẵn) [web](https://example.org/x)\n"
        "[gone](vi/gone.md) [wrong](vi/in.md#6-printing)\n"
        "```\n[in code](nowhere.md)\n```\n`[span](nowhere.md)`\n",
        encoding="utf-8",
    )
    assert broken_links(guide) == [
        "guide.md:2: vi/gone.md: no such file",
        "guide.md:2: vi/in.md#6-printing: no heading #6-printing in in.md",
    ]


@pytest.mark.slow
def test_the_harness_notices_a_wrong_expectation(tmp_path):
    """A guide whose output no longer matches fails (a test that cannot fail would prove nothing)."""
    project = project_copy(tmp_path)
    with pytest.raises(AssertionError, match="expected, in order: 'no such line'"):
        run(Command(1, "python build_reports.py check", 0, ["2 events valid.", "no such line"]), project)
    with pytest.raises(AssertionError, match="line 1: "):
        run(Command(1, "python build_reports.py check", 1, []), project)
    run(Command(1, "python build_reports.py check", 0, ["ok: data/...", "2 events valid."]), project)


@pytest.mark.slow
def test_a_guide_runs_in_its_own_language_whatever_the_machine_speaks(tmp_path, monkeypatch):
    """English guides get English even where the machine asks for Vietnamese; Vietnamese ones Vietnamese."""
    project = project_copy(tmp_path)
    (project / "data" / "directive-35-review.yaml").write_text("id: [\n", encoding="utf-8")
    check = "python build_reports.py check"
    monkeypatch.setenv("LANGUAGE", "vi")
    monkeypatch.setenv("LC_ALL", "vi_VN.UTF-8")
    run(Command(1, check, 1, ["error: data/directive-35-review.yaml: 1 problem"]), project, "en")
    run(Command(1, check, 1, ["lỗi: data/directive-35-review.yaml: 1 lỗi"]), project, "vi")
    with pytest.raises(AssertionError, match="expected, in order"):
        run(Command(1, check, 1, ["error: data/directive-35-review.yaml: 1 problem"]), project, "vi")


@pytest.mark.slow
@pytest.mark.parametrize("guide", GUIDES, ids=[guide_id(g) for g in GUIDES])
def test_guide(guide, tmp_path):
    project = project_copy(tmp_path)
    for step in steps(guide):
        if isinstance(step, Edit):
            apply(step, project)
        else:
            run(step, project, language_of(guide))
