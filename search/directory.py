"""Experts and centres of excellence in the search results and suggestions, each with its own result type.

They are searched in the database at query time, not in the engine's index, for three reasons:

- who may see an expert depends on the reader (``Expert.objects.visible_to(user)``), while an engine index is shared
  by every reader: filtering the rows themselves applies the one privacy rule every other output uses, with no
  second copy of it in the engine's query language that could drift from it;
- withdrawing consent must hide a profile everywhere at once: a query on the rows sees it at once, an index would
  lag until re-indexed (and a failed re-index would leak);
- there are a few dozen rows (hundreds at most), so a case-insensitive ``contains`` on a handful of columns is cheap,
  and it matches names written in any script (Arabic, Latin transliteration) the same way on SQLite and PostgreSQL.

So the results are the same whichever backend answers for pages (the engine or the database fallback). The page
index is left as it is: a practice's index text holds its *public* experts' names only.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from core.languages import active_language, collation_key
from handbook.models import CentreOfExcellence, Expert

MAX_WORDS = 10
SUGGESTED = 3  # at most this many names among the suggestions, before page titles


@dataclass(frozen=True)
class Kind:
    code: str  # the search page's "type" facet value (``search.facets.CONTENT_TYPES``)
    url_name: str
    fields: tuple  # the text a query's words are looked for in


EXPERT = Kind("expert", "expert_profile", ("name", "name_latin", "role", "organisation", "bio"))
CENTRE = Kind("centre", "centre_profile", ("name", "city", "description"))


def rows(kind, user):
    """The published rows a reader may see; experts go through the privacy rule of every output."""
    if kind is EXPERT:
        return Expert.objects.visible_to(user)
    return CentreOfExcellence.objects.published()


def in_readers_language(queryset):
    """One row per object: the reader's language's, else the default language's (an expert not yet translated is
    still found, as the directories show them)."""
    language = active_language()
    own = queryset.filter(locale__language_code=language)
    if language == settings.LANGUAGE_CODE:
        return own
    # Only what the reader may see stands in for the original: a translation still in moderation does not.
    fallback = queryset.filter(locale__language_code=settings.LANGUAGE_CODE).exclude(
        translation_key__in=own.values("translation_key")
    )
    return own | fallback


def words_of(query):
    return [word for word in query.split() if len(word) > 1][:MAX_WORDS]


def matching(kind, user, query):
    """The rows of ``kind`` in the reader's language where each word of the query appears in one of the fields,
    sorted as the reader's language sorts the names."""
    words = words_of(query)
    if not words:
        return []
    found = in_readers_language(rows(kind, user))
    for word in words:
        found = found.filter(Q.create([(f"{field}__icontains", word) for field in kind.fields], connector=Q.OR))
    return sorted(found.select_related("country"), key=lambda row: collation_key(row.name))


def mark_words(text, query):
    """``text`` shortened and escaped, with the query's words marked where they appear literally."""
    html = escape(Truncator(str(text)).chars(240))
    words = sorted({escape(word) for word in query.split()[:20] if len(word) > 2}, key=len, reverse=True)
    if words:
        pattern = re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)
        html = pattern.sub(lambda match: f"<mark>{match.group(0)}</mark>", html)
    return mark_safe(html)  # noqa: S308 - built from escaped text  # nosec B308 B703


@dataclass
class DirectoryResult:
    """An expert or a centre as the search page lists it."""

    kind: Kind
    row: object
    query: str

    @property
    def code(self):
        return self.kind.code

    @property
    def type(self):
        return self.row._meta.verbose_name

    @property
    def url(self):
        return reverse(self.kind.url_name, args=[self.row.translation_key])

    @property
    def title(self):
        return self.row.name

    @property
    def transliteration(self):
        return getattr(self.row, "transliteration", "")

    @property
    def summary(self):
        place = [self.row.country.name] if self.row.country_id else []
        if self.kind is EXPERT:
            return " · ".join([part for part in (self.row.role, self.row.organisation) if part] + place)
        return ", ".join([self.row.city, *place] if self.row.city else place)

    @property
    def excerpt(self):
        text = self.row.bio if self.kind is EXPERT else self.row.description
        return mark_words(text, self.query) if text else ""


def directory_results(user, query, codes):
    """Every expert and centre matching ``query`` that ``user`` may see, of the type codes in ``codes``."""
    return [
        DirectoryResult(kind, row, query)
        for kind in (EXPERT, CENTRE)
        if kind.code in codes
        for row in matching(kind, user, query)
    ]


def directory_suggestions(user, prefix):
    """Names of experts (whom ``user`` may see) and centres containing what has been typed, for the search box."""
    found = []
    for kind in (EXPERT, CENTRE):
        name = (
            Q(name__icontains=prefix) | Q(name_latin__icontains=prefix) if kind is EXPERT else Q(name__icontains=prefix)
        )
        found.extend(DirectoryResult(kind, row, prefix) for row in in_readers_language(rows(kind, user)).filter(name))
    return sorted(found, key=lambda result: collation_key(result.title))[:SUGGESTED]
