"""The public search page and its autocomplete: full text within the reader's language.

With an engine configured, the reader's language's own index answers (its analyzer, highlighted excerpts, facet
counts from the engine). Without one, or while the engine is unreachable, Wagtail's database backend answers and the
facets are counted in the database; in the second case the page says so quietly instead of failing.

On either, the editors' glossary widens the query with its synonyms (``search.glossary``), each search is counted
anonymously for the editors' query report (``search.query_log``), and a search without results offers a spelling
from the live public pages (``search.spelling``), the glossary's related terms and the listing's main filters.
"""

import math
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from modelsearch.utils import normalise_query_string
from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.models import Locale

from handbook.directory import private
from handbook.models import CaseStudyIndexPage, CaseStudyPage
from handbook.models.filters import FILTERS_BY_PARAM

from . import glossary, query_log, spelling
from .directory import directory_results, directory_suggestions
from .facets import DIRECTORY_TYPES, SearchFacets
from .locale_backends import engine_errors
from .outage import outage
from .queries import (
    MAX_RESULT_WINDOW,
    database_search,
    database_suggestions,
    engine_configured,
    engine_search,
    engine_suggestions,
    visible_pages,
)

MAX_QUERY_LENGTH = 200
PER_PAGE = 10
MAX_PAGE = MAX_RESULT_WINDOW // PER_PAGE
SUGGESTIONS = 8
# The listing's filters offered on a page without results, to browse the practices instead.
BROWSE_FILTERS = ("pillar", "region", "theme")


def clean_query(raw):
    """Printable characters only (a NUL byte would break PostgreSQL), single spaces."""
    return " ".join("".join(ch if ch.isprintable() else " " for ch in raw).split())


def page_number(raw):
    try:
        return min(max(int(raw), 1), MAX_PAGE)
    except (TypeError, ValueError):
        return 1


def promoted_pages(query, locale):
    """Editors' promoted results for this query, in the reader's language (a promotion of the English page also
    promotes its Arabic translation)."""
    keys = list(
        SearchPromotion.objects.filter(query__query_string=normalise_query_string(query), page__isnull=False)
        .order_by("sort_order", "pk")
        .values_list("page__translation_key", flat=True)
    )
    if not keys:
        return []
    pages = {page.translation_key: page for page in visible_pages(locale).filter(translation_key__in=keys).specific()}
    return [pages[key] for key in dict.fromkeys(keys) if key in pages]


def run_search(locale, query, facets, offset, size, exclude_ids, alternatives=()):
    """``size`` page results from ``offset``; the second value is True when the engine failed and the database
    answered. ``alternatives``: the glossary's other wordings of the query."""
    language = locale.language_code
    if engine_configured(language):
        try:
            outcome = engine_search(language, locale, query, facets, offset, size, exclude_ids, alternatives)
        except engine_errors() as error:
            outage.fell_back(error)
            facets.counts = {}
        else:
            outage.engine_answered()
            return outcome, False
        return database_search(locale, query, facets, offset, size, exclude_ids, alternatives), True
    return database_search(locale, query, facets, offset, size, exclude_ids, alternatives), False


def did_you_mean(request, locale, query, entries):
    """A spelling of the query from the vocabulary of the live public pages, offered only if every word of it is
    found (a spelling that finds only some of its words is no better than the reader's own query)."""
    suggestion = spelling.suggest(locale, query)
    if not suggestion:
        return None
    outcome, _fallback = run_search(
        locale, suggestion, SearchFacets(request), 0, PER_PAGE, [], glossary.expand(locale, suggestion, entries)
    )
    return suggestion if outcome.total and not outcome.relaxed else None


def replaced_query_url(request, query):
    """The current search (its filters kept) with another query."""
    params = request.GET.copy()
    params["q"] = query
    params.pop("page", None)
    return "?" + params.urlencode()


def browse_groups(locale, facets):
    """The practice listing's main filters, each value with its number of practices and its listing URL."""
    listing = CaseStudyIndexPage.objects.live().public().filter(locale=locale).first()
    if listing is None:
        return None, []
    practices = CaseStudyPage.objects.live().public().filter(locale=locale)
    url = listing.get_url()
    groups = []
    for param in BROWSE_FILTERS:
        flt = FILTERS_BY_PARAM[param]
        counts = flt.counts(practices)
        options = [
            {"name": name, "count": counts[code], "url": f"{url}?{urlencode({param: code})}"}
            for code, name in facets.options[param].items()
            if counts.get(code)
        ]
        if options:
            groups.append({"label": flt.label, "options": options})
    return listing, groups


def result_item(page, excerpt):
    """What a result shows: title, type, summary, and the excerpt with the matched words (not the summary twice
    when the words matched in the summary itself)."""
    summary = getattr(page, "summary", "") or page.search_description
    if excerpt and strip_tags(excerpt).strip() == summary.strip():
        summary = ""
    return {"page": page, "type": page.specific_class._meta.verbose_name, "summary": summary, "excerpt": excerpt}


