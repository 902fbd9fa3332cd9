"""One source for dates, numbers and country names in the reader's language: CLDR, through Babel.

Digit policy for Arabic: Latin digits (0-9), CLDR's default numbering system for the generic ``ar`` locale, as
on the UN's own Arabic pages and across the Maghreb; Arabic-Indic digits (٠-٩) would mix badly with the codes,
years and ISO references the handbook quotes. Every formatter here asks for the Latin numbering system
explicitly, so a future CLDR default cannot change it silently (tests/test_rtl.py checks it).
"""

import datetime

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal
from django.conf import settings
from django.utils import translation

NUMBERING_SYSTEM = "latn"


def babel_locale(language=None):
    """The Babel locale of ``language`` (default: the active language); English when Babel does not know it."""
    code = (language or translation.get_language() or settings.LANGUAGE_CODE).replace("-", "_")
    try:
        return Locale.parse(code)
    except (ValueError, LookupError):
        return Locale("en")


def local_date(value, language=None, format="long"):
    """A date as readers of ``language`` write it, e.g. "15 ديسمبر 2026", "15 décembre 2026", "2026年12月15日"."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    return format_date(value, format=format, locale=babel_locale(language))


def local_number(value, language=None):
    """A number with the language's separators and Latin digits, e.g. "1,234.5" (ar), "1 234,5" (fr)."""
    if value in (None, ""):
        return ""
    return format_decimal(value, locale=babel_locale(language), numbering_system=NUMBERING_SYSTEM)


def language_name(code, language=None):
    """The name of language ``code`` in ``language`` (default: the active one), e.g. "Arabic", "العربية"."""
    try:
        named = Locale.parse(code.replace("-", "_"))
    except (ValueError, LookupError):
        return code
    return named.get_display_name(babel_locale(language)) or code
