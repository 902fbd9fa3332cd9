"""The searches behind the search page: on the reader's language's engine index, or in the database.

Both return a ``SearchOutcome``: one page of result pages (specific, live, public, in the reader's locale) with an
excerpt each, the total, and the facet counts (filled into the ``SearchFacets`` passed in).

The engine query is written in the query DSL that Elasticsearch 7–9 and OpenSearch 2–3 share, on the field names
Wagtail's own mapping produces, because Wagtail's search API neither highlights nor returns more than 10 facet
values, nor filters on several facets at once. Every query is a ``match`` (plain text, never parsed as syntax), so
quotes, brackets, ``AND``, ``*`` or ``\\`` in a query cannot make it fail.
"""

import functools
import logging
import re
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.core.signals import setting_changed
from django.db import DatabaseError
from django.db.models import Q
from django.dispatch import receiver
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from modelsearch.backends import get_search_backend
from modelsearch.index import AutocompleteField, FilterField, SearchField, get_indexed_models
from wagtail.models import Page, PageViewRestriction

from core.prepared import PreparedInstances, PreparedQuery
from handbook.models import CaseStudyPage
from handbook.models.filters import FACET_CODES_FIELD, FILTERS_BY_PARAM

from .backends import engine_backend_name
from .facets import TYPE_PARAM
from .glossary import strip_marks

DATABASE_RESULT_LIMIT = 1000
DATABASE_NON_WORD = re.compile(r"[^\w\s]+")
logger = logging.getLogger(__name__)
MAX_RESULT_WINDOW = 10_000  # the engine's index.max_result_window
# When no page holds every word of the query, pages holding at least this share of them are offered instead (the
# engine's ``minimum_should_match``; the database backend counts the words itself). Half: a long query keeps its
# meaning (one common word alone does not match), a two-word query finds the pages with either word.
RELAXED_SHARE = 50
ALTERNATIVE_WEIGHT = 0.8  # a glossary wording's weight against the reader's own words
MAX_RELAXED_WORDS = 10  # words the database backend searches one by one for a relaxed query


@dataclass
class SearchOutcome:
    pages: list
    total: int
    excerpts: dict = field(default_factory=dict)  # page id -> safe HTML with <mark> around matched words
    relaxed: bool = False  # no page held every word: these results hold some of them


def engine_configured(language):
    return engine_backend_name(language) in getattr(settings, "WAGTAILSEARCH_BACKENDS", {})


_backends = {}  # language -> its engine backend, built once per process


def engine_backend(language):
    """The language's engine backend. Wagtail's lookup builds a new backend object at each call (its settings
    copied and checked, its mapping and rebuilder classes chosen), CPU a search would spend for the same object."""
    backend = _backends.get(language)
    if backend is None:
        backend = _backends[language] = get_search_backend(engine_backend_name(language))
    return backend


@receiver(setting_changed)
def _forget_backends(setting, **kwargs):
    if setting == "WAGTAILSEARCH_BACKENDS":
        _backends.clear()


def _run(backend, index_name, body):
    return backend.search_request(index_name, body)


@functools.cache
def facet_column(param):
    """The engine's name of a facet's filter field (the content type's: the page's content type id), or with
    ``FACET_CODES_FIELD`` of the field of every practice facet's codes."""
    field = {TYPE_PARAM: "content_type", FACET_CODES_FIELD: FACET_CODES_FIELD}.get(param)
    field = field or FILTERS_BY_PARAM[param].index_field
    backend_mapping = get_search_backend(next(iter(_engine_names()))).mapping_class(CaseStudyPage)
    return backend_mapping.get_field_column_name(FilterField(field))


def _engine_names():
    return [name for name in settings.WAGTAILSEARCH_BACKENDS if name.startswith("engine-")]


@functools.cache
def highlight_columns():
    """The engine's names of the full-text fields of every page type that an excerpt can come from: all but the
    title, which a result shows whole (highlighting it too is work for a fragment nobody sees)."""
    mapping_class = get_search_backend(next(iter(_engine_names()))).mapping_class
    columns = []
    for model in get_indexed_models():
        if not issubclass(model, Page):
            continue
        mapping = mapping_class(model)
        for search_field in model.get_search_fields():
            if isinstance(search_field, SearchField) and not isinstance(search_field, AutocompleteField):
                column = mapping.get_field_column_name(search_field)
                if column not in columns and search_field.field_name != "title":
                    columns.append(column)
    return columns


