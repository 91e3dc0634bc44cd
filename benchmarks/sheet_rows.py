"""Reading 10,000 awardee rows from a spreadsheet: time and peak memory.

    .venv/bin/python benchmarks/sheet_rows.py [--rows 10000]

Writes a workbook with two sheets (groups, individuals) of ``--rows`` rows in all, then measures,
each in a fresh process (peak RSS counts the Rust reader's memory too, which tracemalloc cannot):
the bare Python start (baseline), python-calamine reading the values, openpyxl (read-only mode)
reading the values, the pipeline's imports alone (pydantic and the model: paid once by any build),
and the pipeline's whole path: guard, values, structure scan, rows to awardee records
(``attach_sheet``). Figures are printed as seconds and MiB, and as ratios to
calamine's, since the machine's speed varies from run to run.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

READERS = {
    "baseline (python start)": "pass",
    "python-calamine values": """
        import python_calamine
        book = python_calamine.CalamineWorkbook.from_path(PATH)
        rows = sum(len(book.get_sheet_by_name(n).to_python()) for n in book.sheet_names)
    """,
    "openpyxl read-only values": """
        import openpyxl
        book = openpyxl.load_workbook(PATH, read_only=True, data_only=True)
        rows = sum(1 for sheet in book.worksheets for _ in sheet.iter_rows(values_only=True))
    """,
    "pipeline imports only (pydantic model, readers)": """
        from reporting.source.sheet_awards import attach_sheet, awardee_fields
        awardee_fields()
    """,
    "pipeline: guard + values + structure + records": """
        from pathlib import Path
        from reporting.source.sheet_awards import attach_sheet
        from reporting.source.yaml_reader import LoadedYaml
        folder = Path(PATH).parent
        source = LoadedYaml(Path("event.yaml"), {"awards": {"source": Path(PATH).name}}, {}, {})
        loaded, problems = attach_sheet(source, folder / "event.yaml", ("ar", "vi"))
        assert not problems, problems
        rows = len(loaded.data["awards"]["individuals"])
    """,
}


def write_workbook(path: Path, rows: int) -> None:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    groups = book.create_sheet("Tập thể")
    groups.append(["Mã", "Tên đơn vị (vi)", "الاسم (ar)"])
    for n in range(rows // 10):
        groups.append([f"g{n:05d}", f"Ban Tiếp công dân số {n}", f"لجنة استقبال المواطنين {n}"])
    people = book.create_sheet("Cá nhân")
    people.append(["Mã", "Họ và tên (vi)", "الاسم (ar)", "Chức vụ (vi)", "المنصب (ar)", "Đơn vị (vi)", "الوحدة (ar)"])
    for n in range(rows - rows // 10):
        people.append(
            [
                f"i{n:05d}",
                f"Nguyễn Văn Hùng {n}",
                f"نجوين فان هونغ {n}",
                "Phó Chánh Thanh tra tỉnh",
                "نائب رئيس هيئة التفتيش الإقليمية",
                "Thanh tra tỉnh",
                "هيئة التفتيش الإقليمية",
            ]
        )
    book.save(path)


def measure(code: str, path: Path) -> tuple[float, float]:
    script = (
        textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {str(ROOT)!r})
        PATH = {str(path)!r}
        started = time.perf_counter()
    """)
        + textwrap.dedent(code)
        + textwrap.dedent("""
        seconds = time.perf_counter() - started
        # VmHWM (peak resident set) belongs to this program's memory map, new at exec: unlike
        # ru_maxrss it does not inherit the parent's peak.
        peak = next(line for line in open("/proc/self/status") if line.startswith("VmHWM:"))
        print(seconds, int(peak.split()[1]) / 1024)
    """)
    )
    out = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True).stdout.split()
    return float(out[0]), float(out[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sheet-bench-") as folder:
        path = Path(folder) / "awardees.xlsx"
        write_workbook(path, args.rows)
        print(f"{args.rows:,} rows, {path.stat().st_size / 1024:.0f} KiB xlsx")
        figures = {name: measure(code, path) for name, code in READERS.items()}
    base_time, base_mem = figures["python-calamine values"]
    start_mem = figures["baseline (python start)"][1]
    for name, (seconds, mib) in figures.items():
        print(
            f"{name:48} {seconds:7.3f} s ({seconds / base_time:5.1f}x calamine)   peak RSS {mib:6.1f} MiB "
            f"(+{mib - start_mem:5.1f} over start; {(mib - start_mem) / max(base_mem - start_mem, 0.1):4.1f}x calamine)"
        )


if __name__ == "__main__":
    main()
