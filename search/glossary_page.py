"""The public glossary: the editors' search glossary shown to readers, one page per language (/<language>/glossary/).

A route, not a page type, for the reason the experts and centres directories are: the entries are snippets kept in
the admin, so a page per language would hold nothing an editor writes. Each entry is shown in the reader's language,
or in the default language while its translation is missing, sorted as the reader's language sorts, with a link that
searches its term and an anchor (the entry's translation key, the same in every language) to link to it.
"""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.shortcuts import render
from django.urls import reverse

from core.fallback import text_direction
from core.languages import active_language, collation_key
from handbook.directory import private

from .models import GlossaryEntry


def shown_entries():
    """One entry per translation key: the reader's language's, else the default language's."""
    language = active_language()
    rows = GlossaryEntry.objects.filter(locale__language_code__in={language, settings.LANGUAGE_CODE})
    chosen = {}
    for entry in rows.select_related("locale"):
        if entry.translation_key not in chosen or entry.locale.language_code == language:
            chosen[entry.translation_key] = entry
    return sorted(chosen.values(), key=lambda entry: collation_key(entry.term))


@private  # the base template shows the reader's session (sign-in links, messages)
def glossary(request):
    entries = shown_entries()
    language = active_language()
    for entry in entries:
        # A fallback entry is in another language than the page: marked so (lang attribute) for screen readers.
        entry.other_language = entry.locale.language_code if entry.locale.language_code != language else ""
        entry.other_direction = text_direction(entry.locale.language_code)
        entry.synonym_list = entry.words[1:]
    return render(request, "search/glossary.html", {"entries": entries, "directory": "glossary"})


class GlossarySitemap(Sitemap):
    """The glossary page, in every language."""

    i18n = True
    alternates = True
    x_default = True

    def items(self):
        return ["glossary"]

    def location(self, item):
        return reverse(item)
