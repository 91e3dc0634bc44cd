"""Command line: argument parsing, and the only place that prints or exits."""
from __future__ import annotations

import argparse
import io
import signal
import sys
import threading
from contextlib import contextmanager
import traceback
from pathlib import Path
from typing import TextIO

from . import cli_new
from .build import Selection, load_bundles, run_build
from .config import FORMATS, load_project
from .console import Console
from .errors import DataError, ReportingError
from .problem_report import Painter, render_problems, wants_colour
from .progress import ProgressBar, file_lines

COMMANDS = ("build", "check", "verify", "i18n", "new", "serve", "watch")


def output_options() -> argparse.ArgumentParser:
    """--project, --json and --quiet, accepted before or after the command (SUPPRESS: a command's
    default never hides the global one)."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--project", type=Path, default=argparse.SUPPRESS,
                        help="project folder holding reporting.toml, data/ and templates/ (default: here)")
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                        help="print one JSON document (problems with file, line, column, field, expected, found) on stdout")
    common.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS, help="print only errors")
    return common


def build_parser() -> argparse.ArgumentParser:
    common = output_options()
    parser = argparse.ArgumentParser(
        prog="build_reports.py", parents=[common],
        description="Build conference reports and commendation certificates (PDF, DOCX) from data/.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    build = commands.add_parser("build", parents=[common], help="build the documents (the default command)")
    build.add_argument("--event", action="append", default=[], metavar="ID", help="only this event (repeatable)")
    build.add_argument("--locale", action="append", default=[], metavar="LL", help="only this locale (repeatable)")
    build.add_argument("--format", action="append", default=[], choices=FORMATS, help="only this format (repeatable)")
    build.add_argument("--output", type=Path, default=None, help="output folder (default: <project>/output)")
    build.add_argument("--archive", action="store_true",
                       help="PDF/A-3b with the event's YAML attached (AFRelationship Source) and a content-derived /ID")
    build.add_argument("--sign", type=Path, metavar="KEY.p12",
                       help="sign every PDF (PAdES, pyHanko); implies --archive; passphrase in $REPORTING_SIGN_PASSPHRASE")
    build.add_argument("--force", action="store_true", help="rewrite every output, even those whose inputs did not change")
    build.add_argument("-j", "--jobs", type=_positive, default=None, metavar="N",
                       help="worker processes writing documents (default: one per core)")
    build.add_argument("--duplex", action=argparse.BooleanOptionalAction, default=None,
                       help="a blank back after each certificate in the print file (default: print.duplex)")
    build.add_argument("--stock", choices=("plain", "preprinted"), default=None,
                       help="paper of the certificate print file: plain, or pre-printed forms (only the variable "
                            "texts, moved by print.offset_mm; plus a calibration page) (default: print.stock)")
    # For benchmarks: certificates typeset per PDF (1 = one document each), and with or without
    # layers (build.certificate_layers). Both change the bytes.
    build.add_argument("--chunk-size", type=_positive, default=None, help=argparse.SUPPRESS)
    build.add_argument("--layers", action=argparse.BooleanOptionalAction, default=None, help=argparse.SUPPRESS)
    commands.add_parser("check", parents=[common], help="validate the data without rendering anything")
    cli_new.add_parser(commands, common)
    i18n = commands.add_parser("i18n", parents=[common], help="translation workflow: extract messages, update catalogs, check them")
    i18n.add_argument("action", choices=("extract", "update", "compile", "check"))
    i18n.add_argument("--strict", action="store_true", help="with check: untranslated or fuzzy messages are errors")
    verify = commands.add_parser("verify", parents=[common], help="re-hash an output folder against its manifest.json")
    verify.add_argument("folder", type=Path, help="the output folder to check")
    _add_rebuild_commands(commands, common)
    return parser


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, found {text!r}")
    return value


def main(argv: list[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    """Run the command line; returns 0 on success, 1 on a data or template error, 2 on a usage error."""
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    argv = list(sys.argv[1:] if argv is None else argv)
    args = _parse(argv, stderr, stdout)
    if isinstance(args, int):
        return args
    if not hasattr(args, "project"):  # --project is accepted before or after the command
        args.project = Path.cwd()
    console = Console(stdout, stderr, quiet=getattr(args, "quiet", False), as_json=getattr(args, "json", False))
    console.root = args.project.resolve()
    with _terminate_as_interrupt():
        return console.finish(args.command, _run(args, console))


@contextmanager
def _terminate_as_interrupt():
    """SIGTERM (a service manager, `kill`) stops a build as Ctrl-C does: staged files removed,
    previous outputs kept, a message, exit 130; not the abrupt end that leaves temporaries."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _run(args, console: Console) -> int:
    if args.command == "verify":
        return _verify(args.folder, console)
    try:
        project = load_project(args.project.resolve())
        if args.command == "check":
            return _check(project, console)
        if args.command == "new":
            return cli_new.run(project, args, console)
        if args.command == "i18n":
            return _i18n(project, args, console)
        if args.command in ("serve", "watch"):
            return _rebuild_on_change(project, args, console.stdout, console.stderr)
        return _build(project, args, console)
    except DataError as exc:
        console.problems(exc.problems, "nothing was written.")
        return exc.exit_code
    except ReportingError as exc:
        console.error(str(exc))
        return exc.exit_code
    except KeyboardInterrupt:
        console.error("interrupted: nothing was published; the previous outputs are as they were")
        return 130
    except Exception:  # an unexpected failure is a bug: show where it happened
        traceback.print_exc(file=console.stderr)
        return 1


