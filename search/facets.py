"""The search page's facets: the practice filters of the listing plus the content type, each value with its count."""

import functools
import logging
from collections import Counter
from urllib.parse import urlencode

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from handbook.models import CaseStudyPage
from handbook.models.filters import (
    FACET_CODE_SEPARATOR,
    FACET_CODES_FIELD,
    FILTERS,
    FILTERS_BY_PARAM,
    MAX_VALUES_PER_FILTER,
    PracticeFilters,
)
from handbook.models.taxonomy import term_labels

# The result types a reader can narrow search results to: stable URL code -> model label. Experts and centres are
# not pages: they are searched in the database (``search.directory``), so a page search narrowed to them finds none.
logger = logging.getLogger(__name__)

CONTENT_TYPES = {
    "practice": "handbook.CaseStudyPage",
    "chapter": "handbook.ChapterPage",
    "news": "news.NewsPage",
    "handbook": "handbook.HandbookPage",
    "practice-listing": "handbook.CaseStudyIndexPage",
    "news-listing": "news.NewsIndexPage",
    "about": "home.AboutPage",
    "home": "home.HomePage",
    "expert": "handbook.Expert",
    "centre": "handbook.CentreOfExcellence",
}
DIRECTORY_TYPES = ["expert", "centre"]
TYPE_PARAM = "type"
FILTERED_GROUP = "filtered-"  # the name of a filter aggregation counting the facets beneath it (never a parameter)
FACET_SIZE = 1000  # every value with a count (there are ~60 countries; the engine returns 10 unless told)


def encoded_pair(name, value, encoding):
    """One ``name=value`` of a query string, encoded as ``QueryDict.urlencode`` encodes it."""
    return urlencode({name.encode(encoding): str(value).encode(encoding)})


def content_type_models():
    return {code: apps.get_model(label) for code, label in CONTENT_TYPES.items()}


