"""What of a font a DOCX embeds: the glyphs and OpenType features that shape its text, nothing more.

What each part costs is measured by benchmarks/font_subset_costs.py (per Unicode
range, per feature, per table, deflated as the DOCX zip stores them).
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from fontTools import subset
from fontTools.ttLib import TTFont

# The features HarfBuzz (LibreOffice) and Word's shapers apply by default to Arabic and
# Latin text, less the optional ones: joining forms (isol, init, medi, fina and their
# Syriac-style variants), required ligatures (rlig: lam-alef, the Allah ligature), marks
# on letters (mark, mkmk), kerning and cursive attachment. Stylistic sets, fractions and
# swashes are never asked for. Contextual alternates (calt) are optional too: a user may
# switch them off, so a font shapes correctly without them, and in Amiri they are its
# calligraphic variants (a beh before a yeh, a kaf before a lam...), 800 of the 1150
# glyphs of an Arabic-alphabet subset and 60% of its bytes; without them an Arabic
# certificate DOCX is 60 KB instead of 137 KB. The PDF keeps them (WeasyPrint embeds its
# own subsets).
SHAPING_FEATURES = [
    "ccmp",
    "locl",
    "rvrn",
    "isol",
    "init",
    "medi",
    "fina",
    "fin2",
    "fin3",
    "med2",
    "rlig",
    "clig",
    "liga",
    "rclt",
    "mset",
    "kern",
    "mark",
    "mkmk",
    "curs",
    "rtlm",
    "abvm",
    "blwm",
    "dist",
]
# Changes with every option below: it is part of the key of the subsets kept between builds.
RECIPE = "shaping-features-without-calt, names, no-hinting"


def embeddable(font: TTFont, unicodes: Iterable[int], features: Iterable[str] = SHAPING_FEATURES) -> bytes:
    """The bytes of ``font`` cut down to the characters ``unicodes`` and the ``features`` that shape them."""
    options = subset.Options()
    options.layout_features = list(features)
    # Word finds an embedded face by the names it carries, and the OFL asks the copyright
    # and licence to travel with the font: every name is kept (under 1 KB deflated).
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.name_legacy = True
    options.notdef_outline = True
    # TrueType hinting is a third of Noto Serif's bytes and only tunes screen pixels at small
    # sizes (Word's DirectWrite and LibreOffice render unhinted outlines well; print ignores
    # it). Glyph names (post format 2) are dropped by default: shapers never read them.
    options.hinting = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(unicodes))
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()
