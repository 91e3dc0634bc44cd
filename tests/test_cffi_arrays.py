"""The glyph arrays WeasyPrint hands HarfBuzz are cffi's own types, made without parsing C each time."""

from __future__ import annotations

import cffi
import pytest
from cffi import CDefError

import reporting.writers.pdf  # (installs the array types on WeasyPrint's ffi)
from reporting.writers import cffi_arrays

weasyprint_ffi = reporting.writers.pdf.weasyprint_ffi


def test_a_fixed_length_array_is_the_type_cffi_parses_made_without_the_parser(monkeypatch):
    parser = cffi.FFI()  # one that parses as cffi does (its backend keeps one object per type)
    parser.cdef("typedef uint32_t hb_codepoint_t;")
    expected = parser.typeof("hb_codepoint_t[4321]")
    weasyprint_ffi._parsed_types.pop("hb_codepoint_t[4321]", None)

    def no_parsing(cdecl):
        raise AssertionError(f"parsed {cdecl!r}")

    weasyprint_ffi.typeof("hb_codepoint_t")  # the element type, parsed once
    monkeypatch.setattr(weasyprint_ffi._parser, "parse_type", no_parsing)
    glyphs = weasyprint_ffi.new("hb_codepoint_t[4321]", list(range(4321)))
    assert weasyprint_ffi.typeof(glyphs) is expected and list(glyphs)[-2:] == [4319, 4320]
    assert weasyprint_ffi.typeof("hb_codepoint_t[4321]") is expected


def test_other_types_and_unknown_names_are_cffis_own_answers():
    assert cffi_arrays._ARRAY.fullmatch("PangoRectangle *") is None
    assert str(weasyprint_ffi.typeof("char[4]")) == "<ctype 'char[4]'>"
    with pytest.raises(CDefError, match="unknown identifier"):
        weasyprint_ffi.typeof("no_such_type_t[3]")
    cffi_arrays.derive_array_types(weasyprint_ffi)  # again: nothing changes
    assert type(weasyprint_ffi._parsed_types) is cffi_arrays._ParsedTypes
