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

from django.conf import settings
from django.db import DatabaseError
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from modelsearch.backends import get_search_backend
from modelsearch.index import AutocompleteField, FilterField, SearchField, get_indexed_models
from wagtail.models import Page

from handbook.models import CaseStudyPage
from handbook.models.filters import FILTERS_BY_PARAM

from .backends import engine_backend_name
from .glossary import strip_marks

DATABASE_RESULT_LIMIT = 1000
DATABASE_NON_WORD = re.compile(r"[^\w\s]+")
logger = logging.getLogger(__name__)
MAX_RESULT_WINDOW = 10_000  # the engine's index.max_result_window


@dataclass
class SearchOutcome:
    pages: list
    total: int
    excerpts: dict = field(default_factory=dict)  # page id -> safe HTML with <mark> around matched words


def engine_configured(language):
    return engine_backend_name(language) in getattr(settings, "WAGTAILSEARCH_BACKENDS", {})


def engine_backend(language):
    return get_search_backend(engine_backend_name(language))


def _run(backend, index_name, body):
    if backend.use_new_elasticsearch_api:
        body = {("from_" if key == "from" else key): value for key, value in body.items()}
        return backend.es.search(index=index_name, **body)
    return backend.es.search(index=index_name, body=body)


@functools.cache
def facet_column(param):
    backend_mapping = get_search_backend(next(iter(_engine_names()))).mapping_class(CaseStudyPage)
    return backend_mapping.get_field_column_name(FilterField(FILTERS_BY_PARAM[param].index_field))


def _engine_names():
    return [name for name in settings.WAGTAILSEARCH_BACKENDS if name.startswith("engine-")]


@functools.cache
def highlight_columns():
    """The engine's names of every full-text field of every page type (what an excerpt can come from)."""
    mapping_class = get_search_backend(next(iter(_engine_names()))).mapping_class
    columns = []
    for model in get_indexed_models():
        if not issubclass(model, Page):
            continue
        mapping = mapping_class(model)
        for search_field in model.get_search_fields():
            if isinstance(search_field, SearchField) and not isinstance(search_field, AutocompleteField):
                column = mapping.get_field_column_name(search_field)
                if column not in columns:
                    columns.append(column)
    return columns


def visible_pages(locale):
    return Page.objects.live().public().filter(locale=locale)


def restricted_page_ids(locale):
    """Pages hidden behind a view restriction (the engine does not know about those)."""
    return list(Page.objects.live().filter(locale=locale).not_public().values_list("pk", flat=True))


def engine_search(language, locale, query, facets, offset, size, exclude_ids=(), alternatives=()):
    """``alternatives``: other wordings of the query (the glossary's synonyms, ``search.glossary.expand``); a page
    matching any of them is a result, the reader's own words score higher."""
    backend = engine_backend(language)
    index_name = backend.get_index_for_model(Page).name
    wordings = [
        {"match": {"_all_text": {"query": wording, "operator": "and", "boost": 1 if wording == query else 0.8}}}
        for wording in [query, *alternatives]
    ]
    text = {
        "bool": {
            "must": [{"bool": {"should": wordings, "minimum_should_match": 1}}],
            "should": [
                {"match": {backend.mapping_class(Page).get_boost_field_name(2): {"query": query, "boost": 2}}},
                {"match_phrase": {"title": {"query": query, "boost": 3}}},
            ],
        }
    }
    excluded = [str(pk) for pk in [*exclude_ids, *restricted_page_ids(locale)]]
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
        "_source": ["pk"],
        "from": min(offset, MAX_RESULT_WINDOW - size),
        "size": size,
        "track_total_hits": True,
    }
    response = _run(backend, index_name, body)
    facets.read_engine_aggregations(response["aggregations"])
    total = response["hits"]["total"]
    total = total["value"] if isinstance(total, dict) else total
    hits = response["hits"]["hits"]
    ids = [int(hit["_source"]["pk"]) for hit in hits]
    pages = {page.pk: page for page in visible_pages(locale).filter(pk__in=ids).specific()}
    excerpts = {}
    for hit in hits:
        fragments = [text for column, texts in hit.get("highlight", {}).items() if column != "title" for text in texts]
        if fragments:
            excerpts[int(hit["_source"]["pk"])] = mark_safe(" … ".join(fragments[:2]))  # noqa: S308 - engine-escaped  # nosec B308 B703
    return SearchOutcome([pages[pk] for pk in ids if pk in pages], total, excerpts)


def database_search(locale, query, facets, offset, size, exclude_ids=(), alternatives=()):
    """Wagtail's database backend (SQLite FTS5 / PostgreSQL), with the facets counted in the database.

    The backend passes words on to SQLite's FTS5 syntax, where a lone quote is an error and AND/OR/NOT are
    operators, so only words go in, lower-cased. Each of the ``alternatives`` (other wordings, from the glossary) is
    searched as well; its results follow those of the reader's own words."""
    ids = []
    for wording in [query, *alternatives]:
        for pk in _database_ids(locale, wording, exclude_ids):
            if pk not in ids:
                ids.append(pk)
        if len(ids) >= DATABASE_RESULT_LIMIT:
            break
    ids = ids[:DATABASE_RESULT_LIMIT]
    facets.count_in_database(ids)
    ids = facets.narrow_in_database(ids)
    window = ids[offset : offset + size]
    pages = {page.pk: page for page in Page.objects.filter(pk__in=window).specific()}
    ordered = [pages[pk] for pk in window if pk in pages]
    return SearchOutcome(ordered, len(ids), {page.pk: plain_excerpt(page, query) for page in ordered})


def _database_ids(locale, query, exclude_ids):
    words = " ".join(DATABASE_NON_WORD.sub(" ", strip_marks(query)).lower().split())
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
        "_source": ["pk"],
        "size": size * 2,
    }
    response = _run(backend, backend.get_index_for_model(Page).name, body)
    ids = [int(hit["_source"]["pk"]) for hit in response["hits"]["hits"]]
    pages = {page.pk: page for page in visible_pages(locale).filter(pk__in=ids).specific()}
    return [pages[pk] for pk in ids if pk in pages][:size]


def database_suggestions(locale, prefix, size):
    return list(visible_pages(locale).filter(title__icontains=prefix).order_by("title").specific()[:size])
