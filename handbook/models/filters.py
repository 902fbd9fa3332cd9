"""The practice filters readers combine in the case-study listing, and the same filters as search facets.

Each filter has a stable URL parameter and matches stable codes, so ``?pillar=II&region=africa`` is the same
selection in every language. Several values of one parameter widen the selection (OR); different parameters narrow
it (AND). Unknown values are dropped and reported to the reader, never an error page.

One definition serves three places: the listing filters pages in the database (``Filter.lookup``), the search
engine indexes each practice's codes (``Filter.page_codes``, as ``Filter.index_field`` filter fields of
``CaseStudyPage``) and filters and counts on them, the listing and the directories count every filter at once
(``PracticeFilters.count``, two queries), and the database search fallback and the coverage page count one filter
with ``Filter.counts`` (one query). ``FILTERS`` is the one declaration of the filters;
``search.facets.SearchFacets`` adds the content type and the counts for the search page.
"""

import functools
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Count, IntegerField, Q, Value
from django.utils.translation import gettext_lazy as _

from core.languages import collation_key, country_name, language_name, reader_language
from core.prepared import PreparedQuery

from .people import SPOKEN_LANGUAGE_CODES
from .taxonomy import Country, Vocabulary, term_lookup

MAX_VALUES_PER_FILTER = 20
FOLDED_FILTERS = {"theme", "target", "evidence", "validation", "language"}
SPOKEN_LANGUAGE = "spoken_language"  # the filter on experts' languages (no vocabulary: ISO codes, CLDR names)
PRACTICE_COUNTRY_FIELDS = ("implementing_country", "partner_countries")


@dataclass(frozen=True)
class Filter:
    """One filter: a taxonomy vocabulary (``vocabulary``), a coded field of the practice (``field``, its choices
    are the values), or, with neither, the countries (implementing or partner)."""

    param: str
    label: str
    vocabulary: str | None = None
    field: str | None = None

    @property
    def countries(self):
        return self.vocabulary is None and self.field is None

    def paths(self, country_fields=PRACTICE_COUNTRY_FIELDS):
        """The lookups from a row to this filter's codes, for rows that relate to countries through
        ``country_fields`` (a practice: implementing and partner; the first one gives the region) and to terms
        through ``TERM_RELATIONS``."""
        if self.field:
            return [self.field]
        if self.countries:
            return [f"{field}__code" for field in country_fields]
        if self.vocabulary == Vocabulary.REGION:
            return [f"{country_fields[0]}__region__code"]
        return [f"{TERM_RELATIONS[self.vocabulary]}__code"]

    def lookup(self, codes, country_fields=PRACTICE_COUNTRY_FIELDS):
        if self.vocabulary == SPOKEN_LANGUAGE:
            # Space-separated codes (``Expert.languages``), each validated against the known codes.
            return Q(languages__regex=r"(^|\s)(" + "|".join(re.escape(code) for code in codes) + r")(\s|$)")
        query = Q()
        for path in self.paths(country_fields):
            query |= Q(**{f"{path}__in": codes})
        return query

    @property
    def index_field(self):
        """The ``CaseStudyPage`` attribute indexed as a filter field for the search engine."""
        return f"facet_{self.param}"

    def index_method(self):
        """The ``CaseStudyPage`` method behind ``index_field``: the practice's codes of this filter."""

        def codes(page):
            return self.page_codes(page)

        codes.__name__ = self.index_field
        return codes

    def page_codes(self, page):
        """The codes of this filter that one practice carries (what the search engine indexes)."""
        if self.field:
            codes = {getattr(page, self.field)}
        elif self.countries:
            codes = {page.implementing_country.code, *(country.code for country in page.partner_countries.all())}
        elif self.vocabulary == Vocabulary.REGION:
            codes = {page.implementing_country.region.code}
        else:
            codes = {term.code for term in getattr(page, TERM_RELATIONS[self.vocabulary]).all()}
        return sorted(codes)

    def counts(self, practices, country_fields=PRACTICE_COUNTRY_FIELDS):
        """How many rows of the queryset ``practices`` carry each code of this filter, in one query.

        Counted over the rows' ids (a subquery), so that a filter already applied to ``practices`` on the same
        relation cannot narrow the codes counted. A practice whose implementing country is also listed as a partner
        counts once for it."""
        model = practices.model
        chosen = model.objects.filter(pk__in=practices.order_by().values("pk"))
        if self.vocabulary == SPOKEN_LANGUAGE:
            return Counter(code for value in chosen.values_list("languages", flat=True) for code in set(value.split()))
        paths = self.paths(country_fields)
        if len(paths) == 1:
            (path,) = paths
            rows = chosen.order_by().values_list(path).annotate(practices=Count("pk", distinct=True))
            return Counter({code: number for code, number in rows if code})
        pairs = [chosen.order_by().values_list("pk", path) for path in paths]
        return Counter(code for _pk, code in pairs[0].union(*pairs[1:]) if code)

    def choices(self):
        """A coded field's values and labels (the model is looked up by name: ``pages`` imports this module)."""
        return apps.get_model("handbook", "CaseStudyPage")._meta.get_field(self.field).choices


