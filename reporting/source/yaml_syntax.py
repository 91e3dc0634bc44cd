"""PyYAML's syntax errors in the clerk's language.

PyYAML words its errors in English ("mapping values are not allowed here"); the common ones are
matched here and said in the tool's language, the translation saying what usually causes them. A
wording not in the table is shown as PyYAML gives it, still under the translated "invalid YAML". The
problem's code is ``yaml-syntax`` whatever the wording.
"""

from __future__ import annotations

import re

from reporting.errors import shorten
from reporting.tool_language import N_, _, isolate

# PyYAML's wordings (its scanner's, parser's and composer's, as PyYAML 6 writes them), each the
# English of its message, so English reads as before; a ``token`` group is the character or token
# PyYAML names, shown as it is. The translations say what usually causes the error.
_WORDINGS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), message)
    for pattern, message in (
        (r"mapping values are not allowed here$", N_("mapping values are not allowed here")),
        (r"could not find expected ':'$", N_("could not find expected ':'")),
        (r"did not find expected key$", N_("did not find expected key")),
        (r"did not find expected '-' indicator$", N_("did not find expected '-' indicator")),
        (r"did not find expected node content$", N_("did not find expected node content")),
        (r"found unexpected end of stream$", N_("found unexpected end of stream")),
        (r"found unexpected ':'$", N_("found unexpected ':'")),
        (
            r"found character (?P<token>.+) that cannot start any token$",
            N_("found character {token} that cannot start any token"),
        ),
        (r"found unknown escape character (?P<token>.+)$", N_("found unknown escape character {token}")),
        (r"expected <block end>, but found (?P<token>.+)$", N_("expected <block end>, but found {token}")),
        (r"expected ',' or '\]', but got (?P<token>.+)$", N_("expected ',' or ']', but got {token}")),
        (r"expected ',' or '\}', but got (?P<token>.+)$", N_("expected ',' or '}}', but got {token}")),
        (
            r"expected a comment or a line break, but found (?P<token>.+)$",
            N_("expected a comment or a line break, but found {token}"),
        ),
        (r"expected the node content, but found (?P<token>.+)$", N_("expected the node content, but found {token}")),
        (
            r"expected a single document in the stream$",
            N_("expected a single document in the stream"),
        ),
    )
)


# The tokens PyYAML names in its errors, for the reader (English keeps PyYAML's names).
_TOKENS = {
    "'<stream end>'": N_("'<stream end>'"),
    "'<scalar>'": N_("'<scalar>'"),
    "'<block mapping start>'": N_("'<block mapping start>'"),
    "'<block sequence start>'": N_("'<block sequence start>'"),
    "'<block end>'": N_("'<block end>'"),
    "'<document start>'": N_("'<document start>'"),
    "'?'": N_("'?'"),
}


def syntax_problem(problem: str) -> str:
    """``invalid YAML: …`` in the tool's language for PyYAML's ``problem``."""
    for pattern, message in _WORDINGS:
        match = pattern.match(problem)
        if match:
            token = match.groupdict().get("token")
            shown = _(_TOKENS[token]) if token in _TOKENS else isolate(token)
            detail = _(message).format(token=shown) if token else _(message).format()
            return _("invalid YAML: {detail}").format(detail=detail)
    return _("invalid YAML: {detail}").format(detail=shorten(problem))
