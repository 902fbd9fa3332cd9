"""The case-study listing's filters, as a reader uses them through shareable URLs."""

import re

import pytest
from wagtail.models import Locale

from handbook.factories import CaseStudyIndexPageFactory, CaseStudyPageFactory
from handbook.models import CaseStudyIndexPage, Country, Term
from home.models import HomePage

pytestmark = pytest.mark.django_db

# The practices each test lists: title per language, implementing country, partner countries, pillars, themes.
PRACTICES = [
    ({"en": "Dialogue in Dakar", "ar": "الحوار في داكار"}, "SN", [], ["II"], ["community-engagement"]),
    ({"en": "Mentors in Nairobi", "ar": "المرشدون في نيروبي"}, "KE", ["JO"], ["I"], ["rehabilitation"]),
    ({"en": "Radio in Amman", "ar": "الإذاعة في عمّان"}, "JO", ["SN"], ["II", "IV"], ["education"]),
    ({"en": "Schools in Jakarta", "ar": "المدارس في جاكرتا"}, "ID", [], ["IV"], ["education"]),
]
DAKAR, NAIROBI, AMMAN, JAKARTA = (titles["en"] for titles, *_ in PRACTICES)


@pytest.fixture
def listings():
    """A practice listing of its own, in English and (its translation) in Arabic, holding the four practices above
    in each language. Returns a function: the listing's URL in a language."""
    english = Locale.objects.get(language_code="en")
    listing = CaseStudyIndexPageFactory(
        parent=HomePage.objects.get(locale=english), title="Listing under test", slug="listing-under-test"
    )
    listing.save_revision().publish()
    arabic = listing.copy_for_translation(Locale.objects.get(language_code="ar"))
    arabic.save_revision().publish()
    pages = {"en": listing, "ar": arabic}
    for titles, country, partners, pillars, themes in PRACTICES:
        page = CaseStudyPageFactory.build(
            title=titles["en"], locale=english, implementing_country=Country.objects.get(code=country)
        )
        page.partner_countries = list(Country.objects.filter(code__in=partners))
        page.pillars = list(Term.objects.filter(vocabulary="pillar", code__in=pillars, locale=english))
        page.themes = list(Term.objects.filter(vocabulary="theme", code__in=themes, locale=english))
        listing.add_child(instance=page)
        page.save_revision().publish()
        # The Arabic practice is the English one's translation (an untranslated one would be listed in English).
        translated = page.copy_for_translation(arabic.locale)
        translated.title = titles["ar"]
        translated.save_revision().publish()
    return lambda language="en": CaseStudyIndexPage.objects.get(pk=pages[language].pk).url


def shown_titles(response):
    return {card.title for card in response.context["cards"]}


def titles(*english, language="en"):
    """The practices of these English titles, by their titles in ``language``."""
    return {names[language] for names, *_ in PRACTICES if names["en"] in english}


def test_unfiltered_listing_counts_every_practice(client, listings):
    response = client.get(listings())
    assert response.status_code == 200
    assert response.context["paginator"].count == len(PRACTICES)
    assert shown_titles(response) == titles(DAKAR, NAIROBI, AMMAN, JAKARTA)


@pytest.mark.parametrize("language", ["en", "ar"])
def test_pillar_and_region_filter(client, listings, language):
    response = client.get(listings(language), {"pillar": "II", "region": "africa"})
    assert response.status_code == 200
    # Amman is pillar II but in the Middle East; Nairobi is in Africa but pillar I.
    assert shown_titles(response) == titles(DAKAR, language=language)


def test_country_filter_matches_implementing_and_partner_countries(client, listings):
    assert shown_titles(client.get(listings(), {"country": "SN"})) == titles(DAKAR, AMMAN)
    assert shown_titles(client.get(listings(), {"country": "JO"})) == titles(NAIROBI, AMMAN)


def test_several_values_of_one_filter_widen_the_selection(client, listings):
    one = shown_titles(client.get(listings(), {"pillar": "I"}))
    two = shown_titles(client.get(listings(), {"pillar": ["I", "IV"]}))
    assert one == titles(NAIROBI)
    assert two == titles(NAIROBI, AMMAN, JAKARTA)


@pytest.mark.parametrize(
    "query",
    [
        {"pillar": "V"},
        {"region": "atlantis"},
        {"country": "ZZ"},
        {"theme": "<script>alert(1)</script>"},
        {"pillar": "x" * 5000},
        {"page": "abc"},
        {"page": "99999"},
        {"page": "-1"},
        {"region": ["africa"] * 100},
    ],
)
def test_malformed_filters_never_break_the_page(client, listings, query):
    response = client.get(listings(), query)
    assert response.status_code == 200
    assert b"<script>alert(1)</script>" not in response.content


def test_unknown_values_are_reported_and_ignored(client, listings):
    response = client.get(listings(), {"pillar": ["II", "V"]})
    body = response.content.decode()
    assert "not recognised" in body
    assert shown_titles(response) == titles(DAKAR, AMMAN)


def test_filters_are_the_same_codes_in_arabic(client, listings):
    en = client.get(listings("en"), {"region": "middle-east"})
    ar = client.get(listings("ar"), {"region": "middle-east"})
    assert shown_titles(en) == titles(AMMAN)
    assert shown_titles(ar) == titles(AMMAN, language="ar")


def test_language_switcher_keeps_the_filters(client, listings):
    response = client.get(listings("en"), {"pillar": "II", "region": "africa"})
    arabic_listing = listings("ar")
    assert f'href="{arabic_listing}?pillar=II&amp;region=africa" lang="ar"' in response.content.decode()


def test_long_filter_lists_fold_away_unless_the_reader_chose_in_them(client, listings):
    def open_groups(response):
        groups = re.findall(
            r'<details class="filters__options"( open)?>.*?name="(\w+)"', response.content.decode(), re.S
        )
        return {param for is_open, param in groups if is_open}

    assert open_groups(client.get(listings())) == {"pillar", "region"}
    assert open_groups(client.get(listings(), {"theme": "education"})) == {"pillar", "region", "theme"}
