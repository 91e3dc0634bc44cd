"""The ``build`` command (the default): every document of the selection, written and published."""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from pathlib import Path

from reporting import tool_language
from reporting.build.output_files import OutputFiles
from reporting.commands.options import add_selection_options, job_count, output_folder, positive, shown
from reporting.errors import StrictFailure
from reporting.notices import code_of
from reporting.tool_language import _, isolate, n_, number
from reporting.ui.console import Console
from reporting.ui.progress import ProgressBar, file_lines

NAME = "build"


def add_parser(commands, common: argparse.ArgumentParser) -> None:
    build = commands.add_parser(NAME, parents=[common], help=_("build the documents (the default command)"))
    add_selection_options(build)
    build.add_argument(
        "--archive",
        action="store_true",
        help=_("PDF/A-3b with the event's YAML attached (AFRelationship Source) and a content-derived /ID"),
    )
    build.add_argument(
        "--sign",
        type=Path,
        metavar="KEY.p12",
        help=_("sign every PDF (PAdES, pyHanko); implies --archive; passphrase in $REPORTING_SIGN_PASSPHRASE"),
    )
    build.add_argument(
        "--strict",
        action="store_true",
        help=_("fail on any warning (a message without a translation), listing them all; nothing is written"),
    )
    build.add_argument(
        "--force", action="store_true", help=_("rewrite every output, even those whose inputs did not change")
    )
    build.add_argument(
        "-j",
        "--jobs",
        type=job_count,
        default=None,
        metavar="N",
        help=_("worker processes writing documents (default: one per core; at most 4 per core)"),
    )
    build.add_argument(
        "--force-into",
        action="store_true",
        help=_("build into a non-empty folder that no build made (its files are never deleted)"),
    )
    build.add_argument(
        "--duplex",
        action=argparse.BooleanOptionalAction,
        default=None,
        help=_("a blank back after each certificate in the print file (default: print.duplex)"),
    )
    build.add_argument(
        "--stock",
        choices=("plain", "preprinted"),
        default=None,
        help=_(
            "paper of the certificate print file: plain, or pre-printed forms (only the variable "
            "texts, moved by print.offset_mm; plus a calibration page) (default: print.stock)"
        ),
    )
    # For benchmarks: certificates typeset per PDF (1 = one document each), and with or without
    # layers (build.certificate_layers). Both change the bytes.
    build.add_argument("--chunk-size", type=positive, default=None, help=argparse.SUPPRESS)
    build.add_argument("--layers", action=argparse.BooleanOptionalAction, default=None, help=argparse.SUPPRESS)


def before_loading(args, console: Console) -> int | None:
    """Exit code 0 if the last build with these inputs and options left the outputs as they still are
    (build/last_build.py): reported unchanged, nothing loaded. Else None, with the inputs' fingerprint
    taken now, before the build reads anything, and recorded when it succeeds (``run``)."""
    from reporting.build.fingerprint import fingerprint
    from reporting.build.last_build import skip

    args.inputs_fingerprint = None
    if args.sign:  # a signed build opens its key every time (a wrong passphrase must fail)
        return None
    root = args.project.resolve()
    output = (args.output or root / "output").resolve()
    args.inputs_fingerprint = fingerprint(root, _fingerprinted_options(args, output))
    if args.inputs_fingerprint is None or args.force:
        return None
    found = skip(args.inputs_fingerprint, output)
    if found is None:
        return None
    result, ui_language = found
    if ui_language and not getattr(args, "ui_language", None):  # [ui] language, as _run applies it
        tool_language.use(tool_language.choose(None, ui_language, os.environ))
    console.record("warnings", result.warnings)
    _summarise(result, root, output, console)
    return 0


# What says how to build or how to speak, not what is built: builds differing only in these have the same
# fingerprint. Every other option (one added later too) is part of it. (--force never stops early.)
NOT_FINGERPRINTED = frozenset({"command", "project", "jobs", "force", "quiet", "json", "ui_language"})


def _fingerprinted_options(args, output: Path) -> dict[str, object]:
    """Every option but those of ``NOT_FINGERPRINTED``, with the output folder resolved."""
    options = {name: value for name, value in vars(args).items() if name not in NOT_FINGERPRINTED}
    options.pop("inputs_fingerprint", None)
    return {**options, "output": str(output)}


