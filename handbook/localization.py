"""Show linked translatable objects (terms, experts, centres, pages) in the reader's language.

Pages and practices link to the default-language row of a translatable object; wagtail-localize copies those links
unchanged into translations. At display time each linked object is swapped for its translation in the active
language, falling back to the original where no translation exists yet. Each call costs one query, however many
objects it localizes, so page query counts do not grow with the number of links.
"""

from django.conf import settings
from django.utils import translation
from wagtail.coreutils import get_supported_content_language_variant

from .models.taxonomy import Term


def active_language():
    return get_supported_content_language_variant(translation.get_language() or settings.LANGUAGE_CODE)


def in_active_language(queryset, translation_keys, order_by=None):
    """Rows of ``queryset`` whose translation key is in ``translation_keys`` (a list or a subquery), one per key:
    the active language's row where it exists, else the default language's. One query."""
    language = active_language()
    rows = queryset.filter(
        translation_key__in=translation_keys, locale__language_code__in={language, settings.LANGUAGE_CODE}
    ).select_related("locale")
    chosen = {}
    for row in rows.order_by(*(order_by or [])):
        if row.translation_key not in chosen or row.locale.language_code == language:
            chosen[row.translation_key] = row
    return list(chosen.values())


def term_lookup(request):
    """All taxonomy terms of the active language keyed by translation key, loaded once per request."""
    lookup = getattr(request, "_sse_terms", None)
    if lookup is None:
        language = active_language()
        lookup = {}
        rows = Term.objects.filter(locale__language_code__in={language, settings.LANGUAGE_CODE}).select_related(
            "locale"
        )
        for term in rows:
            if term.translation_key not in lookup or term.locale.language_code == language:
                lookup[term.translation_key] = term
        request._sse_terms = lookup
    return lookup


def localized_terms(request, terms):
    lookup = term_lookup(request)
    return [lookup.get(term.translation_key, term) for term in terms]
