"""Jinja rendering: one environment per locale, with its catalog and filters installed."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

import jinja2
from jinja2.sandbox import SecurityError
from markupsafe import Markup

from reporting.config import PageGeometry, Project
from reporting.errors import TemplateError
from reporting.font_faces import font_face_css
from reporting.language.bidi import isolate_ltr, isolate_rtl, localize_digits
from reporting.language.filters import LocalFilters
from reporting.language.grammar import cases
from reporting.language.line_breaks import keep_together
from reporting.language.locales import LocaleFacts
from reporting.language.messages import TrackedTranslations, load_translations, untranslated_warnings
from reporting.language.sentences import PlaceholderValues
from reporting.sandbox import TemplateSandbox
from reporting.source.document_formats import document_format, profile
from reporting.source.figures import EventBundle
from reporting.tool_language import _, isolate

# The awards' counts are phrased by the catalog's plural forms (with a case as context where the language declines).
AWARDED_GROUPS = ("%(num)s group", "%(num)s groups")
AWARDED_INDIVIDUALS = ("%(num)s individual", "%(num)s individuals")


def _bytecode_cache() -> jinja2.BytecodeCache:
    """Compiled templates kept in the cache folder: compiling them was a tenth of a build with nothing
    to write. Jinja checks each entry against its template's source; the folder is named by this
    package's code (the environment's settings, extensions and sandbox live in it) and Jinja's version."""
    from reporting.build import cache
    from reporting.build.freshness import code_version

    folder = cache.folder("jinja") / f"{code_version()[:24]}-{jinja2.__version__}"
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
    return _QuietBytecodeCache(str(folder))