def run(project, args, console: Console) -> int:
    from reporting.build.pipeline import Selection, run_build

    output = output_folder(project, args)
    selection = Selection(
        tuple(args.event),
        tuple(args.locale),
        tuple(args.format),
        args.archive or bool(args.sign),
        args.force,
        args.sign.resolve() if args.sign else None,
        args.jobs,
        args.chunk_size,
        args.duplex,
        force_into=args.force_into,
        strict=args.strict,
        layers=args.layers,
        stock=args.stock,
        documents=tuple(args.document),
    )
    progress = None
    if not (console.quiet or console.as_json):

        def show(path: Path) -> str:
            return shown(path, project.root)

        progress = ProgressBar(console.stderr, show) if console.stderr.isatty() else file_lines(console.stderr, show)
    try:
        result = run_build(project, output, selection, progress)
    except StrictFailure as failure:
        for warning in failure.warnings:
            console.error(warning, code_of(warning))
        count = len(failure.warnings)
        console.closing(
            n_(
                "{count} warning with --strict; nothing was written.",
                "{count} warnings with --strict; nothing was written.",
                count,
            ).format(count=number(count))
        )
        return failure.exit_code
    finally:
        if isinstance(progress, ProgressBar):
            progress.finish()
    fingerprint = getattr(args, "inputs_fingerprint", None)
    if fingerprint is not None and not result.warnings and selection.sign_key is None:
        from reporting.build.last_build import record

        record(fingerprint, output, [*result.written.names, *result.unchanged.names], project.ui_language)
    console.record("warnings", result.warnings)
    _summarise(result, project.root, output, console)
    return 0


def _summarise(result, root: Path, output: Path, console: Console) -> None:
    for warning in result.warnings:
        console.warning(warning, code_of(warning))
    written, unchanged = _names(result.written, output), _names(result.unchanged, output)
    for folder, names in _written_by_folder(written).items():
        console.say(f"  {isolate(folder)}: {', '.join(names)}")
    console.say(_wrote(len(written), len(unchanged), isolate(shown(output, root)), result.seconds))
    console.record("written", [name.replace("/", os.sep) for name in written])
    console.record("unchanged", [name.replace("/", os.sep) for name in unchanged])
    for path in result.removed:
        console.say(
            "  "
            + _("removed {file} (an earlier build made it; this data no longer does)").format(
                file=isolate(shown(path, output))
            )
        )
    console.record("removed", [shown(path, output) for path in result.removed])


def _names(files: Sequence[Path], output: Path) -> list[str]:
    """The files' names relative to ``output``, with "/": a build's lists hold them already (thousands
    of Paths made only to be cut back to them were a tenth of a second)."""
    if isinstance(files, OutputFiles) and files.output == output:
        return files.names
    return [path.relative_to(output).as_posix() for path in files]


def _wrote(written: int, unchanged: int, folder: str, seconds: float) -> str:
    """``Wrote 19 files, 10 unchanged to output in 2.5 s.``: each count agrees with its own noun."""
    seconds_text = number(round(seconds, 1))
    if not unchanged:
        return n_(
            "Wrote {count} file to {folder} in {seconds} s.", "Wrote {count} files to {folder} in {seconds} s.", written
        ).format(count=number(written), folder=folder, seconds=seconds_text)
    kept = n_("{count} unchanged", "{count} unchanged", unchanged).format(count=number(unchanged))
    return n_(
        "Wrote {count} file, {unchanged} to {folder} in {seconds} s.",
        "Wrote {count} files, {unchanged} to {folder} in {seconds} s.",
        written,
    ).format(count=number(written), unchanged=kept, folder=folder, seconds=seconds_text)


def _written_by_folder(written: list[str]) -> dict[str, list[str]]:
    """``event/locale: report.pdf, ..., certificates/ (50 files)`` for the closing summary (``written``:
    names relative to the output folder)."""
    folders: dict[str, list[str]] = {}
    per_awardee: dict[str, int] = {}
    for name in written:
        parts = name.split("/")
        event_locale = "/".join(parts[:2])
        if len(parts) > 3:
            per_awardee[event_locale] = per_awardee.get(event_locale, 0) + 1
        else:
            folders.setdefault(event_locale, []).append(isolate(parts[-1]))
    for names in folders.values():
        names.sort()  # workers finish in any order; the summary should not
    for event_locale, count in per_awardee.items():
        files = n_("{count} file", "{count} files", count).format(count=number(count))
        folders.setdefault(event_locale, []).append(f"{isolate('certificates/')} ({files})")
    return dict(sorted(folders.items()))
