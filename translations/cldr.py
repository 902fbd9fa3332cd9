"""One source for dates, numbers and country names in the reader's language: CLDR, through Babel.

Digit policy for Arabic: Latin digits (0-9), CLDR's default numbering system for the generic ``ar`` locale, as
on the UN's own Arabic pages and across the Maghreb; Arabic-Indic digits (٠-٩) would mix badly with the codes,
years and ISO references the handbook quotes. Every formatter here asks for the Latin numbering system
explicitly, so a future CLDR default cannot change it silently (tests/test_rtl.py checks it).
"""

import datetime
import functools

import pyuca
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


@functools.cache
def _collator():
    # Loading the Unicode Collation Algorithm's table takes a moment: once per process.
    return pyuca.Collator()


# Arabic lists (the UN's list of Member States among them) sort alif with hamza or madda as plain alif and
# ignore the definite article: إثيوبيا, الأردن, أوغندا … مصر, المغرب.
ARABIC_ALIF_FORMS = str.maketrans(dict.fromkeys("أإآٱ", "ا"))
ARABIC_ARTICLE = "ال"


def collation_key(text, language=None):
    """Sort key for names in ``language`` (default: the active language) as its readers' lists order them: the
    Unicode Collation Algorithm's root order ("Égypte" next to "Équateur", not after "Zambie"), with the Arabic
    rules above. Language-specific tailorings beyond those (pinyin order for Chinese) would need ICU, which has
    no wheel on PyPI."""
    text = str(text)
    folded = text
    if babel_locale(language).language == "ar":
        if folded.startswith(ARABIC_ARTICLE) and len(folded) > len(ARABIC_ARTICLE) + 1:
            folded = folded[len(ARABIC_ARTICLE) :]
        folded = folded.translate(ARABIC_ALIF_FORMS)
    return (_collator().sort_key(folded), _collator().sort_key(text))
