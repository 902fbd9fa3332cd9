"""The reader's language, and everything shown in it that does not come from a catalogue: dates, numbers and
country names (CLDR through Babel, with the UN's own forms where they differ), the order of sorted lists (ICU
collation), list separators, and translatable rows (terms, experts, pages) in the active language.

Dates follow the UN's editorial practice in each language: "15 December 2026" (day first, as the UN's English
editorial manual writes it), "15 décembre 2026", "15 de diciembre de 2026", "15 декабря 2026 года", "2026年12月15日",
and in Arabic "15 كانون الأول/ديسمبر 2026": the UN's Arabic documents name each Gregorian month twice, the Levantine
name and the transliterated one, joined by a slash (with "يونيه" and "يوليه" as the UN spells them).

Digit policy for Arabic: Latin digits (0-9), CLDR's default numbering system for the generic ``ar`` locale, as
on the UN's own Arabic pages and across the Maghreb; Arabic-Indic digits (٠-٩) would mix badly with the codes,
years and ISO references the handbook quotes. Every formatter here asks for the Latin numbering system
explicitly, so a future CLDR default cannot change it silently (tests/test_rtl.py checks it).
"""

import contextlib
import contextvars
import datetime
import functools
import json
from pathlib import Path

import icu
from babel import Locale
from babel.dates import format_date, get_timezone_gmt, get_timezone_location
from babel.numbers import format_decimal, format_percent
from django.conf import settings
from django.utils import timezone, translation
from wagtail.coreutils import get_supported_content_language_variant

NUMBERING_SYSTEM = "latn"

# The UN's names where CLDR's differ (source stated in the file).
UN_COUNTRY_NAMES = json.loads((Path(__file__).with_name("un_country_names.json")).read_text("utf-8"))["names"]

UN_ARABIC_MONTHS = (
    "كانون الثاني/يناير",
    "شباط/فبراير",
    "آذار/مارس",
    "نيسان/أبريل",
    "أيار/مايو",
    "حزيران/يونيه",
    "تموز/يوليه",
    "آب/أغسطس",
    "أيلول/سبتمبر",
    "تشرين الأول/أكتوبر",
    "تشرين الثاني/نوفمبر",
    "كانون الأول/ديسمبر",
)

# Long-date patterns (CLDR syntax) where the UN writes a date otherwise than CLDR's default long format.
UN_DATE_PATTERNS = {"en": "d MMMM y", "ru": "d MMMM y 'года'"}

# What separates the items of a list built in code: the Arabic comma in Arabic, the enumeration comma in Chinese.
LIST_SEPARATORS = {"ar": "، ", "zh": "、"}


def reader_language():
    """The language Django has activated for this request (the site's default outside one), as Django names it."""
    return translation.get_language() or settings.LANGUAGE_CODE


def active_language():
    """The content language the reader is reading (e.g. ``zh-hans``), one of ``WAGTAIL_CONTENT_LANGUAGES``."""
    return get_supported_content_language_variant(reader_language())


_translations_memo = contextvars.ContextVar("translations_memo", default=None)


@contextlib.contextmanager
def memoised_translations():
    """Inside the block, ``in_active_language`` reads each queryset once per language and answers from memory: for
    bulk work such as a search index rebuild, which asks for the same few terms, experts and centres for every page
    (a query per page and field otherwise). Not for requests: rows changed inside the block are not seen."""
    token = _translations_memo.set({})
    try:
        yield
    finally:
        _translations_memo.reset(token)


def _one_per_key(rows, language):
    chosen = {}
    for row in rows:
        if row.translation_key not in chosen or row.locale.language_code == language:
            chosen[row.translation_key] = row
    return list(chosen.values())


def in_active_language(queryset, translation_keys, order_by=None):
    """Rows of ``queryset`` whose translation key is in ``translation_keys`` (a list or a subquery), one per key:
    the active language's row where it exists, else the default language's. One query (none inside
    ``memoised_translations`` once the queryset was read for the language, when the keys are a list).

    Pages link to the default-language row of a translatable object and wagtail-localize copies those links
    unchanged into translations, so each linked object is swapped for its translation at display time."""
    language = active_language()
    languages = {language, settings.LANGUAGE_CODE}
    memo = _translations_memo.get()
    if memo is not None and isinstance(translation_keys, list | tuple | set):
        # The filter itself is the key (hashable, and cheap where compiling the SQL is not).
        key = (queryset.model, queryset.query.where, language, tuple(order_by or []))
        if key not in memo:
            every = queryset.filter(locale__language_code__in=languages).select_related("locale")
            memo[key] = _one_per_key(every.order_by(*(order_by or [])), language)
        wanted = set(translation_keys)
        return [row for row in memo[key] if row.translation_key in wanted]
    rows = queryset.filter(translation_key__in=translation_keys, locale__language_code__in=languages)
    return _one_per_key(rows.select_related("locale").order_by(*(order_by or [])), language)