class SearchFacets(PracticeFilters):
    """The search page's facets: the practice filters plus the content type, each value with its count.

    Counts are disjunctive, as readers expect from facets: a value's count is the number of results the reader
    would get by adding that value, i.e. every other selected facet applies but not the facet's own selection.
    Selecting a practice facet narrows the results to practices.
    """

    def __init__(self, request):
        super().__init__(request)
        self.types = content_type_models()
        self.selected_types = []
        for raw in request.GET.getlist(TYPE_PARAM)[:MAX_VALUES_PER_FILTER]:
            value = raw.strip().lower()
            if value in self.types:
                if value not in self.selected_types:
                    self.selected_types.append(value)
            elif value:
                self.ignored.append(raw[:60])

    def directory_codes(self):
        """The directory result types this selection shows: none once a practice facet narrows to practices."""
        if self.selected:
            return []
        return [code for code in DIRECTORY_TYPES if not self.selected_types or code in self.selected_types]

    def count_directory(self, results):
        """Add the experts' and centres' counts to the content type facet (disjunctive: the type selection itself
        does not apply, a practice facet does)."""
        counts = self.counts.setdefault(TYPE_PARAM, Counter())
        for code in DIRECTORY_TYPES:
            counts[code] = 0 if self.selected else sum(1 for result in results if result.code == code)

    def term_labels(self):
        return term_labels(self.request)

    @property
    def active(self):
        return bool(self.selected or self.selected_types)

    # --- the search engine ---------------------------------------------------------------------------------
    def engine_clauses(self, column):
        """Engine filter clauses of the selection, by parameter; ``column(param)`` names a facet's index field."""
        clauses = {param: {"terms": {column(param): codes}} for param, codes in self.selected.items()}
        if self.selected_types:
            clauses[TYPE_PARAM] = {"terms": {column(TYPE_PARAM): self._type_ids(self.selected_types)}}
        return clauses

    def engine_aggregations(self, column):
        """The facets' terms aggregations. A facet's counts apply every other facet's selection, so facets whose
        other selections are the same are counted under one filter, and those with none under no filter at all: a
        filter aggregation costs the engine about as much as the terms aggregation it wraps. Several practice facets
        counted alike are counted on the one field of every facet's codes (``FACET_CODES_FIELD``, ``param:code``),
        one pass over the hits instead of one per facet. Without a selection that is two aggregations (the codes and
        the content type) instead of eight filter and eight terms aggregations. The content type is counted on the
        page's one content type id rather than Wagtail's labels of its class and ancestors (three a page)."""
        clauses = self.engine_clauses(column)
        groups = {}  # the other facets' selections that apply -> the facets counted under them
        for param in [*FILTERS_BY_PARAM, TYPE_PARAM]:
            groups.setdefault(tuple(other for other in clauses if other != param), []).append(param)
        aggregations = {}
        for number, (others, params) in enumerate(groups.items()):
            practice = [param for param in params if param != TYPE_PARAM]
            terms = {}
            if len(practice) > 1:
                codes = {"field": column(FACET_CODES_FIELD), "size": FACET_SIZE * len(practice)}
                if len(practice) < len(FILTERS_BY_PARAM):
                    codes["include"] = "(" + "|".join(practice) + ")" + FACET_CODE_SEPARATOR + ".*"
                terms[FACET_CODES_FIELD] = {"terms": codes}
            for param in params:
                if param == TYPE_PARAM or len(practice) == 1:
                    terms[param] = {"terms": {"field": column(param), "size": FACET_SIZE}}
            if others:
                filtered = {"bool": {"filter": [clauses[other] for other in others]}}
                aggregations[f"{FILTERED_GROUP}{number}"] = {"filter": filtered, "aggs": terms}
            else:
                aggregations.update(terms)
        return aggregations

    def read_engine_aggregations(self, aggregations):
        buckets = {param: [] for param in [*FILTERS_BY_PARAM, TYPE_PARAM]}
        codes_missing = False
        results = []
        for name, result in aggregations.items():
            if name.startswith(FILTERED_GROUP):
                results.extend((sub, value) for sub, value in result.items() if isinstance(value, dict))
            else:
                results.append((name, result))
        for name, result in results:
            if name == FACET_CODES_FIELD:
                if not result["buckets"]:
                    codes_missing = True
                for bucket in result["buckets"]:
                    param, code = bucket["key"].split(FACET_CODE_SEPARATOR, 1)
                    buckets[param].append({"key": code, "doc_count": bucket["doc_count"]})
            else:
                buckets[name] = result["buckets"]
        for param in FILTERS_BY_PARAM:
            self.counts[param] = Counter({bucket["key"]: bucket["doc_count"] for bucket in buckets[param]})
        code_by_type = dict(zip(self._type_ids(self.types), self.types, strict=True))
        self.counts[TYPE_PARAM] = Counter(
            {
                code_by_type[bucket["key"]]: bucket["doc_count"]
                for bucket in buckets[TYPE_PARAM]
                if bucket["key"] in code_by_type
            }
        )
        if codes_missing and not self.active and self.counts[TYPE_PARAM].get("practice"):
            # Practices found, none with codes (every practice has some): an index built before FACET_CODES_FIELD.
            logger.warning("The search index has no %s: run manage.py update_index", FACET_CODES_FIELD)

    # --- the database (the fallback when the engine is down, and the default backend) ---------------------
    def _type_ids(self, codes):
        return [ContentType.objects.get_for_model(self.types[code]).pk for code in codes]

    def narrow_in_database(self, page_ids):
        """The page ids (in their order) that the selection keeps."""
        allowed = None
        if self.selected:
            allowed = set(self.apply(CaseStudyPage.objects.filter(pk__in=page_ids)).values_list("pk", flat=True))
        if self.selected_types:
            typed = Page.objects.filter(pk__in=page_ids, content_type_id__in=self._type_ids(self.selected_types))
            typed = set(typed.values_list("pk", flat=True))
            allowed = typed if allowed is None else allowed & typed
        return page_ids if allowed is None else [pk for pk in page_ids if pk in allowed]

    def count_in_database(self, page_ids):
        practices = CaseStudyPage.objects.filter(pk__in=page_ids)
        practices_allowed = not self.selected_types or "practice" in self.selected_types
        for flt in FILTERS:
            allowed = self.apply(practices, skip=flt.param)
            self.counts[flt.param] = flt.counts(allowed) if practices_allowed else Counter()
        ids = self.apply(practices).values_list("pk", flat=True) if self.selected else page_ids
        code_by_type = {ct: code for code, ct in zip(self.types, self._type_ids(self.types), strict=True)}
        type_ids = Page.objects.filter(pk__in=ids).values_list("content_type_id", flat=True)
        self.counts[TYPE_PARAM] = Counter(code_by_type[ct] for ct in type_ids if ct in code_by_type)

    # --- what the page shows -------------------------------------------------------------------------------
    @functools.cached_property
    def _query_pairs(self):
        """The current search's parameters but the page, in their order: ``(name, [(value, its encoded pair)])``."""
        query = self.request.GET
        return [
            (name, [(value, encoded_pair(name, value, query.encoding)) for value in values])
            for name, values in query.lists()
            if name != "page"
        ]

    def toggle_url(self, param, code):
        """The shareable URL of the current search with one facet value added or removed: what ``QueryDict``
        writes for a copy with the value set or unset, without copying and encoding the query again for each of
        the hundred or more values the page offers (that was about a tenth of the search view's CPU)."""
        parts, present = [], False
        for name, values in self._query_pairs:
            if name != param:
                parts.extend(pair for _value, pair in values)
                continue
            present = True
            kept = [pair for value, pair in values if value != code]
            if len(kept) == len(values):
                kept.append(encoded_pair(param, code, self.request.GET.encoding))
            parts.extend(kept)
        if not present:
            parts.append(encoded_pair(param, code, self.request.GET.encoding))
        return "?" + "&".join(parts)

    @property
    def facet_groups(self):
        """Each facet with every value that has a result (or is selected), its count and its toggle URL."""
        groups = []
        type_options = {code: str(model._meta.verbose_name) for code, model in self.types.items()}
        specs = [(TYPE_PARAM, _("Content type"), type_options, self.selected_types)] + [
            (flt.param, flt.label, self.options[flt.param], self.selected.get(flt.param, [])) for flt in FILTERS
        ]
        for param, label, options, selected in specs:
            counts = self.counts.get(param, Counter())
            values = [
                {
                    "code": code,
                    "name": name,
                    "count": counts.get(code, 0),
                    "selected": code in selected,
                    "url": self.toggle_url(param, code),
                }
                for code, name in options.items()
                if counts.get(code) or code in selected
            ]
            if values:
                groups.append({"param": param, "label": label, "options": values})
        return groups
