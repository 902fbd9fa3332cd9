"""Honest fallback: what a reader of one language gets where a page has not been translated into it.

The page is served in its original language under the reader's URL (``/ru/handbook/``): the interface stays in the
reader's language (``<html lang="ru">``), the content region carries the original's ``lang`` and ``dir`` and is
rendered in that language, and a notice in the reader's language says so and links the languages that exist.
Menus and listings list every item: the translation where it is live, else the original, marked with its language.
"""

# Only for rows this process pickled itself (chrome_pages), never for outside input.
import pickle  # nosec B403

from django.conf import settings
from django.db.models import Q
from django.utils import translation
from wagtail.models import Locale, Page

from core import sites
from core.languages import active_language
from core.restrictions import restricted


def text_direction(language_code):
    return "rtl" if translation.get_language_info(language_code)["bidi"] else "ltr"


def default_locale_version(page):
    """The default language's version of ``page`` (the original the others are translated from), or None."""
    if page.locale.language_code == settings.LANGUAGE_CODE:
        return page
    return page.get_translation_or_none(Locale.get_default())


MENU_DEPTH = 3  # the home page's children: the main menu's sections


def chrome_pages(request, page=None):
    """The pages every page's chrome shows, in one query per request: the main menu's candidates (the sections of
    the home page in the reader's and the default language, live or not: the default language's give the menu its
    order) and the live versions of ``page`` (the language switcher, the fallback notice, the head's alternate
    links). Each has its locale, ``is_public`` (no view restriction on it or an ancestor: Wagtail's ``public()``) and
    ``chrome_url``, its ``get_url(request)``: the same for every request to the site in the reader's language."""
    language = active_language()
    memo = getattr(request, "_chrome_pages", None)
    if memo is None:
        memo = {}
        if request is not None:
            request._chrome_pages = memo
    key = (getattr(page, "pk", None), language)
    if key not in memo:
        memo[key] = _kept_chrome_pages(request, page, language)
    return memo[key]


# What ``chrome_pages`` read, per version of the sites and the page tree (``core/sites.py``: any save, deletion or
# move of a page, a site, a locale or a view restriction makes a new one) and per site: pages, their locales and
# restrictions are all it shows, and their URLs depend only on those, the site the request is for and the reader's
# language (Wagtail's ``get_url``). Kept pickled, so each request gets rows of its own to change; bounded like the
# routing hints.
MAX_KEPT = 2_000
_kept = {}


def _kept_chrome_pages(request, page, language):
    pickled = sites.kept(
        request,
        _kept,
        MAX_KEPT,
        (getattr(page, "translation_key", None), language),
        lambda: pickle.dumps(_read_chrome_pages(request, page, language), pickle.HIGHEST_PROTOCOL),
    )
    return pickle.loads(pickled)  # noqa: S301 - our own rows, pickled above in this process  # nosec B301


def _read_chrome_pages(request, page, language):
    wanted = Q(depth=MENU_DEPTH, locale__language_code__in={language, settings.LANGUAGE_CODE})
    if page is not None:
        wanted |= Q(translation_key=page.translation_key, live=True)
    rows = list(Page.objects.filter(wanted).select_related("locale").annotate(is_public=~restricted()).order_by("path"))
    for row in rows:
        row.chrome_url = row.get_url(request)
    return rows


def live_versions(page, request):
    """The live versions of ``page``, itself included when live (``chrome_pages``)."""
    versions = [
        other for other in chrome_pages(request, page) if other.live and other.translation_key == page.translation_key
    ]
    for version in versions:
        if version.pk == page.pk and not Page.locale.is_cached(page):
            page.locale = version.locale  # the page's own locale, read with it
    return versions


def menu_sections(request, page=None):
    """The main menu's candidates of ``chrome_pages``, in tree order."""
    codes = {active_language(), settings.LANGUAGE_CODE}
    return [
        section
        for section in chrome_pages(request, page)
        if section.depth == MENU_DEPTH and section.locale.language_code in codes
    ]


def fallback_for(page, request):
    """What the content region needs when ``page`` is shown to a reader of another language, or None when the page
    is in the reader's language: the original's language and direction and the live versions to link."""
    if not isinstance(page, Page) or not page.pk:
        return None
    reader = active_language()
    source = page.locale.language_code
    if source == reader:
        return None
    versions = {other.locale.language_code: other.chrome_url for other in live_versions(page, request)}
    return {
        "language": source,
        "dir": text_direction(source),
        "available": [
            {"code": code, "name": name, "url": versions[code], "dir": text_direction(code)}
            for code, name in settings.LANGUAGES
            if code in versions
        ],
    }


def with_originals(queryset, parent, descendants=False):
    """Pages of ``queryset`` under ``parent`` (its children, or all its descendants) plus, where ``parent`` is a
    translation, the originals under the default language's version of ``parent`` that have no live translation in
    ``parent``'s language: a listing in French shows every practice, the untranslated ones in English. Stays a
    queryset, so filters, ordering and pagination apply as before."""

    def under(page):
        return queryset.descendant_of(page) if descendants else queryset.child_of(page)

    translated = under(parent)
    original_parent = default_locale_version(parent)
    if original_parent is None or original_parent.pk == parent.pk:
        return translated
    live_here = Page.objects.live().filter(locale_id=parent.locale_id).values("translation_key")
    originals = under(original_parent).exclude(translation_key__in=live_here)
    return queryset.filter(Q(pk__in=translated.values("pk")) | Q(pk__in=originals.values("pk")))


def in_original_order(pages):
    """``pages`` (translations and originals mixed) in their originals' order in the default language's tree."""
    pages = list(pages)
    keys = [page.translation_key for page in pages]
    position = {
        key: index
        for index, key in enumerate(
            Page.objects.filter(translation_key__in=keys, locale__language_code=settings.LANGUAGE_CODE)
            .order_by("path")
            .values_list("translation_key", flat=True)
        )
    }
    return sorted(pages, key=lambda page: position.get(page.translation_key, len(position)))