def babel_locale(language=None):
    """The Babel locale of ``language`` (default: the active language); English when Babel does not know it."""
    return _parsed_locale((language or reader_language()).replace("-", "_"))


@functools.lru_cache(maxsize=64)
def _parsed_locale(code):
    # Parsing costs tens of microseconds, and a listing sorts and names a few hundred countries and terms.
    try:
        return Locale.parse(code)
    except (ValueError, LookupError):
        return Locale("en")


def local_date(value, language=None, format="long"):
    """A date as the UN writes it in ``language`` (see the module's docstring), e.g. "15 كانون الأول/ديسمبر 2026"."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    locale = babel_locale(language)
    if format == "long" and locale.language == "ar":
        return f"{value.day} {UN_ARABIC_MONTHS[value.month - 1]} {value.year}"
    if format == "long" and locale.language in UN_DATE_PATTERNS:
        format = UN_DATE_PATTERNS[locale.language]
    return format_date(value, format=format, locale=locale)


def local_number(value, language=None):
    """A number with the language's separators and Latin digits, e.g. "1,234.5" (ar), "1 234,5" (fr)."""
    if value in (None, ""):
        return ""
    return format_decimal(value, locale=babel_locale(language), numbering_system=NUMBERING_SYSTEM)


def local_percent(value, language=None):
    """A whole percentage (``value`` out of 100) as the language writes it: "85%", "85 %" (fr, es, ru)."""
    if value in (None, ""):
        return ""
    return format_percent(value / 100, locale=babel_locale(language), numbering_system=NUMBERING_SYSTEM)


def country_name(code, language=None):
    """The name of the country with ISO 3166-1 code ``code`` in ``language`` (default: the active language): the
    UN's name (``un_country_names.json``) where it differs from CLDR's, else CLDR's."""
    locale = babel_locale(language)
    return (
        UN_COUNTRY_NAMES.get(code, {}).get(locale.language)
        or locale.territories.get(code)
        or Locale("en").territories.get(code, code)
    )


def list_separator(language=None):
    """What separates the items of a list in ``language`` (default: the active one): "، " in Arabic, "、" in
    Chinese, ", " elsewhere."""
    return LIST_SEPARATORS.get(babel_locale(language).language, ", ")


def join_list(items, language=None):
    """``items`` as one list in ``language``'s punctuation, e.g. "مصر، الأردن، المغرب"."""
    return list_separator(language).join(str(item) for item in items)


def language_name(code, language=None):
    """The name of language ``code`` in ``language`` (default: the active one), e.g. "Arabic", "العربية"."""
    try:
        named = Locale.parse(code.replace("-", "_"))
    except (ValueError, LookupError):
        return code
    return named.get_display_name(babel_locale(language)) or code


@functools.cache
def _collator(language):
    # One ICU collator per language and process: creating one loads its tailoring.
    return icu.Collator.createInstance(icu.Locale(language))


# Arabic lists (the UN's list of Member States among them) ignore the definite article: إثيوبيا, الأردن, أوغندا …
# مصر, المغرب. ICU already sorts alif with hamza or madda as plain alif.
ARABIC_ARTICLE = "ال"


def collation_key(text, language=None):
    """Sort key for names in ``language`` (default: the active language) as its readers' lists order them: ICU's
    collation for the language ("Égypte" next to "Équateur", not after "Zambie"; "Ёмкость" among the Е; Chinese in
    pinyin order, as the UN's Chinese list of Member States is ordered), with Arabic's article ignored."""
    text = str(text)
    language = babel_locale(language).language
    folded = text
    if language == "ar" and folded.startswith(ARABIC_ARTICLE) and len(folded) > len(ARABIC_ARTICLE) + 1:
        folded = folded[len(ARABIC_ARTICLE) :]
    collator = _collator(language)
    return (collator.getSortKey(folded), collator.getSortKey(text))


def time_zone_label(language=None):
    """The active time zone as CLDR names it, with its offset now, e.g. "United States (New York) Time (GMT-05:00)",
    "توقيت الولايات المتحدة (نيويورك) (غرينتش-05:00)": what the admin shows next to a time to be entered."""
    locale = babel_locale(language)
    location = get_timezone_location(timezone.get_current_timezone(), locale=locale)
    return f"{location} ({get_timezone_gmt(timezone.localtime(), locale=locale)})"
