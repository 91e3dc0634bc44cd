"""Where the CLI's words go: people get text (coloured on a terminal), CI gets one JSON document.

Commands report through a Console rather than printing, so ``--quiet`` (only
errors) and ``--json`` (nothing but the JSON document on stdout) hold for
every command the same way.
"""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from reporting.errors import Problem
from reporting.tool_language import _
from reporting.ui.problem_report import Painter, problems_json, render_problems, summary, wants_colour, write_json


class Console:
    def __init__(
        self,
        stdout: TextIO,
        stderr: TextIO,
        quiet: bool = False,
        as_json: bool = False,
        environ: dict[str, str] | None = None,
    ):
        self.stdout, self.stderr = stdout, stderr
        self.quiet, self.as_json = quiet, as_json
        self.paint = Painter(wants_colour(stderr, environ))
        self.root = Path.cwd()  # data problems name files relative to the project; set once it is known
        self.collected: list[dict] = []
        self.results: dict[str, object] = {}

    def say(self, text: str) -> None:
        """A result line (stdout); not with --quiet or --json."""
        if not (self.quiet or self.as_json):
            print(text, file=self.stdout)

    def progress(self, text: str) -> None:
        """A progress line (stderr); not with --quiet or --json."""
        if not (self.quiet or self.as_json):
            print(text, file=self.stderr)

    def warning(self, text: str, code: str = "warning") -> None:
        """Shown unless --quiet; listed in the JSON with severity "warning" and its stable ``code``."""
        if self.as_json:
            self.collected.append(_plain("warning", text, code))
        elif not self.quiet:
            print(f"{self.paint.warning_label()} {text}", file=self.stderr)

    def error(self, text: str, code: str = "error") -> None:
        if self.as_json:
            self.collected.append(_plain("error", text, code))
        else:
            print(f"{self.paint.error_label()} {text}", file=self.stderr)

    def closing(self, text: str) -> None:
        """The line that sums up a failure (stderr), even with --quiet; the JSON has the count already."""
        if not self.as_json:
            print(text, file=self.stderr)

    def problems(self, problems: list[Problem], closing: str) -> None:
        """Data problems: grouped by file with source lines and carets, then one summary line."""
        if self.as_json:
            self.collected.extend({"severity": "error", **entry} for entry in problems_json(problems))
            return
        print(render_problems(problems, self.root, self.paint), file=self.stderr)
        self.closing(_("{problems}; {closing}").format(problems=summary(problems), closing=closing))

    def record(self, key: str, value: object) -> None:
        """A result for the JSON document (events checked, files written, file created)."""
        self.results[key] = value

    def finish(self, command: str | None, exit_code: int) -> int:
        if self.as_json:
            write_json(
                {
                    "command": command,
                    "ok": exit_code == 0,
                    "exit_code": exit_code,
                    "problems": self.collected,
                    **self.results,
                },
                self.stdout,
            )
        return exit_code


def _plain(severity: str, text: str, code: str) -> dict:
    """A problem known only as a sentence (a template, a catalog, the output folder)."""
    return {
        "severity": severity,
        "code": code,
        "file": None,
        "line": None,
        "column": None,
        "field": None,
        "expected": None,
        "found": None,
        "message": text,
    }