TERM_RELATIONS = {
    Vocabulary.PILLAR: "pillars",
    Vocabulary.THEME: "themes",
    Vocabulary.TARGET_GROUP: "target_groups",
}


FILTERS = [
    Filter("pillar", _("Pillar"), Vocabulary.PILLAR),
    Filter("region", _("Region"), Vocabulary.REGION),
    Filter("country", _("Country")),
    Filter("theme", _("Theme"), Vocabulary.THEME),
    Filter("target", _("Target group"), Vocabulary.TARGET_GROUP),
    Filter("evidence", _("Evidence"), field="evidence_level"),
    Filter("validation", _("Programme validation"), field="review_stage"),
]


FILTERS_BY_PARAM = {flt.param: flt for flt in FILTERS}
# Every filter's codes of a practice in one field as well, ``param:code``: the search page counts its facets on it in
# one pass over the results (``search.facets.SearchFacets.engine_aggregations``) instead of one pass per filter.
FACET_CODES_FIELD = "facet_codes"
FACET_CODE_SEPARATOR = ":"


def facet_codes(page):
    """Every filter's codes of one practice, each as ``param:code`` (the engine's ``FACET_CODES_FIELD``)."""
    return [f"{flt.param}{FACET_CODE_SEPARATOR}{code}" for flt in FILTERS for code in flt.page_codes(page)]


LANGUAGE_FILTER = Filter("language", _("Language spoken"), SPOKEN_LANGUAGE)
# Read by every listing and search (the country filter's values): compiled once per process (``core.prepared``).
_COUNTRY_CODES = PreparedQuery(lambda: Country.objects.values("code"))


@functools.lru_cache(maxsize=32)
def country_options(codes, language):
    """The countries ``codes`` as ``(code, name)`` pairs in ``language``, in its readers' order: the same for every
    request that reads the same codes (names and order come from CLDR, the UN's list and ICU, fixed in a release),
    and costly to name and collate on every request, so kept by the codes read from the database."""
    names = {code: country_name(code, language) for code in codes}
    return tuple(sorted(names.items(), key=lambda item: collation_key(item[1], language)))


@functools.lru_cache(maxsize=32)
def ordered_terms(labels, language):
    """``labels`` (``(vocabulary, code, name, sort_order)`` tuples) as the filters offer them: by the editors' sort
    order, then by name as ``language``'s readers order names. Kept by the labels read, as ``country_options`` is:
    every listing and search reads the same terms, and collating the same names again at each request is CPU spent
    for the same order."""
    return tuple(sorted(labels, key=lambda label: (label[3], collation_key(label[2], language))))