def visible_pages(locale):
    return Page.objects.live().public().filter(locale=locale)


def restricted_page_ids(locale):
    """Pages hidden behind a view restriction (the engine does not know about those).

    Each restricted section is read as a range of the tree's paths, which the path's index answers, rather than with
    ``PageQuerySet.not_public`` (a ``LIKE 'path%'`` per restriction, which SQLite answers by reading every page of
    the language and sorting it: 13 ms of CPU per search at 20,000 pages, against 4 ms)."""
    # Deduplicated here, not with DISTINCT: for that, SQLite reads every page's path to join the restrictions to.
    paths = sorted({row["page__path"] for row in _RESTRICTED_PATHS()})
    if not paths:
        return []
    # Paths are written in an alphabet of digits and capitals, so a section's paths all sort between these two.
    width = Page._meta.get_field("path").max_length
    rows = _PAGES_IN_SECTIONS(starts=paths, ends=[path + "Z" * (width - len(path)) for path in paths])
    return [row["pk"] for row in rows if row["locale_id"] == locale.pk and row["live"]]


def _pages_in_sections(starts, ends):
    sections = Q()
    for start, end in zip(starts, ends, strict=True):
        sections |= Q(path__gte=start, path__lte=end)
    # Language and liveness are checked in Python rather than in SQL: given them, SQLite reads the language's index
    # (every page of the language, then sorted by path) instead of the path's.
    return Page.objects.filter(sections).order_by().values("pk", "locale_id", "live")


# Read on every search: compiled once per process and number of restricted sections (``core.prepared``).
_RESTRICTED_PATHS = PreparedQuery(lambda: PageViewRestriction.objects.order_by().values("page__path"))
_PAGES_IN_SECTIONS = PreparedQuery(_pages_in_sections)


def engine_search(language, locale, query, facets, offset, size, exclude_ids=(), alternatives=()):
    """``alternatives``: other wordings of the query (the glossary's synonyms, ``search.glossary.expand``); a page
    matching any of them is a result, the reader's own words score higher. Every word of a wording must match; when
    no page holds them all, the pages holding at least half of them answer instead (``SearchOutcome.relaxed``)."""
    backend = engine_backend(language)
    index_name = backend.get_index_for_model(Page).name
    hidden = restricted_page_ids(locale)
    excluded = [str(pk) for pk in [*exclude_ids, *hidden]]
    outcome = _engine_query(backend, index_name, locale, query, facets, offset, size, excluded, alternatives, hidden)
    if outcome.total == 0:
        relaxed = _engine_query(
            backend, index_name, locale, query, facets, offset, size, excluded, alternatives, hidden, relaxed=True
        )
        if relaxed.total:
            relaxed.relaxed = True
            return relaxed
    return outcome


def text_query(backend, query, alternatives, relaxed=False):
    """The full-text part: every word of the query (or of one of its other wordings) in the page's text, more weight
    to those words in the title and summary, and to the query as a phrase in the title.

    Each wording is scored on its own, with the same field weights (a synonym in a practice's summary counts as the
    reader's word there would), and a page scores by its best wording (``dis_max``, the others adding a fifth): summed
    instead, a page that merely repeats several synonyms of a term, as an introduction listing a programme's aims
    does, would outrank the practice that is about it."""
    match = {"operator": "or", "minimum_should_match": f"{RELAXED_SHARE}%"} if relaxed else {"operator": "and"}
    boosted = backend.mapping_class(Page).get_boost_field_name(2)
    wordings = []
    for wording in [query, *alternatives]:
        should = [{"match": {boosted: {"query": wording, "boost": 2}}}]
        if wording == query:
            should.append({"match_phrase": {"title": {"query": query, "boost": 3}}})
        wordings.append(
            {
                "bool": {
                    "must": [{"match": {"_all_text": {"query": wording, **match}}}],
                    "should": should,
                    "boost": 1 if wording == query else ALTERNATIVE_WEIGHT,
                }
            }
        )
    return {"dis_max": {"queries": wordings, "tie_breaker": 0.2}}


