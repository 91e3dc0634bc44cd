"""Sorting names as each language's readers expect (the `awards.order: sorted` option).

Vietnamese people: by given name (the last word), then the rest; bodies (groups)
by their full name, word by word; letters in the
Vietnamese alphabet (a ă â b c d đ e ê ... ư v x y), tones only after the
letters (ngang, huyền, hỏi, ngã, sắc, nặng). Arabic: in alphabet order, with
hamza carriers, tā' marbūṭa and alif maqṣūra read as their base letters and
short vowels and tatweel ignored. Other locales: Unicode order of NFC text.
"""

from __future__ import annotations

import unicodedata

VIETNAMESE_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
# Tone marks in dictionary order; vowel-quality marks (breve, circumflex, horn) belong to the letter.
TONES = {"": 0, "\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
ARABIC_FOLD = str.maketrans({"آ": "ا", "أ": "ا", "إ": "ا", "ٱ": "ا", "ة": "ت", "ى": "ي", "ؤ": "و", "ئ": "ي"})
ARABIC_IGNORED = {"\u0640"} | {chr(c) for c in range(0x064B, 0x0653)} | {"\u0670"}


def sort_key(name: str, locale: str) -> tuple:
    if locale == "vi":
        words = name.split()
        given, rest = (words[-1], words[:-1]) if words else ("", [])
        return (_vietnamese_key(given), [_vietnamese_key(w) for w in rest], name)
    if locale == "ar":
        folded = "".join(c for c in name.translate(ARABIC_FOLD) if c not in ARABIC_IGNORED)
        return (folded, name)
    return (unicodedata.normalize("NFC", name).casefold(), name)


def group_sort_key(name: str, locale: str) -> tuple:
    """A body's name sorts by its full name, word by word ("Ban ...", "Công an ...", "Thanh tra ...");
    only people sort by their given name."""
    if locale == "vi":
        return ([_vietnamese_key(word) for word in name.split()], name)
    return sort_key(name, locale)


def _vietnamese_key(word: str) -> tuple:
    letters, tones = [], []
    for char in word.lower():
        base, tone = _split_tone(char)
        letters.append(VIETNAMESE_ALPHABET.index(base) if base in VIETNAMESE_ALPHABET else 100 + ord(base))
        tones.append(TONES[tone])
    return (letters, tones)


def _split_tone(char: str) -> tuple[str, str]:
    """``ễ`` -> (``ê``, tilde): the tone mark apart from the letter with its quality marks."""
    decomposed = unicodedata.normalize("NFD", char)
    tone = next((mark for mark in decomposed if mark in TONES and mark), "")
    base = (
        unicodedata.normalize("NFC", decomposed.replace(tone, "")) if tone else unicodedata.normalize("NFC", decomposed)
    )
    return base, tone