class PracticeFilters:
    """Reads the filter parameters of a request, validates them and applies them to a queryset of practices."""

    filters = FILTERS
    country_fields = PRACTICE_COUNTRY_FIELDS

    def __init__(self, request):
        self.request = request
        self.options = self._options()
        self.selected = {}
        self.ignored = []
        self.counts = {}
        for flt in self.filters:
            known = self.options[flt.param]
            values = []
            for raw in request.GET.getlist(flt.param)[:MAX_VALUES_PER_FILTER]:
                value = raw.strip()
                if flt.countries:
                    value = value.upper()
                if value in known:
                    if value not in values:
                        values.append(value)
                elif value:
                    self.ignored.append(raw[:60])
            if values:
                self.selected[flt.param] = values

    def _options(self):
        options = {flt.param: {} for flt in self.filters}
        by_vocabulary = {flt.vocabulary: flt.param for flt in self.filters if flt.vocabulary}
        for vocabulary, code, name, _order in ordered_terms(tuple(self.term_labels()), reader_language()):
            param = by_vocabulary.get(vocabulary)
            if param:
                options[param][code] = name
        codes = tuple(row["code"] for row in _COUNTRY_CODES())
        options["country"] = dict(country_options(codes, reader_language()))
        for flt in self.filters:
            if flt.field:
                options[flt.param] = {code: str(label) for code, label in flt.choices()}
        if SPOKEN_LANGUAGE in by_vocabulary:
            names = {code: language_name(code) for code in self.language_codes()}
            options[by_vocabulary[SPOKEN_LANGUAGE]] = dict(sorted(names.items(), key=lambda i: collation_key(i[1])))
        return {flt.param: options[flt.param] for flt in self.filters}

    def term_labels(self):
        """``(vocabulary, code, name, sort_order)`` of the terms: from ``term_lookup``, which the listing's cards
        read too (``search.facets.SearchFacets``, on a page that shows no term, reads only these columns)."""
        return [(t.vocabulary, t.code, t.name, t.sort_order) for t in term_lookup(self.request).values()]

    def language_codes(self):
        """The languages offered by the language filter (only filters that have one)."""
        return SPOKEN_LANGUAGE_CODES

    def apply(self, queryset, skip=None):
        """Narrow a queryset of practices to the selection (``skip``: leave one filter out, to count its values)."""
        narrowed = False
        for flt in self.filters:
            codes = self.selected.get(flt.param)
            if codes and flt.param != skip:
                queryset = queryset.filter(flt.lookup(codes, self.country_fields))
                narrowed = True
        return queryset.distinct() if narrowed else queryset

    def count(self, practices):
        """Count each filter's values among ``practices`` (the practices the reader may see), in two queries.

        The counts are disjunctive, as in the search page's facets: a value's count is the number of practices the
        listing shows with that value chosen, given the reader's choices in the *other* filters (its own filter's
        choices are left out, since values of one filter widen the selection). ``apply`` and ``Filter.counts`` per
        filter give the same numbers in a query per filter, each with the whole selection compiled again: a fifth
        of a listing's time. Here the rows' codes are read once and the selection is matched in Python, as
        ``Filter.lookup`` matches it in SQL (a row matches a filter when one of its codes is chosen)."""
        selected = {param: set(codes) for param, codes in self.selected.items()}
        counts = {flt.param: Counter() for flt in self.filters}
        for codes in self.codes_by_row(practices).values():
            unmatched = [param for param, chosen in selected.items() if not codes[param] & chosen]
            for flt in self.filters:
                if not unmatched or unmatched == [flt.param]:
                    counts[flt.param].update(codes[flt.param])
        self.counts = counts

    def codes_by_row(self, rows):
        """Each row's codes of each filter, ``{pk: {param: {code}}}``: one query for the codes a row has one of
        (a field, its first country and that country's region, the languages it lists), one more for those of
        its many-to-many relations (terms, partner countries), a ``UNION ALL`` over the row ids."""
        model = rows.model
        single, multiple = [], []
        for flt in self.filters:
            if flt.vocabulary == SPOKEN_LANGUAGE:
                single.append((flt.param, "languages"))
                continue
            for path in flt.paths(self.country_fields):
                relation = model._meta.get_field(path.split("__")[0])
                (multiple if relation.many_to_many else single).append((flt.param, path))
        codes = {}
        for pk, *values in rows.order_by().values_list("pk", *(path for _param, path in single)):
            codes[pk] = row = defaultdict(set)
            for (param, path), value in zip(single, values, strict=True):
                if value:
                    row[param].update(value.split() if path == "languages" else [value])
        if multiple and codes:
            ids = rows.order_by().values("pk")
            parts = [
                model.objects.filter(pk__in=ids).order_by().values_list("pk", Value(n, IntegerField()), path)
                for n, (_, path) in enumerate(multiple)
            ]
            for pk, n, value in parts[0].union(*parts[1:], all=True):
                if value:
                    codes[pk][multiple[n][0]].add(value)
        return codes

    @property
    def groups(self):
        """What the filter form shows: each filter with the values that have a practice (and those the reader chose,
        so they can be unchosen), their counts and which are selected; a filter with no such value is left out."""
        groups = []
        for flt in self.filters:
            counts = self.counts.get(flt.param, Counter())
            chosen = self.selected.get(flt.param, [])
            options = [
                {"code": code, "name": name, "count": counts.get(code, 0), "selected": code in chosen}
                for code, name in self.options[flt.param].items()
                if counts.get(code) or code in chosen
            ]
            if options:
                groups.append(
                    {
                        "param": flt.param,
                        "label": flt.label,
                        "options": options,
                        # Long or secondary lists (themes, target groups, evidence, validation) fold unless chosen in.
                        "folded": flt.param in FOLDED_FILTERS and flt.param not in self.selected,
                    }
                )
        return groups

    @property
    def active(self):
        return bool(self.selected)


class DirectoryFilters(PracticeFilters):
    """The practice listing's filters over the directories' rows, which have one country each."""

    country_fields = ("country",)
    filters = [FILTERS_BY_PARAM[param] for param in ("region", "country", "pillar", "theme")]


class ExpertFilters(DirectoryFilters):
    """The experts directory adds the languages they speak (those of the experts the reader may see)."""

    filters = [*DirectoryFilters.filters, LANGUAGE_FILTER]

    def __init__(self, request, experts):
        self.experts = experts
        super().__init__(request)

    def language_codes(self):
        return sorted({code for value in self.experts.values_list("languages", flat=True) for code in value.split()})
