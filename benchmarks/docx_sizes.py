"""DOCX sizes: the reference documents' DOCX with and without the Latin font embedded (the Latin face's
docx_embed in [fonts]).

    .venv/bin/python benchmarks/docx_sizes.py

Prints the sizes of the reference build's DOCX files (reports, lists, certificates) for both
settings. What each part of the embedded Amiri subset costs: benchmarks/font_subset_costs.py.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reporting.cli import main  # noqa: E402


def build_sizes(embed_latin: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder)
        for name in ("data", "templates"):
            shutil.copytree(ROOT / name, project / name)
        config = (ROOT / "reporting.toml").read_text(encoding="utf-8")
        # The Latin face of [fonts]: Times New Roman, not embedded, or Tinos under its own name, embedded.
        shipped = 'docx_name = "Times New Roman"\ndocx_embed = false'
        setting = 'docx_name = "Tinos"\ndocx_embed = true' if embed_latin else shipped
        (project / "reporting.toml").write_text(config.replace(shipped, setting), encoding="utf-8")
        code = main(
            ["--project", str(project), "build", "--format", "docx", "--quiet", "--output", str(project / "output")]
        )
        assert code == 0
        print(f"DOCX sizes, {'Tinos embedded' if embed_latin else 'Times New Roman, not embedded'}:")
        for locale in ("ar", "vi"):
            files = sorted((project / "output").glob(f"*/{locale}/**/*.docx"))
            certificates = [f.stat().st_size for f in files if f.parent.name == "certificates"]
            others = {f"{f.parts[-3]}/{f.name}": f.stat().st_size for f in files if f.parent.name != "certificates"}
            print(
                f"  {locale}: certificates {min(certificates) / 1024:.0f}-{max(certificates) / 1024:.0f} KB; "
                + ", ".join(f"{name} {size / 1024:.0f} KB" for name, size in others.items())
            )


if __name__ == "__main__":
    build_sizes(embed_latin=False)
    build_sizes(embed_latin=True)
