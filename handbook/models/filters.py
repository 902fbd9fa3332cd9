"""The practice filters readers combine in the case-study listing, and the same filters as search facets.

Each filter has a stable URL parameter and matches stable codes, so ``?pillar=II&region=africa`` is the same
selection in every language. Several values of one parameter widen the selection (OR); different parameters narrow
it (AND). Unknown values are dropped and reported to the reader, never an error page.

One definition serves three places: the listing filters pages in the database (``Filter.lookup``), the search
engine indexes each practice's codes (``Filter.page_codes``, as ``Filter.index_field`` filter fields of
``CaseStudyPage``) and filters and counts on them, and the database search fallback counts with
``Filter.code_pairs``. ``FILTERS`` is the one declaration of the filters; ``search.facets.SearchFacets`` adds the
content type and the counts for the search page.
"""

import re
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.languages import collation_key, country_name, language_name

from .people import SPOKEN_LANGUAGE_CODES
from .taxonomy import Country, Vocabulary, term_lookup

MAX_VALUES_PER_FILTER = 20
FOLDED_FILTERS = {"theme", "target", "language"}
SPOKEN_LANGUAGE = "spoken_language"  # the filter on experts' languages (no vocabulary: ISO codes, CLDR names)


@dataclass(frozen=True)
class Filter:
    param: str
    label: str
    vocabulary: str | None  # None: countries

    def lookup(self, codes, country_fields=("implementing_country", "partner_countries")):
        """The condition on a queryset whose rows relate to countries through ``country_fields`` (the first one
        gives the region) and to terms through ``TERM_RELATIONS``."""
        if self.vocabulary is None:
            condition = Q()
            for field in country_fields:
                condition |= Q(**{f"{field}__code__in": codes})
            return condition
        if self.vocabulary == Vocabulary.REGION:
            return Q(**{f"{country_fields[0]}__region__code__in": codes})
        if self.vocabulary == SPOKEN_LANGUAGE:
            # Space-separated codes (``Expert.languages``), each validated against the known codes.
            return Q(languages__regex=r"(^|\s)(" + "|".join(re.escape(code) for code in codes) + r")(\s|$)")
        return Q(**{f"{TERM_RELATIONS[self.vocabulary]}__code__in": codes})

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
        if self.vocabulary is None:
            codes = {page.implementing_country.code, *(country.code for country in page.partner_countries.all())}
        elif self.vocabulary == Vocabulary.REGION:
            codes = {page.implementing_country.region.code}
        else:
            codes = {term.code for term in getattr(page, TERM_RELATIONS[self.vocabulary]).all()}
        return sorted(codes)

    def code_pairs(self, queryset):
        """(practice id, code) pairs of a queryset of practices, for counting in the database."""
        if self.vocabulary is None:
            paths = ["implementing_country__code", "partner_countries__code"]
        elif self.vocabulary == Vocabulary.REGION:
            paths = ["implementing_country__region__code"]
        else:
            paths = [f"{TERM_RELATIONS[self.vocabulary]}__code"]
        pairs = set()
        for path in paths:
            pairs.update(queryset.values_list("pk", path))
        return {(pk, code) for pk, code in pairs if code}


TERM_RELATIONS = {
    Vocabulary.PILLAR: "pillars",
    Vocabulary.THEME: "themes",
    Vocabulary.TARGET_GROUP: "target_groups",
}


FILTERS = [
    Filter("pillar", _("Pillar"), Vocabulary.PILLAR),
    Filter("region", _("Region"), Vocabulary.REGION),
    Filter("country", _("Country"), None),
    Filter("theme", _("Theme"), Vocabulary.THEME),
    Filter("target", _("Target group"), Vocabulary.TARGET_GROUP),
]


FILTERS_BY_PARAM = {flt.param: flt for flt in FILTERS}

LANGUAGE_FILTER = Filter("language", _("Language spoken"), SPOKEN_LANGUAGE)


class PracticeFilters:
    """Reads the filter parameters of a request, validates them and applies them to a queryset of practices."""

    filters = FILTERS
    country_fields = ("implementing_country", "partner_countries")

    def __init__(self, request):
        self.request = request
        self.options = self._options()
        self.selected = {}
        self.ignored = []
        for flt in self.filters:
            known = self.options[flt.param]
            values = []
            for raw in request.GET.getlist(flt.param)[:MAX_VALUES_PER_FILTER]:
                value = raw.strip()
                if flt.vocabulary is None:
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
        terms = sorted(term_lookup(self.request).values(), key=lambda term: (term.sort_order, term.name))
        for term in terms:
            param = by_vocabulary.get(term.vocabulary)
            if param:
                options[param][term.code] = term.name
        countries = {code: country_name(code) for code in Country.objects.values_list("code", flat=True)}
        options["country"] = dict(sorted(countries.items(), key=lambda item: item[1]))
        if SPOKEN_LANGUAGE in by_vocabulary:
            names = {code: language_name(code) for code in self.language_codes()}
            options[by_vocabulary[SPOKEN_LANGUAGE]] = dict(sorted(names.items(), key=lambda i: collation_key(i[1])))
        return {flt.param: options[flt.param] for flt in self.filters}

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

    @property
    def groups(self):
        """What the filter form shows: each filter with its options and which are selected."""
        return [
            {
                "param": flt.param,
                "label": flt.label,
                "options": [
                    {"code": code, "name": name, "selected": code in self.selected.get(flt.param, [])}
                    for code, name in self.options[flt.param].items()
                ],
                # Long lists (themes, target groups) fold away unless the reader has chosen in them.
                "folded": flt.param in FOLDED_FILTERS and flt.param not in self.selected,
            }
            for flt in self.filters
        ]

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
