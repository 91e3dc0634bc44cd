"""Table geometry for the DOCX from the stylesheets WeasyPrint reads: column widths and text that must not wrap.

LibreOffice takes a table's grid as written and ignores ``w:noWrap``, so a
column the CSS sizes (``td:first-child { width: 40% }``) or keeps on one line
(``white-space: nowrap``: a name, "99.2% (624/629)") gets that width in the
grid: percentages as the CSS gives them, a no-wrap column at least as wide as
its longest text measured with the font's advance widths (plus the cell's
padding), the other columns sharing the rest by their text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import cssselect2
import tinycss2

_SPACE = re.compile(r"[ \t\n\f\r]+")
_PERCENT = re.compile(r"^\s*(\d+(?:\.\d+)?)%\s*$")
TEXT_WEIGHT_RANGE = (8, 20)  # text columns share by their longest text, counted within these bounds


@dataclass(frozen=True)
class CellRule:
    """What the stylesheet says about one cell: its width as a share of the table, whether it wraps."""

    width_pct: float | None = None
    nowrap: bool = False
    nowrap_texts: tuple[str, ...] = ()  # texts of elements inside the cell that must not wrap


class Stylesheets:
    """The rules of a document's linked stylesheets that size table cells, matched like CSS."""

    def __init__(self, paths: tuple[Path, ...]):
        self.matcher = cssselect2.Matcher()
        for path in paths:
            for selector, declarations in _sizing_rules(path):
                self.matcher.add_selector(selector, declarations)

    def cell_rules(self, root) -> dict[object, CellRule]:
        """Each td/th element of ``root`` (the parsed HTML) -> what the stylesheets say about it and
        about the elements inside it that must not wrap."""
        rules: dict[object, CellRule] = {}
        wrapper = cssselect2.ElementWrapper.from_html_root(root)
        for element in wrapper.iter_subtree():
            found = self._declarations(element)
            if element.local_name in ("td", "th"):
                width = _PERCENT.match(found.get("width", ""))
                rule = CellRule(float(width[1]) if width else None, found.get("white-space") == "nowrap")
                if rule != CellRule():
                    rules[element.etree_element] = replace(
                        rules.get(element.etree_element, CellRule()), width_pct=rule.width_pct, nowrap=rule.nowrap
                    )
            elif found.get("white-space") == "nowrap":
                cell = next((a for a in element.iter_ancestors() if a.local_name in ("td", "th")), None)
                if cell is not None:
                    old = rules.get(cell.etree_element, CellRule())
                    rules[cell.etree_element] = replace(
                        old, nowrap_texts=old.nowrap_texts + (text_of(element.etree_element),)
                    )
        return rules

    def _declarations(self, element) -> dict[str, str]:
        found: dict[str, str] = {}
        for _specificity, _order, _pseudo, declarations in sorted(self.matcher.match(element)):
            found.update(declarations)  # later and more specific rules win, as in the cascade
        return found


@lru_cache(maxsize=16)
def _sizing_rules(path: Path) -> tuple[tuple, ...]:
    """(compiled selector, {width, white-space}) for every rule of the file that sets either."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return ()
    found: list[tuple] = []
    for rule in tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True):
        if rule.type != "qualified-rule":
            continue
        declarations = {
            d.lower_name: tinycss2.serialize(d.value).strip()
            for d in tinycss2.parse_declaration_list(rule.content, True, True)
            if d.type == "declaration" and d.lower_name in ("width", "white-space")
        }
        if not declarations:
            continue
        try:
            selectors = cssselect2.compile_selector_list(rule.prelude)
        except cssselect2.SelectorError:
            continue
        found.extend((selector, declarations) for selector in selectors)
    return tuple(found)


@dataclass(frozen=True)
class Cell:
    """A cell a column holds alone: its rule, its text's length and, if it must not wrap, its width in twips."""

    rule: CellRule
    length: int
    width: float = 0.0


def column_widths(columns: list[list[Cell]], total: int, equal: bool) -> list[int]:
    """Column widths in twips from the cells each column holds alone.

    A column with a CSS percentage takes it; a no-wrap column the width of its
    longest text (at most half the table); the rest share what is left, equally
    in layout tables, else by their text.
    """
    fixed: dict[int, int] = {}
    for index, cells in enumerate(columns):
        percent = _percent(cells)
        nowrap = [cell.width for cell in cells if cell.rule.nowrap]
        if percent is not None:
            fixed[index] = round(total * percent / 100)
        if nowrap:
            fixed[index] = max(fixed.get(index, 0), min(round(max(nowrap)), total // 2))
    rest = max(total - sum(fixed.values()), 0)
    free = [index for index in range(len(columns)) if index not in fixed]
    if not free:  # every column sized: what is left widens the no-wrap text columns, as auto layout does
        free = [
            index
            for index in fixed  # not a CSS width (1%: as narrow as the content)
            if all(cell.rule.width_pct is None for cell in columns[index])
        ] or list(fixed)
        return _scaled(
            [
                fixed[index] + (round(rest * fixed[index] / sum(fixed[i] for i in free)) if index in free else 0)
                for index in range(len(columns))
            ],
            total,
        )
    weights = {index: 1.0 if equal else _text_weight(columns[index]) for index in free}
    return _scaled(
        [fixed.get(index) or round(rest * weights[index] / sum(weights.values())) for index in range(len(columns))],
        total,
    )


def _percent(cells: list[Cell]) -> float | None:
    """The column's CSS percentage; ``width: 1%`` (as narrow as the content) counts as none given."""
    percent = next((cell.rule.width_pct for cell in cells if cell.rule.width_pct is not None), None)
    return percent if percent is not None and percent > 1 else None


def _scaled(widths: list[int], total: int) -> list[int]:
    """No wider than the table: LibreOffice would run the grid past the margin."""
    scale = total / sum(widths) if sum(widths) > total else 1.0
    return [round(width * scale) for width in widths]


def _text_weight(cells: list[Cell]) -> float:
    low, high = TEXT_WEIGHT_RANGE
    longest = max((cell.length for cell in cells), default=0)
    return min(max(longest, low), high) + 2


def text_of(cell) -> str:
    return _SPACE.sub(" ", "".join(cell.itertext())).strip()
