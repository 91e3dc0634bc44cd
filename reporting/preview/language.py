"""Which language the preview speaks to one browser.

``--ui-language`` or ``[ui] language`` fixes it for every browser (a team that wants one language on
every screen). Without either, each request is answered in the first language its ``Accept-Language``
asks for that the tool speaks, else in the language the environment chose for the server, else English.
Only in that case does a page depend on the request's header, which the server then says with
``Vary: Accept-Language``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from reporting.tool_language import SOURCE_LANGUAGE, from_accept_language, from_environment, supported


@dataclass(frozen=True)
class PreviewLanguage:
    fixed: str | None  # --ui-language or [ui] language: every browser gets it
    fallback: str = SOURCE_LANGUAGE  # the environment's choice, for a browser asking for none we speak

    @property
    def follows_browser(self) -> bool:
        return self.fixed is None

    def for_request(self, accept_language: str | None) -> str:
        if self.fixed:
            return self.fixed
        return from_accept_language(accept_language) or self.fallback


def preview_language(option: str | None, configured: str | None, environ: Mapping[str, str]) -> PreviewLanguage:
    """The preview's rule from the option, the project's setting and the environment (in that order)."""
    fixed = supported(option) or supported(configured)
    return PreviewLanguage(fixed, fixed or from_environment(environ) or SOURCE_LANGUAGE)
