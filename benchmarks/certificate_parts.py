"""CPU a certificate in each part of the workers' certificate work: layout and drawing, staging, print file, DOCX.

Builds the certificates of N synthetic awardees (benchmarks/certificates.py's project, ar and vi,
PDF and DOCX, both print files) with ``--jobs 1``, so the workers' tasks run in this process, and
adds up the CPU time (user and system, ``time.process_time``) spent in each part:

  layout    LayeredCertificates.variable: the variable texts laid out (writers/text_layout.py) and drawn
  pdf files certificate_pdf.certificate_pdfs: each certificate's own PDF written
  staging   Worker.stage: every certificate file (PDF and DOCX) hashed and written into the staging folder
  print     pdf_split.write_print_file: both print files
  docx      CertificateDocx.write: each certificate's DOCX (docx_batch.py)
  chunk     LayeredCertificates.chunk: a PDF chunk's whole task (layout, pdf files, its staging, keeping it)

Usage: .venv/bin/python benchmarks/certificate_parts.py [N] [--project DIR]   (default 1000 awardees;
       --project: one certificates.make_project made with the same N, so two checkouts build the same)
Run it from the checkout to measure (PYTHONPATH set to it); compare two checkouts run one after the
other, several times, on a busy machine.
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

SPENT: dict[str, float] = {}


def timed(owner, name: str, part: str) -> None:
    """Wrap ``owner.name`` so the CPU time of its calls (the outermost, when it calls itself) adds to ``part``."""
    original = getattr(owner, name)
    depth = [0]

    @functools.wraps(original)
    def wrapper(*args, **kwargs):
        depth[0] += 1
        start = time.process_time()
        try:
            return original(*args, **kwargs)
        finally:
            depth[0] -= 1
            if not depth[0]:
                SPENT[part] = SPENT.get(part, 0.0) + time.process_time() - start

    setattr(owner, name, wrapper)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("count", nargs="?", type=int, default=1000)
    parser.add_argument("--project", type=Path, help="an existing project made by certificates.make_project")
    options = parser.parse_args()

    from benchmarks.certificates import make_project
    from reporting import cli
    from reporting.build import workers
    from reporting.build.layered_certificates import LayeredCertificates
    from reporting.writers import certificate_pdf, docx_batch, pdf_split

    timed(LayeredCertificates, "variable", "layout")
    timed(LayeredCertificates, "chunk", "chunk")
    timed(certificate_pdf, "certificate_pdfs", "pdf files")
    timed(workers.Worker, "stage", "staging")
    timed(pdf_split, "write_print_file", "print")
    timed(docx_batch.CertificateDocx, "write", "docx")

    with tempfile.TemporaryDirectory() as folder:
        os.environ["XDG_CACHE_HOME"] = str(Path(folder) / "cache")  # the chunks typeset afresh
        project = options.project
        if project is None:
            project = Path(folder) / "project"
            project.mkdir()
            make_project(project, options.count)
        certificates = 2 * options.count
        argv = ["--project", str(project), "build", "--output", str(Path(folder) / "out"), "-q"]
        argv += ["--document", "certificates", "--jobs", "1"]
        start, wall = time.process_time(), time.perf_counter()
        code = cli.main(argv)
        if code:
            raise SystemExit(f"the build failed ({code})")
        total, wall = time.process_time() - start, time.perf_counter() - wall
    print(f"{certificates} certificates (PDF, DOCX, both print files), --jobs 1: CPU {total:.2f} s, wall {wall:.2f} s")
    for part in ("layout", "pdf files", "staging", "print", "docx", "chunk"):
        spent = SPENT.get(part, 0.0)
        print(f"  {part:<10} {spent:7.2f} s CPU  {spent / certificates * 1000:6.3f} ms a certificate")


if __name__ == "__main__":
    main()