class _QuietBytecodeCache(jinja2.FileSystemBytecodeCache):
    """A cache folder that cannot be read or written only costs the compiling."""

    def load_bytecode(self, bucket) -> None:
        with contextlib.suppress(OSError):
            super().load_bytecode(bucket)

    def dump_bytecode(self, bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


class Renderer:
    """Renders the project's templates to HTML strings for any configured locale."""

    def __init__(self, project: Project):
        self.project = project
        self._environments: dict[str, tuple[jinja2.Environment, LocalFilters]] = {}
        self._values: dict[tuple[str, str], dict[str, str]] = {}  # (event id, locale): one per event, not per page

    def environment(self, locale: str) -> tuple[jinja2.Environment, LocalFilters]:
        if locale not in self._environments:
            self._environments[locale] = self._make_environment(locale)
        return self._environments[locale]

    def _make_environment(self, locale: str) -> tuple[jinja2.Environment, LocalFilters]:
        facts = LocaleFacts(self.project.locales[locale])
        translations = load_translations(self.project.catalogs_dir, locale)
        # Templates travel on shared drives like data: the sandbox keeps one from reaching
        # Python internals (no attribute starting with "_", no mutation, range() bounded).
        env = TemplateSandbox(
            loader=jinja2.FileSystemLoader(self.project.templates_dir),
            # Every template is HTML; select_autoescape() would not match *.html.j2 (DESIGN.md §4).
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            extensions=["jinja2.ext.i18n"],
            trim_blocks=True,
            lstrip_blocks=True,
            bytecode_cache=_bytecode_cache(),
        )
        # jinja2.ext.i18n adds this method at run time (Environment.extend): Jinja's annotations cannot know it.
        env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
        filters = LocalFilters(facts, translations)
        env.filters.update(filters.as_dict())
        env.globals["comma"] = filters.comma
        env.globals["profile"] = profile  # globals reach imported macros, the context does not
        env.filters["document_format"] = document_format
        return env, filters

    def _font_css(self, locale: str) -> Markup:
        """The @font-face rules of the faces the locale uses ([fonts] in reporting.toml), in the table's order."""
        used = self.project.faces(locale)
        return font_face_css(tuple(face for face in self.project.fonts.values() if face in used))

    def untranslated(self) -> list[str]:
        """A warning for each message the documents rendered so far used without a translation."""
        warnings = []
        for locale, (_environment, filters) in sorted(self._environments.items()):
            if isinstance(filters.translations, TrackedTranslations):  # (always: load_translations makes them)
                warnings += untranslated_warnings(self.project.catalogs_dir, locale, filters.translations)
        return warnings

    def _placeholder_values(self, bundle: EventBundle, locale: str, filters: LocalFilters) -> dict[str, str]:
        key = (bundle.event.id, locale)
        if key not in self._values:
            self._values[key] = placeholder_values(bundle, filters)
        return self._values[key]

    def render(self, template: str, locale: str, bundle: EventBundle, page: PageGeometry, **extra) -> str:
        env, filters = self.environment(locale)
        if isinstance(filters.translations, TrackedTranslations):  # which template a missing message is from
            filters.translations.using = template
        facts = filters.facts
        context = {
            "event": bundle.event,
            "bundle": bundle,
            "lang": locale,
            "dir": facts.direction,
            "values": self._placeholder_values(bundle, locale, filters),
            "page_css": self._font_css(locale) + page_css(page) + locale_css(facts),
            "digits": facts.settings.digits,
            "page_number": Markup('<span class="page-number"></span>'),
            "page_count": Markup('<span class="page-count"></span>'),
            **extra,
        }
        try:
            html = env.get_template(template).render(context)
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(f"{isolate(f'{exc.filename or exc.name}:{exc.lineno}')}: {exc.message}") from None
        except (jinja2.TemplateError, SecurityError) as exc:
            raise TemplateError(f"{isolate(_template_position(template))}: {exc}") from None
        except (RecursionError, OverflowError, MemoryError) as exc:
            raise TemplateError(
                f"{isolate(_template_position(template))}: "
                + _("the template does not terminate ({reason})").format(reason=type(exc).__name__)
            ) from None
        html = keep_together(html)
        if facts.settings.digits != "latn":
            html = localize_digits(html, facts.digits)
        return isolate_ltr(html) if facts.direction == "rtl" else isolate_rtl(html)


def placeholder_values(bundle: EventBundle, filters: LocalFilters) -> PlaceholderValues:
    """What ``{name}``, ``{name:counted}``, ``{name:counted:case}`` and ``{name:fraction}`` in data
    texts stand for, and the counts that choose a sentence's variants."""
    event = bundle.event
    values = {"date": filters.long_date(event.date), "period": filters.period(event.period)}
    counts: dict[str, float] = {}
    for name, figure in event.figures.items():
        values[name] = filters.figure(figure)
        counts[name] = figure.value
        for case, suffix in _case_suffixes(filters):
            values[f"{name}:counted{suffix}"] = filters.counted(figure, case)
    if event.awards is not None:
        for name, awardees, message in (
            ("awarded_groups", bundle.groups, AWARDED_GROUPS),
            ("awarded_individuals", bundle.individuals, AWARDED_INDIVIDUALS),
        ):
            counts[name] = len(awardees)
            values[name] = filters.number(len(awardees))
            for case, suffix in _case_suffixes(filters):
                values[f"{name}:counted{suffix}"] = filters.count_phrase(*message, len(awardees), case)
    for name, ratio in bundle.ratios.items():
        values[name] = filters.ratio(ratio.part, ratio.whole, ratio.ratio.decimals)
        values[f"{name}:fraction"] = filters.fraction(ratio.part, ratio.whole)
    return PlaceholderValues(values, counts)


def _case_suffixes(filters: LocalFilters) -> list[tuple[str | None, str]]:
    """``:counted`` without a case, or ``:counted:genitive`` and the other cases where the language declines."""
    names = cases(filters.facts.code)
    return [(case, f":{case}") for case in names] if names else [(None, "")]


def page_css(page: PageGeometry) -> Markup:
    """The ``@page`` rule, from the same geometry the DOCX section uses."""
    top, right, bottom, left = page.margins_mm
    # A page-filling block (the certificate frame) is a hair shorter than the
    # page box so rounding can never push it onto a second page.
    content_height = page.height_mm - top - bottom - 1
    extras = (f" bleed: {page.bleed_mm:g}mm;" if page.bleed_mm else "") + (" marks: crop;" if page.crop_marks else "")
    return Markup(
        f"@page {{ size: {page.width_mm:g}mm {page.height_mm:g}mm; "
        f"margin: {top:g}mm {right:g}mm {bottom:g}mm {left:g}mm;{extras} }}\n"
        f":root {{ --page-content-height: {content_height:g}mm; }}"
    )


def locale_css(facts) -> Markup:
    """Body size and page-number digits, from reporting.toml like everything a locale decides."""
    style = "arabic-indic" if facts.settings.digits == "arab" else "decimal"
    return Markup(
        f"\nhtml {{ font-size: {facts.settings.font_size_pt:g}pt; }}\n"
        f".page-number::before {{ content: counter(page, {style}); }}\n"
        f".page-count::before {{ content: counter(pages, {style}); }}"
    )


def _template_position(template: str) -> str:
    """The template file and line where rendering failed, from the traceback Jinja rewrote."""
    tb = sys.exc_info()[2]
    where = template
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            where = f"{Path(filename).name}:{tb.tb_lineno}"
        tb = tb.tb_next
    return where
