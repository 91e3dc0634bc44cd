"""The documents' ``@font-face`` rules, written from reporting.toml's ``[fonts]`` table.

The stylesheets name faces by family ("Report Amiri"); which files those are is
declared once, in ``[fonts]``, which the DOCX writer and the fonts preflight read
too. Each document gets the rules of the faces its locale uses, in its own
``<style>`` (render.py), with URLs relative to the templates folder, the
document's base.
"""

from __future__ import annotations

from markupsafe import Markup

from reporting.config import FontFace


def font_face_css(faces: tuple[FontFace, ...]) -> Markup:
    """One ``@font-face`` rule per file of each face, in the order given.

    Family names and file names are safe inside CSS strings and ``url()``: the
    settings refuse quotes, backslashes and angle brackets in them (config.py)."""
    rules = [
        f'@font-face {{ font-family: "{face.family}"; src: url({path}); '
        f"font-weight: {weight}; font-style: {style}; }}\n"
        for face in faces
        for path, weight, style in face.styles
    ]
    return Markup("".join(rules))