def _parse(argv: list[str], stderr: TextIO, stdout: TextIO):
    """The parsed arguments, or the exit code of a usage error or of --help (as JSON with --json)."""
    if not argv or argv[0] not in COMMANDS + ("-h", "--help") and not _has_command(argv):
        argv = _insert_build(argv)
    parser = build_parser()
    captured = io.StringIO()
    old_stderr, sys.stderr = sys.stderr, captured  # argparse writes usage errors to sys.stderr
    try:
        return parser.parse_args(argv)
    except SystemExit as exc:
        code = int(exc.code or 0)
        if code and "--json" in argv:
            message = captured.getvalue().strip().splitlines()[-1] if captured.getvalue().strip() else "usage error"
            console = Console(stdout, stderr, as_json=True)
            console.error(message.split(": error: ", 1)[-1])
            return console.finish(None, code)
        stderr.write(captured.getvalue())
        return code
    finally:
        sys.stderr = old_stderr


def _has_command(argv: list[str]) -> bool:
    return any(word in COMMANDS for word in argv)


def _insert_build(argv: list[str]) -> list[str]:
    """``build`` is the default command; it goes after the global ``--project`` option."""
    if argv[:1] == ["--project"] and len(argv) >= 2:
        return argv[:2] + ["build"] + argv[2:]
    if argv[:1] and argv[0].startswith("--project="):
        return argv[:1] + ["build"] + argv[1:]
    return ["build"] + argv


def _i18n(project, args, console: Console) -> int:
    from . import catalogs

    if args.action == "extract":
        template = catalogs.extract(project)
        console.say(f"{len(template)} message(s) in {_shown(project.catalogs_dir / catalogs.POT_NAME, project.root)}")
        return 0
    if args.action == "update":
        for path in catalogs.update(project):
            console.say(f"updated {_shown(path, project.root)}")
        return 0
    if args.action == "compile":  # what every build does in memory; here to see a broken catalog at once
        from .i18n import load_translations
        for locale in project.locales:
            load_translations(project.catalogs_dir, locale)
            console.say(f"ok: {locale}: catalog compiles")
        return 0
    problems = catalogs.check(project)
    for locale, found in problems.items():
        for problem in found:
            (console.error if args.strict else console.warning)(f"{locale}: {problem}")
        if not found:
            console.say(f"ok: {locale}: every message translated")
    return 1 if args.strict and any(problems.values()) else 0


def _verify(folder: Path, console: Console) -> int:
    from .manifest import read_manifest, verify

    problems = verify(folder)
    for problem in problems:
        console.error(str(problem))
    if problems:
        console.closing(f"{len(problems)} problem(s) in {folder}.")
        return 1
    console.say(f"ok: {len(read_manifest(folder)['outputs'])} file(s) in {folder} match manifest.json.")
    return 0


def _check(project, console: Console) -> int:
    bundles = load_bundles(project)
    for bundle in bundles:
        awards = f", {len(bundle.groups)} groups and {len(bundle.individuals)} individuals commended" if bundle.awardees else ""
        console.say(f"ok: {bundle.source} ({bundle.event.id}: {len(bundle.event.figures)} figures{awards})")
    console.say(f"{len(bundles)} event(s) valid.")
    console.record("events", [{"id": b.event.id, "file": str(b.source), "figures": len(b.event.figures),
                               "groups": len(b.groups), "individuals": len(b.individuals)} for b in bundles])
    return 0


def _build(project, args, console: Console) -> int:
    output = (args.output or project.root / "output").resolve()
    selection = Selection(tuple(args.event), tuple(args.locale), tuple(args.format), args.archive or bool(args.sign),
                          args.force, args.sign.resolve() if args.sign else None, args.jobs, args.chunk_size,
                          args.duplex, layers=args.layers, stock=args.stock)
    progress = None
    if not (console.quiet or console.as_json):
        shown = lambda path: _shown(path, project.root)  # noqa: E731
        stderr = console.stderr
        progress = ProgressBar(stderr, shown) if stderr.isatty() else file_lines(stderr, shown)
    try:
        result = run_build(project, output, selection, progress)
    finally:
        if isinstance(progress, ProgressBar):
            progress.finish()
    for folder, names in _written_by_folder(result.written, output).items():
        console.say(f"  {folder}: {', '.join(names)}")
    unchanged = f", {len(result.unchanged)} unchanged" if result.unchanged else ""
    console.say(f"Wrote {len(result.written)} file(s){unchanged} to {_shown(output, project.root)} in {result.seconds:.1f} s.")
    console.record("written", [_shown(path, output) for path in result.written])
    console.record("unchanged", [_shown(path, output) for path in result.unchanged])
    for path in result.removed:
        console.say(f"  removed {_shown(path, output)} (an earlier build made it; this data no longer does)")
    console.record("removed", [_shown(path, output) for path in result.removed])
    return 0


