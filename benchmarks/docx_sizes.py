"""DOCX sizes: what each Unicode range costs in the embedded Amiri subset, and the reference documents'
DOCX with and without the Latin font embedded (the Latin face's docx_embed in [fonts]).

    .venv/bin/python benchmarks/docx_sizes.py

Prints, per range set, the subset's size and its size deflated as in the DOCX (level 1), then the
sizes of the reference build's DOCX files (reports, lists, certificates) for both settings.
"""

from __future__ import annotations

import io
import shutil
import sys
import tempfile
import zlib
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reporting.cli import main  # noqa: E402
from reporting.writers import docx_fonts  # noqa: E402

AMIRI = ROOT / "templates" / "fonts" / "amiri" / "Amiri-Regular.ttf"


def subset_size(path: Path, codes: set[int], features: list[str]) -> tuple[int, int]:
    font = TTFont(path, recalcTimestamp=False)
    options = subset.Options()
    options.layout_features, options.hinting, options.notdef_outline = features, False, True
    options.name_IDs, options.name_languages, options.name_legacy = ["*"], ["*"], True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(codes & set(font.getBestCmap())))
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return len(out.getvalue()), len(zlib.compress(out.getvalue(), 1))


def ranges() -> None:
    cmap = set(TTFont(AMIRI, lazy=True).getBestCmap())
    block = {c for c in cmap if 0x0600 <= c <= 0x06FF}
    sets = {
        "digits and punctuation only": docx_fonts.PUNCTUATION,
        "shipped: Arabic alphabet, digits, punctuation": docx_fonts.ARABIC,
        "+ the rest of 0600-06FF (Persian, Urdu, Quranic)": docx_fonts.ARABIC | block,
        "+ Arabic Supplement 0750-077F": docx_fonts.ARABIC | {c for c in cmap if 0x0750 <= c <= 0x077F},
        "+ Presentation Forms A and B": docx_fonts.ARABIC | {c for c in cmap if 0xFB50 <= c <= 0xFEFF},
        "+ Basic Latin letters": docx_fonts.ARABIC | set(range(0x41, 0x5B)) | set(range(0x61, 0x7B)),
        "before: pages 00, 06, 20, 25, every feature": {c for c in cmap if c >> 8 in (0x00, 0x06, 0x20, 0x25)},
        "whole font": cmap,
    }
    print("Amiri Regular subset                                   chars   bytes    deflated")
    for name, codes in sets.items():
        features = ["*"] if name.startswith(("before", "whole")) else docx_fonts.SHAPING_FEATURES
        size, packed = subset_size(AMIRI, set(codes), features)
        print(f"  {name:52s} {len(set(codes) & cmap):5d} {size / 1024:7.1f} KB {packed / 1024:7.1f} KB")


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
    ranges()
    build_sizes(embed_latin=False)
    build_sizes(embed_latin=True)
