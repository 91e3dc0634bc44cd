"""Where a line may not break: inside codes, between a number and the word after it, before a title's last word.

"Chỉ thị số 35-CT/" | "TW" and "tại 12" | "đơn vị" are misreadings waiting to
happen, and a title ending in one lonely word looks broken. The rendered
HTML gets ``<span class="nobr">`` round each such group: CSS keeps it on one
line in the PDF (``white-space: nowrap``), and the DOCX writer turns it into
Word's own no-break characters. The text itself is unchanged, so copying from
the PDF gives ordinary spaces and hyphens.
"""

from __future__ import annotations

import html as html_module
import re

from reporting.language.bidi import map_fragments

# A word, with the combining marks and joiners that belong to it (an Arabic word cut before its
# tanwin, فرد|ًا, would lose its joining across the element boundary).
_WORD = r"[^\W_][\w\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u200c\u200d]*"
# A code or date: words joined by "-" or "/", one of them with a digit (35-CT/TW, 1568/QĐ-UBND,
# 26/5/2014, 2014-2024); or a number and the word after it (12 đơn vị, 14,400 جلسة, 576 triệu đồng);
# An Arabic proclitic written onto the number stays with it (لـ10 جماعات، و14,400 جلسة).
_KEEP = re.compile(
    rf"(?=[^\s]*\d){_WORD}(?:[-/]{_WORD})+"
    rf"|(?<![\w.,٬٫\u0640])[\u0621-\u064a\u0640]{{0,3}}\d+(?:[.,٬٫]\d+)* {_WORD}"
)
# Both kinds hold a digit (map_fragments leaves text without one as it is).
_KEEP_CONTAINS = r"\d"
# A heading's last two words, when the heading is plain text.
_HEADING_END = re.compile(r"(<h([12])\b[^>]*>)([^<]*?)([^\s<]+ [^\s<]+)(\s*</h\2>)")


def keep_together(html: str) -> str:
    """``html`` with every code, number-and-word and heading's last two words in ``<span class="nobr">``."""
    html = _HEADING_END.sub(r'\1\3<span class="nobr">\4</span>\5', html)
    return map_fragments(
        html, lambda text: f'<span class="nobr">{html_module.escape(text, quote=False)}</span>', _KEEP, _KEEP_CONTAINS
    )
