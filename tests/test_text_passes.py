"""The passes over a rendered document's text (bidi isolation, digits, line breaks) leave alone the text
nodes that cannot change, and give the same HTML as taking every text node apart would."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reporting.language import bidi
from reporting.language.bidi import isolate_ltr, isolate_rtl, localize_digits
from reporting.language.line_breaks import keep_together

# Every text node, as the passes found them before they learnt to skip some: the reference.
EVERY_NODE = re.compile(r">([^<]+)(?=<)")
ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
PASSES = {
    "isolate_ltr": isolate_ltr,
    "isolate_rtl": isolate_rtl,
    "keep_together": keep_together,
    "localize_digits": lambda html: localize_digits(html, lambda text: text.translate(ARABIC_DIGITS)),
}
# Pieces of certificates' text: Latin, Vietnamese, Arabic, digits, codes, entities, markup characters.
PIECES = st.sampled_from(
    [
        " ",
        "\n",
        "Nguyễn Văn A",
        "35-CT/TW",
        "26/5/2014",
        "1568/QĐ-UBND",
        "12 đơn vị",
        "99.2%",
        "نينه بينه",
        "التوجيه رقم",
        "لـ10 جماعات",
        "١٢",
        "&amp;",
        "&#39;",
        "&lt;",
        "&gt;",
        "&",
        ">",
        "a\u200db",
        "ă\u0301",
        "%",
        "-",
        "/",
    ]
)
TAGS = st.sampled_from(["<p>", "</p>", "<br>", '<span class="x">', "</span>", "<h1>", "</h1>", "<td>", "</td>"])


@st.composite
def documents(draw) -> str:
    """A document whose body mixes tags and text, some text nodes repeated (as a chunk's certificates repeat them)."""
    parts = draw(st.lists(st.one_of(TAGS, st.lists(PIECES, min_size=1, max_size=6).map("".join)), max_size=30))
    parts += parts[: draw(st.integers(0, len(parts)))]
    return '<html><head><title>35-CT/TW</title></head><body class="b">' + "".join(parts) + "</body></html>"


@pytest.mark.parametrize("name", PASSES)
@settings(max_examples=50, deadline=None)
@given(html=documents())
def test_skipping_nodes_changes_nothing(name, html):
    text_pass = PASSES[name]
    found = text_pass(html)
    original = bidi._text_nodes
    bidi._text_nodes = lambda contains: EVERY_NODE
    try:
        expected = text_pass(html)
    finally:
        bidi._text_nodes = original
    assert found == expected


def test_text_without_fragments_is_still_re_escaped():
    """A node with nothing to isolate still has its entities and ">" written as the other nodes are."""
    page = "<html><body><p>{}</p><p>{}</p></body></html>"
    assert isolate_rtl(page.format("it&#39;s", "a > b")) == page.format("it's", "a &gt; b")
    assert isolate_ltr(page.format("مرحبا &#39;", "ب > ا")) == page.format("مرحبا '", "ب &gt; ا")
    assert keep_together(page.format("&#x41;", "x>y")) == page.format("A", "x&gt;y")


def test_repeated_text_is_mapped_alike_each_time():
    nodes = "".join("<p>القرار رقم 1568/QĐ-UBND</p>" for _ in range(3))
    html = isolate_ltr(f"<body>{nodes}</body>")
    assert html == "<body>" + '<p>القرار رقم <bdi dir="ltr">1568/QĐ-UBND</bdi></p>' * 3 + "</body>"
