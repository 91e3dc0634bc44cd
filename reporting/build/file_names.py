"""Output file names: a stable id plus a readable ASCII slug, safe on every operating system."""

from __future__ import annotations

import re
import unicodedata

# Letters NFKD does not decompose into ASCII.
_EXTRA_ASCII = str.maketrans({"đ": "d", "Đ": "D", "ß": "ss", "æ": "ae", "ø": "o", "ł": "l"})
MAX_SLUG = 40


def slug(text: str) -> str:
    """``Nguyễn Thị Hằng`` -> ``nguyen-thi-hang``; text without Latin letters gives ``""``.

    Our own few lines rather than a slugify package: backends differ and the GPL
    Unidecode changes results when installed (DESIGN.md §4). Bidi controls and
    any other non-ASCII character simply drop out.
    """
    ascii_text = unicodedata.normalize("NFKD", text.translate(_EXTRA_ASCII)).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    return "-".join(words)[:MAX_SLUG].strip("-")


def awardee_stem(serial: int, awardee_id: str, names: list[str]) -> str:
    """``07-i03-nguyen-thi-hang``: serial for print order, id for stability, slug for people.

    The id is validated as ``[a-z0-9][a-z0-9_-]*`` and unique per event, so the
    stem is unique and can never be a reserved name such as ``CON``.
    """
    readable = next((s for s in map(slug, names) if s), "")
    return f"{serial:02d}-{awardee_id}" + (f"-{readable}" if readable else "")
