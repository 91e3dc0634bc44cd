"""The calibration page for printing on pre-printed stock.

Printed on plain paper at 100% and held against a pre-printed form (against
the light), it shows where the printer will put each variable text: a ruler
grid in millimetres from the sheet's top-left corner (where the paper is; not
moved), and each variable box outlined with crosshairs at its corner and
centre, moved by the printer's calibration offset exactly as the texts are.
If a crosshair lands 1.5 mm left of where the form wants the text, add 1.5 to
``offset_mm.x``.
"""

from __future__ import annotations

from html import escape

from reporting.writers.layer_html import head_of
from reporting.writers.pdf_layers import StaticLayer

PX_PER_MM = 96 / 25.4
_CSS = """
@page {{ size: {width:.4f}px {height:.4f}px; margin: 0; bleed: 0; marks: none; }}
html, body {{ margin: 0; padding: 0; }}
body > section, body > section * {{ border: none; }}
.line {{ position: absolute; border: none; background: #9aa; }}
.line.major {{ background: #355; }}
.label {{ position: absolute; font-size: 7pt; line-height: 1; color: #355; font-family: "Report Noto Serif"; }}
.box {{ position: absolute; border: 0.6pt dashed #c00; }}
.cross {{ position: absolute; background: #c00; }}
.name {{ position: absolute; font-size: 8pt; line-height: 1; color: #c00; font-family: "Report Noto Serif";
  direction: ltr; white-space: nowrap; }}
.note {{ position: absolute; left: 12mm; bottom: 4mm; font-size: 8pt; color: #000;
  font-family: "Report Noto Serif"; direction: ltr; }}
"""


def calibration_html(static_html: str, layer: StaticLayer, offset_mm: tuple[float, float]) -> str:
    """One page the size of the sheet: the grid, then the variable boxes where they will print."""
    width, height = layer.page_width, layer.page_height
    css = _CSS.format(width=width, height=height)
    head = head_of(static_html).replace("</head>", f"<style>{css}</style>\n</head>", 1)
    parts = _grid(width / PX_PER_MM, height / PX_PER_MM)
    for box in layer.boxes:
        parts += _box(box, offset_mm)
    note = (
        f"x {offset_mm[0]:+.1f} mm, y {offset_mm[1]:+.1f} mm (print.offset_mm); "
        "print at 100% (no fit to page) on plain paper"
    )
    parts.append(f'<div class="note">{escape(note)}</div>')
    return head + '<div dir="ltr">' + "\n".join(parts) + "</div>\n</body>\n</html>\n"


def _grid(width_mm: float, height_mm: float) -> list[str]:
    """Lines every 5 mm (every 10 mm darker), labelled every 10 mm along the top and left edges."""
    parts = []
    for mm in range(5, int(width_mm) + 1, 5):
        kind = "line major" if mm % 10 == 0 else "line"
        thick = 0.5 if mm % 10 == 0 else 0.25
        parts.append(
            f'<div class="{kind}" style="left: {mm}mm; top: 0; width: {thick}pt; height: {height_mm:.2f}mm"></div>'
        )
        if mm % 10 == 0:
            parts.append(f'<div class="label" style="left: {mm + 0.6}mm; top: 0.6mm">{mm}</div>')
    for mm in range(5, int(height_mm) + 1, 5):
        kind = "line major" if mm % 10 == 0 else "line"
        thick = 0.5 if mm % 10 == 0 else 0.25
        parts.append(
            f'<div class="{kind}" style="top: {mm}mm; left: 0; height: {thick}pt; width: {width_mm:.2f}mm"></div>'
        )
        if mm % 10 == 0:
            parts.append(f'<div class="label" style="top: {mm + 0.6}mm; left: 0.6mm">{mm}</div>')
    return parts


def _box(box, offset_mm: tuple[float, float]) -> list[str]:
    """The box outlined, crosshairs (10 mm arms) at its top-left corner and its centre, and its name."""
    x, y = box.page_x / PX_PER_MM + offset_mm[0], box.page_y / PX_PER_MM + offset_mm[1]
    w, h = box.width / PX_PER_MM, box.height / PX_PER_MM
    parts = [f'<div class="box" style="left: {x:.3f}mm; top: {y:.3f}mm; width: {w:.3f}mm; height: {h:.3f}mm"></div>']
    for cx, cy in ((x, y), (x + w / 2, y + h / 2)):
        parts.append(
            f'<div class="cross" style="left: {cx - 5:.3f}mm; top: {cy:.3f}mm; width: 10mm; height: 0.4pt"></div>'
        )
        parts.append(
            f'<div class="cross" style="left: {cx:.3f}mm; top: {cy - 5:.3f}mm; width: 0.4pt; height: 10mm"></div>'
        )
    label = f"{box.name}: x {x:.1f} mm, y {y:.1f} mm"
    parts.append(f'<div class="name" style="left: {x + 1:.3f}mm; top: {y + 1:.3f}mm">{escape(label)}</div>')
    return parts