def _written_by_folder(written: list[Path], output: Path) -> dict[str, list[str]]:
    """``event/locale: report.pdf, ..., certificates/ (50 files)`` for the closing summary."""
    folders: dict[str, list[str]] = {}
    per_awardee: dict[str, int] = {}
    for path in written:
        relative = path.relative_to(output)
        event_locale = "/".join(relative.parts[:2])
        if len(relative.parts) > 3:
            per_awardee[event_locale] = per_awardee.get(event_locale, 0) + 1
        else:
            folders.setdefault(event_locale, []).append(relative.name)
    for names in folders.values():
        names.sort()  # workers finish in any order; the summary should not
    for event_locale, count in per_awardee.items():
        folders.setdefault(event_locale, []).append(f"certificates/ ({count} files)")
    return dict(sorted(folders.items()))


def _shown(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def _add_rebuild_commands(commands, common) -> None:
    """``serve`` (web preview) and ``watch`` (rebuild only): both rebuild whenever an input changes."""
    serve = commands.add_parser("serve", parents=[common], help="web preview on 127.0.0.1 that rebuilds and reloads on every change")
    serve.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default 8000; 0 picks a free one)")
    watch = commands.add_parser("watch", parents=[common], help="rebuild whenever data, templates, stylesheets or catalogs change")
    for command in (serve, watch):
        command.add_argument("--event", action="append", default=[], metavar="ID", help="only this event (repeatable)")
        command.add_argument("--locale", action="append", default=[], metavar="LL", help="only this locale (repeatable)")
        command.add_argument("--format", action="append", default=[], choices=FORMATS, help="only this format (repeatable)")
        command.add_argument("--output", type=Path, default=None, help="output folder (default: <project>/output)")


def _rebuild_on_change(project, args, stdout: TextIO, stderr: TextIO) -> int:
    """Build, then rebuild after every change until Ctrl-C (exit 0); a failed build is reported, not fatal."""
    import threading

    from .watch import Rebuilder, keep_building

    output = (args.output or project.root / "output").resolve()
    rebuilder = Rebuilder(project.root, output, Selection(tuple(args.event), tuple(args.locale), tuple(args.format)))

    def report(outcome) -> None:
        _print_outcome(outcome, project.root, output, stdout, stderr)
        if args.command == "watch":
            print("Watching data/, templates/ and reporting.toml; Ctrl-C stops.", file=stderr, flush=True)

    try:
        if args.command == "watch":
            keep_building(rebuilder, threading.Event(), report)
        else:
            from .preview.server import serve
            from .preview.state import Preview

            def ready(url: str) -> None:
                print(f"Preview at {url} (building into {_shown(output, project.root)}); Ctrl-C stops.", file=stdout, flush=True)

            serve(Preview(rebuilder), args.port, ready, report)
    except KeyboardInterrupt:
        pass
    except OSError as exc:  # e.g. the system's limit of watched folders (fs.inotify.max_user_watches)
        print(f"error: cannot watch {_shown(project.root, Path.cwd())} for changes: {exc}", file=stderr)
        return 1
    print("Stopped.", file=stderr)
    return 0


def _print_outcome(outcome, root: Path, output: Path, stdout: TextIO, stderr: TextIO) -> None:
    changed = ", ".join(_shown(path, root) for path in outcome.changed[:3]) + (" ..." if len(outcome.changed) > 3 else "")
    cause = f" after a change to {changed}" if changed else ""
    if outcome.ok:
        result = outcome.result
        written = ", ".join(_shown(path, output) for path in result.written[:4]) + (" ..." if len(result.written) > 4 else "")
        print(f"Build {outcome.generation}{cause}: wrote {len(result.written)} file(s){': ' + written if written else ''}, "
              f"{len(result.unchanged)} unchanged, in {outcome.seconds:.1f} s.", file=stdout, flush=True)
        return
    if outcome.crash:
        print(outcome.crash, file=stderr, end="")
    elif isinstance(outcome.error, DataError):  # grouped by file, source line and caret, as `build` shows them
        print(render_problems(outcome.error.problems, root, Painter(wants_colour(stderr))), file=stderr)
    else:
        print(f"error: {outcome.error}", file=stderr)
    print(f"Build {outcome.generation}{cause} failed; the previous outputs are kept.", file=stderr, flush=True)
