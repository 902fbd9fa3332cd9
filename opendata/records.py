"""What the open data says about each page: one plain record per page, shared by the read API and the exports.

Only live pages outside any view restriction (password, login, groups) are ever read, whoever asks: the API and
the exports are anonymous whatever session or token comes with the request. Taxonomy terms are given by their
stable ``code`` and their label in the record's language (the page's own language), countries by their ISO code
and CLDR name. Focal points (experts) and centres of excellence are left out until their visibility levels exist
(issue 11).
"""

from django.conf import settings
from django.utils import translation
from wagtail.rich_text import expand_db_html

from core.languages import country_name
from core.seo import absolute_url
from handbook.models import CaseStudyPage, ChapterPage, Country, Term, Vocabulary
from news.models import NewsPage

# The vocabularies a practice is tagged with, in the order readers see them: (record key, page relation).
PRACTICE_TERMS = [
    ("pillars", "pillars"),
    ("themes", "themes"),
    ("target_groups", "target_groups"),
    ("modalities", "modalities"),
    ("actor_types", "actor_types"),
]
PRACTICE_CHOICES = ["status", "cooperation_level", "evidence_level", "review_stage"]


def public_pages(model):
    """Live pages of ``model`` that anyone may read: Wagtail's ``public()`` leaves out every page under a view
    restriction, whatever the request's session would let through."""
    return model.objects.live().public().select_related("locale")


def practices():
    return (
        public_pages(CaseStudyPage)
        .select_related("implementing_country__region")
        .prefetch_related(*(relation for _key, relation in PRACTICE_TERMS), "partner_countries")
        .order_by("-last_reviewed", "title", "pk")
    )


def chapters():
    return public_pages(ChapterPage).select_related("pillar").order_by("path")


def news_items():
    return public_pages(NewsPage).order_by("-date", "pk")


class Labels:
    """Taxonomy labels in any language, from one query: the translation where it exists, else the default
    language's row (pages link to the default-language term)."""

    def __init__(self):
        self._names = {}
        for key, language, name in Term.objects.published().values_list(
            "translation_key", "locale__language_code", "name"
        ):
            self._names[key, language] = name

    def term(self, term, language):
        name = self._names.get((term.translation_key, language)) or self._names.get(
            (term.translation_key, settings.LANGUAGE_CODE), term.name
        )
        return {"code": term.code, "label": name}

    def terms(self, terms, language):
        """The published ones of ``terms`` (a page may link to a term still in draft)."""
        published = [term for term in terms if (term.translation_key, settings.LANGUAGE_CODE) in self._names]
        return [self.term(term, language) for term in sorted(published, key=lambda t: (t.sort_order, t.code))]

    def vocabulary(self, vocabulary, language):
        terms = Term.objects.published().filter(vocabulary=vocabulary, locale__language_code=settings.LANGUAGE_CODE)
        return self.terms(terms, language)


def _country(country, language):
    return {"code": country.code, "name": country_name(country.code, language)}


def _choice(page, name):
    return {"code": getattr(page, name), "label": str(getattr(page, f"get_{name}_display")())}


def _page(page, request):
    return {
        "id": page.pk,
        "locale": page.locale.language_code,
        "title": page.title,
        "slug": page.slug,
        "url": absolute_url(request, page),  # as the re-user reached the site, as the feeds and sitemap do
        "first_published_at": page.first_published_at,
        "last_published_at": page.last_published_at,
    }


def practice_record(page, request, labels, detail=False):
    language = page.locale.language_code
    with translation.override(language):
        record = {
            **_page(page, request),
            "summary": page.summary,
            "implementing_country": _country(page.implementing_country, language),
            "region": labels.term(page.implementing_country.region, language),
            "partner_countries": sorted(
                (_country(c, language) for c in page.partner_countries.all() if c.pk != page.implementing_country_id),
                key=lambda country: country["code"],
            ),
            **{key: labels.terms(getattr(page, relation).all(), language) for key, relation in PRACTICE_TERMS},
            **{name: _choice(page, name) for name in PRACTICE_CHOICES},
            "start_year": page.start_year,
            "end_year": page.end_year,
            "last_reviewed": page.last_reviewed,
            "archived": page.archived,
        }
        if detail:
            record["sections"] = [
                {"name": name, "heading": str(page._meta.get_field(name).verbose_name), "html": expand_db_html(text)}
                for name in page.NARRATIVE_FIELDS
                if (text := getattr(page, name))
            ]
    return record


def chapter_record(page, request, labels, detail=False):
    language = page.locale.language_code
    record = {
        **_page(page, request),
        "pillar": labels.term(page.pillar, language) if page.pillar_id else None,
        "intro": page.intro,
    }
    if detail:
        with translation.override(language):
            record["body_html"] = str(page.body)
            record["references_html"] = [expand_db_html(block.value["text"].source) for block in page.references]
    return record


def news_record(page, request, detail=False):
    with translation.override(page.locale.language_code):
        record = {
            **_page(page, request),
            "kind": _choice(page, "kind"),
            "date": page.date,
            "end_date": page.end_date,
            "place": page.place,
            "summary": page.summary,
        }
        if detail:
            record["body_html"] = str(page.body)
    return record


def taxonomy(language):
    """Every vocabulary with its terms, and the countries with their region, labelled in ``language``."""
    labels = Labels()
    with translation.override(language):
        vocabularies = [
            {"code": code, "label": str(label), "terms": labels.vocabulary(code, language)}
            for code, label in Vocabulary.choices
        ]
    countries = [
        {**_country(country, language), "region": labels.term(country.region, language)}
        for country in Country.objects.select_related("region").order_by("code")
    ]
    return {"locale": language, "vocabularies": vocabularies, "countries": countries}