def search_window(locale, query, facets, people, number, exclude_ids, alternatives=()):
    """One page of the whole list: the experts and centres found first (a name is the most precise thing a reader
    types, and they are few), then the pages. Returns the window's people, the page search and the fallback flag."""
    offset = (number - 1) * PER_PAGE
    shown = people[offset : offset + PER_PAGE]
    page_offset = max(0, offset - len(people))
    outcome, fallback = run_search(locale, query, facets, page_offset, PER_PAGE - len(shown), exclude_ids, alternatives)
    return shown, outcome, fallback


@private  # experts are shown as the reader's access allows: the page is the reader's own
def search(request):
    query = clean_query(request.GET.get("q", ""))
    notices = []
    if len(query) > MAX_QUERY_LENGTH:
        query = query[:MAX_QUERY_LENGTH].strip()
        notices.append(
            ngettext(
                "Your search was shortened to its first %(count)d character.",
                "Your search was shortened to its first %(count)d characters.",
                MAX_QUERY_LENGTH,
            )
            % {"count": MAX_QUERY_LENGTH}
        )
    locale = Locale.get_active()
    facets = SearchFacets(request)
    number = requested = page_number(request.GET.get("page"))
    promoted, people, results, total, fallback, relaxed = [], [], [], 0, False, False
    suggestion, related, listing, browse = None, [], None, []
    if query:
        entries = glossary.entries(locale)
        alternatives = glossary.expand(locale, query, entries)
        promoted = promoted_pages(query, locale)
        exclude = [page.pk for page in promoted]
        found = directory_results(request.user, query, DIRECTORY_TYPES) if not facets.selected else []
        people = [result for result in found if result.code in facets.directory_codes()]
        shown, outcome, fallback = search_window(locale, query, facets, people, number, exclude, alternatives)
        last_page = max(1, math.ceil((len(people) + outcome.total) / PER_PAGE))
        if number > last_page:
            number = min(last_page, MAX_PAGE)
            shown, outcome, fallback = search_window(locale, query, facets, people, number, exclude, alternatives)
        facets.count_directory(found)
        total = len(people) + outcome.total
        results = [result_item(page, outcome.excerpts.get(page.pk, "")) for page in outcome.pages]
        relaxed = outcome.relaxed
        if requested == 1:  # a further page of the same results is not a further search
            # A search whose pages hold only some of its words counts as one without results for the editors.
            query_log.record(locale.language_code, query, bool(promoted or people or (total and not relaxed)))
        people = shown
        if relaxed or not (total or promoted):
            suggestion = did_you_mean(request, locale, query, entries)
        if not (total or promoted):
            related = glossary.related(locale, " ".join([query, suggestion or ""]), entries)
            listing, browse = browse_groups(locale, facets)
    if relaxed:
        notices.append(_("No page contains all of your words: these results contain some of them."))
    if fallback:
        notices.append(_("Search is running in a simplified mode for the moment; results may be less precise."))
    paginator = Paginator(range(total), PER_PAGE)
    context = {
        "query": query,
        "results": results,
        "people": people,
        "items": paginator.get_page(number),
        "total": total,
        "promoted": promoted if number == 1 else [],
        "facets": facets,
        "notices": notices,
        "fallback": fallback,
        "relaxed": relaxed,
        "suggestion": suggestion,
        "suggestion_url": replaced_query_url(request, suggestion) if suggestion else "",
        "related": related,
        "listing": listing,
        "browse": browse,
    }
    return render(request, "search/search.html", context)


@private  # names of experts as the reader's access allows
def suggest(request):
    """Titles in the reader's language that start with what has been typed, for the search box (JSON): the names
    of experts and centres first (a few), then page titles."""
    prefix = clean_query(request.GET.get("q", ""))[:100]
    locale = Locale.get_active()
    pages, people = [], []
    if len(prefix) >= 2:
        people = directory_suggestions(request.user, prefix)
        pages = None
        if engine_configured(locale.language_code):
            try:
                pages = engine_suggestions(locale.language_code, locale, prefix, SUGGESTIONS)
            except engine_errors() as error:
                outage.fell_back(error)
            else:
                outage.engine_answered()
        if pages is None:
            pages = database_suggestions(locale, prefix, SUGGESTIONS)
    data = {
        "query": prefix,
        "results": [
            *[{"title": person.title, "url": person.url, "type": str(person.type)} for person in people],
            *[
                {"title": page.title, "url": page.get_url(request), "type": str(page.specific_class._meta.verbose_name)}
                for page in pages
            ],
        ][:SUGGESTIONS],
    }
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})
