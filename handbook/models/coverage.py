"""The programme at a glance: where its documented practices come from, by country, pillar and region."""

from django.conf import settings
from django.db.models import Count
from django.urls import reverse
from django.utils.translation import get_language_bidi, ngettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from core.blocks import RICH_TEXT_FEATURES
from core.languages import collation_key, country_name
from core.restrictions import ViewRestrictionsMixin
from translations.permissions import LanguagePermissionsMixin

from .. import charts
from .filters import FILTERS_BY_PARAM
from .pages import CaseStudyIndexPage, CaseStudyPage
from .people import CentreOfExcellence
from .taxonomy import Country, Vocabulary, term_lookup


class CoveragePage(ViewRestrictionsMixin, LanguagePermissionsMixin, Page):
    """The coverage page: a world map coloured by the number of documented practices per country and a chart of the
    practices per pillar and region, each with its data table, drawn on the server from the live, public practices
    of the page's language. Editors place one under each language's home page and write its introduction; the
    figures update themselves as practices are published."""

    intro = RichTextField(_("introduction"), features=RICH_TEXT_FEATURES, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count_per_parent = 1
    # Its figures count the practices and name the terms and countries: the page cache purges it when they change.
    cache_follows = ("handbook.CaseStudyPage", "handbook.Term", "handbook.Country")

    class Meta:
        verbose_name = _("coverage page")

    def practices(self):
        """The practices counted: those every reader may open (live, not behind a view restriction) in the page's
        language and site, i.e. what the practice listing beside it shows."""
        return CaseStudyPage.objects.live().public().filter(locale_id=self.locale_id).descendant_of(self.get_parent())

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        practices = self.practices()
        listing = CaseStudyIndexPage.objects.live().public().sibling_of(self).first()
        terms = sorted(term_lookup(request).values(), key=lambda term: (term.sort_order, collation_key(term.name)))
        pillars = [term for term in terms if term.vocabulary == Vocabulary.PILLAR]
        regions = [term for term in terms if term.vocabulary == Vocabulary.REGION]
        counts = FILTERS_BY_PARAM["country"].counts(practices)
        context.update(
            total=practices.count(),
            countries=self._countries(request, counts, listing),
            map=self._map(counts),
            chart=self._chart(practices, pillars, regions),
        )
        return context

    @staticmethod
    def centre_counts():
        """Centres of excellence per country code (one row per centre: its default-language row)."""
        rows = (
            CentreOfExcellence.objects.published()
            .filter(locale__language_code=settings.LANGUAGE_CODE, country__isnull=False)
            .values_list("country__code")
            .annotate(centres=Count("pk"))
        )
        return dict(rows)

    def _countries(self, request, counts, listing):
        """The data table of the map: each country with a practice or a centre of excellence, its region, its
        practices and its centres, most practices first; each number links to the practice listing or the centres
        directory filtered by that country, which shows as many."""
        terms = term_lookup(request)
        centres = self.centre_counts()
        codes = set(counts) | set(centres)
        regions = dict(Country.objects.filter(code__in=codes).values_list("code", "region__translation_key"))
        drawn = charts.world_map()["countries"]
        directory = reverse("centre_directory")
        rows = [
            {
                "code": code,
                "name": country_name(code),
                "region": terms[regions[code]].name if regions.get(code) in terms else "",
                "count": counts.get(code, 0),
                "drawn": code in drawn,
                "url": f"{listing.url}?country={code}" if listing and counts.get(code) else None,
                "centres": centres.get(code, 0),
                "centres_url": f"{directory}?country={code}" if code in centres else None,
            }
            for code in codes
        ]
        return sorted(rows, key=lambda row: (-row["count"], collation_key(row["name"])))

    def _map(self, counts):
        outlines = charts.world_map()
        shapes = []
        for code, path in outlines["countries"].items():
            count = counts.get(code, 0)
            label = ngettext("%(country)s: %(count)s practice", "%(country)s: %(count)s practices", count) % {
                "country": country_name(code),
                "count": count,
            }
            shapes.append({"code": code, "d": path, "fill": charts.map_fill(count), "count": count, "label": label})
        legend = [{"low": low, "high": high, "fill": fill} for low, high, fill in charts.map_legend()]
        return {
            "width": outlines["width"],
            "height": outlines["height"],
            "shapes": shapes,
            "legend": legend,
            "no_practice": charts.NO_PRACTICE,
        }

    def _chart(self, practices, pillars, regions):
        """Practices per pillar (rows) and region of the implementing country (segments), in one query; a practice
        with several pillars counts under each."""
        rows = (
            practices.order_by()
            .values_list("pillars__code", "implementing_country__region__code")
            .annotate(practices=Count("pk", distinct=True))
        )
        values = {(pillar, region): count for pillar, region, count in rows if pillar and region}
        rtl = get_language_bidi()
        region_series = [(term.code, term) for term in regions]
        # Bars are labelled with the pillars' codes only: script-neutral, so no Arabic or Chinese text has to be
        # shaped inside the SVG (WeasyPrint lays SVG text out glyph by glyph); the caption names each pillar.
        chart = charts.stacked_bars(
            [(term.code, term.code) for term in pillars],
            region_series,
            values,
            rtl=rtl,
        )
        chart["rtl"] = rtl
        chart["series"] = [
            {"name": term.name, "fill": fill}
            for term, fill in zip(regions, charts.series_fills(len(regions)), strict=True)
        ]
        chart["table"] = {
            "pillars": pillars,
            "rows": [
                {
                    "region": region,
                    "cells": [values.get((pillar.code, region.code), 0) for pillar in pillars],
                }
                for region in regions
            ],
            "totals": [sum(values.get((pillar.code, region.code), 0) for region in regions) for pillar in pillars],
        }
        return chart