def hit_pages(locale, hits, hidden):
    """The live pages of ``locale`` behind the engine's ``hits`` (in their order), as their specific classes, but
    none of ``hidden`` (the restricted pages, ``restricted_page_ids``).

    Each hit names its page's class (``_django_content_type``, its first label; a page never changes class), so the
    pages are read with one query per class among the hits, instead of ``visible_pages(...).specific()``: a query
    for the restrictions (``public``), one for the pages' classes, then one per class. The engine's answer is not
    trusted beyond the class: liveness, language and restrictions are those of the database now."""
    hidden = set(hidden)
    ids_by_model = {}
    for hit in hits:
        pk = int(hit["_source"]["pk"])
        labels = hit["_source"].get("_django_content_type") or []
        model = page_model(labels[0] if labels else "")
        if pk not in hidden:
            ids_by_model.setdefault(model, []).append(pk)
    pages = {}
    for model, ids in ids_by_model.items():
        if model is Page:  # a class this code does not know (an index older than the code): Wagtail finds it
            rows = model.objects.live().filter(locale=locale, pk__in=ids).specific()
        else:
            rows = live_pages_of(model)(locale=locale.pk, ids=ids)
        pages.update((page.pk, page) for page in rows)
    return [pages[pk] for pk in (int(hit["_source"]["pk"]) for hit in hits) if pk in pages]


@functools.cache
def live_pages_of(model):
    """The live pages of one class in a language among some ids: its SQL compiled once per process and number of
    ids (``core.prepared``): compiling it took longer than the rest of reading ten results. A result shows its
    title, summary and URL, never a body: the StreamFields (a chapter's body and references, a case study's
    images) are left unread, as each would be read and parsed as JSON."""
    return PreparedInstances(
        lambda locale, ids: model.objects.live().filter(locale_id=locale, pk__in=ids).defer_streamfields()
    )


@functools.cache
def page_model(label):
    """The page class of an engine document's content type label (``handbook.CaseStudyPage``), or ``Page``."""
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return Page
    return model if issubclass(model, Page) else Page


def _engine_query(
    backend, index_name, locale, query, facets, offset, size, excluded, alternatives, hidden, relaxed=False
):
    text = text_query(backend, query, alternatives, relaxed)
    clauses = facets.engine_clauses(facet_column)
    body = {
        "query": {
            "bool": {
                "must": [text],
                "filter": [{"term": {"live_filter": True}}, {"term": {"locale_id_filter": locale.pk}}],
                "must_not": [{"terms": {"pk": excluded}}] if excluded else [],
            }
        },
        "post_filter": {"bool": {"filter": list(clauses.values())}},
        "aggs": facets.engine_aggregations(facet_column),
        "highlight": {
            "fields": {column: {} for column in highlight_columns()},
            "require_field_match": False,
            "encoder": "html",
            "pre_tags": ["<mark>"],
            "post_tags": ["</mark>"],
            "fragment_size": 160,
            "number_of_fragments": 2,
        },
        "_source": ["pk", "_django_content_type"],
        "from": min(offset, MAX_RESULT_WINDOW - size),
        "size": size,
        "track_total_hits": True,
    }
    response = _run(backend, index_name, body)
    facets.read_engine_aggregations(response["aggregations"])
    total = response["hits"]["total"]
    total = total["value"] if isinstance(total, dict) else total
    hits = response["hits"]["hits"]
    excerpts = {}
    for hit in hits:
        fragments = [text for texts in hit.get("highlight", {}).values() for text in texts]
        if fragments:
            excerpts[int(hit["_source"]["pk"])] = mark_safe(" … ".join(fragments[:2]))  # noqa: S308 - engine-escaped  # nosec B308 B703
    return SearchOutcome(hit_pages(locale, hits, hidden), total, excerpts)


