"""The practice filters readers combine in the case-study listing (and, later, as search facets).

Each filter has a stable URL parameter and matches stable codes, so ``?pillar=II&region=africa`` is the same
selection in every language. Several values of one parameter widen the selection (OR); different parameters narrow
it (AND). Unknown values are dropped and reported to the reader, never an error page.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .localization import term_lookup
from .models.taxonomy import Country, Vocabulary, country_name

MAX_VALUES_PER_FILTER = 20


@dataclass(frozen=True)
class Filter:
    param: str
    label: str
    vocabulary: str | None  # None: countries

    def lookup(self, codes):
        if self.vocabulary is None:
            return Q(implementing_country__code__in=codes) | Q(partner_countries__code__in=codes)
        if self.vocabulary == Vocabulary.REGION:
            return Q(implementing_country__region__code__in=codes)
        relation = {
            Vocabulary.PILLAR: "pillars",
            Vocabulary.THEME: "themes",
            Vocabulary.TARGET_GROUP: "target_groups",
        }[self.vocabulary]
        return Q(**{f"{relation}__code__in": codes})


FILTERS = [
    Filter("pillar", _("Pillar"), Vocabulary.PILLAR),
    Filter("region", _("Region"), Vocabulary.REGION),
    Filter("country", _("Country"), None),
    Filter("theme", _("Theme"), Vocabulary.THEME),
    Filter("target", _("Target group"), Vocabulary.TARGET_GROUP),
]


class PracticeFilters:
    """Reads the filter parameters of a request, validates them and applies them to a queryset of practices."""

    def __init__(self, request):
        self.request = request
        self.options = self._options()
        self.selected = {}
        self.ignored = []
        for flt in FILTERS:
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
        options = {flt.param: {} for flt in FILTERS}
        by_vocabulary = {flt.vocabulary: flt.param for flt in FILTERS if flt.vocabulary}
        terms = sorted(term_lookup(self.request).values(), key=lambda term: (term.sort_order, term.name))
        for term in terms:
            param = by_vocabulary.get(term.vocabulary)
            if param:
                options[param][term.code] = term.name
        countries = {code: country_name(code) for code in Country.objects.values_list("code", flat=True)}
        options["country"] = dict(sorted(countries.items(), key=lambda item: item[1]))
        return options

    def apply(self, queryset):
        for flt in FILTERS:
            codes = self.selected.get(flt.param)
            if codes:
                queryset = queryset.filter(flt.lookup(codes))
        return queryset.distinct() if self.selected else queryset

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
            }
            for flt in FILTERS
        ]

    @property
    def active(self):
        return bool(self.selected)