def database_search(locale, query, facets, offset, size, exclude_ids=(), alternatives=()):
    """Wagtail's database backend (SQLite FTS5 / PostgreSQL), with the facets counted in the database.

    The backend passes words on to SQLite's FTS5 syntax, where a lone quote is an error and AND/OR/NOT are
    operators, so only words go in, lower-cased. Each of the ``alternatives`` (other wordings, from the glossary) is
    searched as well; its results follow those of the reader's own words. When no page holds every word of any
    wording, the pages holding at least half of a wording's words answer instead, those with the most words first
    (``SearchOutcome.relaxed``), as on the engine."""
    wordings = [query, *alternatives]
    ids = _database_strict_ids(locale, wordings, exclude_ids)
    relaxed = False
    if not ids:
        ids = _database_relaxed_ids(locale, wordings, exclude_ids)
        relaxed = bool(ids)
    ids = ids[:DATABASE_RESULT_LIMIT]
    facets.count_in_database(ids)
    ids = facets.narrow_in_database(ids)
    window = ids[offset : offset + size]
    pages = {page.pk: page for page in Page.objects.filter(pk__in=window).specific()}
    ordered = [pages[pk] for pk in window if pk in pages]
    excerpts = {page.pk: plain_excerpt(page, query) for page in ordered}
    return SearchOutcome(ordered, len(ids), excerpts, relaxed=relaxed and bool(ids))


def _database_words(query):
    return " ".join(DATABASE_NON_WORD.sub(" ", strip_marks(query)).lower().split())


def _database_strict_ids(locale, wordings, exclude_ids):
    ids = []
    for wording in wordings:
        for pk in _database_ids(locale, _database_words(wording), exclude_ids):
            if pk not in ids:
                ids.append(pk)
        if len(ids) >= DATABASE_RESULT_LIMIT:
            break
    return ids


def _database_relaxed_ids(locale, wordings, exclude_ids):
    """Pages holding at least half of the words of a wording (of two words or more), ranked by the number of its
    words they hold, then by their ranks in the searches of each word (one search per distinct word)."""
    found = {}  # word -> {page id: rank}
    best = {}  # page id -> (words held, sum of ranks), best over the wordings
    for wording in wordings:
        typed = list(dict.fromkeys(_database_words(wording).split()))[:MAX_RELAXED_WORDS]
        if len(typed) < 2:
            continue
        for word in typed:
            if word not in found:
                found[word] = {pk: rank for rank, pk in enumerate(_database_ids(locale, word, exclude_ids))}
        held = {}
        for word in typed:
            for pk, rank in found[word].items():
                count, ranks = held.get(pk, (0, 0))
                held[pk] = (count + 1, ranks + rank)
        need = max(1, len(typed) * RELAXED_SHARE // 100)
        for pk, (count, ranks) in held.items():
            if count >= need and (pk not in best or (-count, ranks) < (-best[pk][0], best[pk][1])):
                best[pk] = (count, ranks)
    return sorted(best, key=lambda pk: (-best[pk][0], best[pk][1]))


def _database_ids(locale, words, exclude_ids):
    if not words:
        return []
    results = visible_pages(locale).exclude(pk__in=list(exclude_ids)).search(words, operator="and", backend="default")
    try:
        return [page.pk for page in results[:DATABASE_RESULT_LIMIT]]
    except DatabaseError:
        logger.exception("Database search failed for %r", words)
        return []


def plain_excerpt(page, query):
    """Without the engine: the page's summary with the query's words marked where they appear literally."""
    text = getattr(page, "summary", "") or getattr(page, "intro", "") or page.search_description or ""
    text = Truncator(str(text)).chars(240)
    html = escape(text)
    words = sorted({escape(word) for word in query.split()[:20] if len(word) > 2}, key=len, reverse=True)
    if words:
        pattern = re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)
        html = pattern.sub(lambda match: f"<mark>{match.group(0)}</mark>", html)
    return mark_safe(html)  # noqa: S308 - built from escaped text  # nosec B308 B703


def engine_suggestions(language, locale, prefix, size):
    backend = engine_backend(language)
    body = {
        "query": {
            "bool": {
                "must": [
                    {
                        "match": {
                            "title_edgengrams": {"query": prefix, "operator": "and", "analyzer": "autocomplete_search"}
                        }
                    }
                ],
                "filter": [{"term": {"live_filter": True}}, {"term": {"locale_id_filter": locale.pk}}],
            }
        },
        "_source": ["pk", "_django_content_type"],
        "size": size * 2,
    }
    response = _run(backend, backend.get_index_for_model(Page).name, body)
    return hit_pages(locale, response["hits"]["hits"], restricted_page_ids(locale))[:size]


def database_suggestions(locale, prefix, size):
    return list(visible_pages(locale).filter(title__icontains=prefix).order_by("title").specific()[:size])
