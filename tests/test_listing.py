"""The case-study listing's filters, as a reader uses them through shareable URLs."""

import re

import pytest
from wagtail.models import Locale, PageViewRestriction

from handbook.factories import CaseStudyIndexPageFactory, CaseStudyPageFactory
from handbook.models import CaseStudyIndexPage, CaseStudyPage, Country, Term
from handbook.models.filters import PracticeFilters
from home.models import HomePage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("template_contexts")]  # reads response.context

# The practices each test lists: title per language, implementing country, partner countries, pillars, themes.
PRACTICES = [
    ({"en": "Dialogue in Dakar", "ar": "الحوار في داكار"}, "SN", [], ["II"], ["community-engagement"]),
    ({"en": "Mentors in Nairobi", "ar": "المرشدون في نيروبي"}, "KE", ["JO"], ["I"], ["rehabilitation"]),
    ({"en": "Radio in Amman", "ar": "الإذاعة في عمّان"}, "JO", ["SN"], ["II", "IV"], ["education"]),
    ({"en": "Schools in Jakarta", "ar": "المدارس في جاكرتا"}, "ID", [], ["IV"], ["education"]),
]
DAKAR, NAIROBI, AMMAN, JAKARTA = (titles["en"] for titles, *_ in PRACTICES)
# The programme's validation and the evidence of each (the model's defaults for the others: submitted, none).
VALIDATION = {DAKAR: ("peer-reviewed", "independent-evaluation"), AMMAN: ("verified", "monitoring")}


@pytest.fixture(scope="module")
def listing_ids(module_transaction, django_db_blocker):
    """A practice listing of its own, in English and (its translation) in Arabic, holding the four practices above
    in each language; built once for the module (ten publications)."""
    with django_db_blocker.unblock():
        return build_listings()


@pytest.fixture
def listings(listing_ids, db):
    """The listing's URL in a language."""
    return lambda language="en": CaseStudyIndexPage.objects.get(pk=listing_ids[language]).url


def build_listings():
    english = Locale.objects.get(language_code="en")
    listing = CaseStudyIndexPageFactory(
        parent=HomePage.objects.get(locale=english), title="Listing under test", slug="listing-under-test"
    )
    listing.save_revision().publish()
    arabic = listing.copy_for_translation(Locale.objects.get(language_code="ar"))
    arabic.save_revision().publish()
    pages = {"en": listing, "ar": arabic}
    for titles, country, partners, pillars, themes in PRACTICES:
        review_stage, evidence_level = VALIDATION.get(titles["en"], ("submitted", "none"))
        page = CaseStudyPageFactory.build(
            title=titles["en"],
            locale=english,
            implementing_country=Country.objects.get(code=country),
            review_stage=review_stage,
            evidence_level=evidence_level,
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
    return {language: page.pk for language, page in pages.items()}


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


# --- the filters' counts (disjunctive: each filter's own choices are left out of its counts) -------------------


def offered(response, param):
    """The values a filter offers, with the count shown beside each: {code: count}."""
    body = response.content.decode()
    if param == "country":
        found = re.findall(r'<option value="(\w+)"(?: selected)?>[^<(]+\((\d+)\)</option>', body)
    else:
        found = re.findall(
            rf'name="{param}" value="([\w-]+)"(?: checked)?> [^<]+ <span class="filters__count">\((\d+)\)</span>', body
        )
    return {code: int(count) for code, count in found}


def test_filters_show_counts_and_hide_values_without_practice(client, listings):
    response = client.get(listings())
    # Senegal: Dakar, and Amman as a partner; Jordan: Amman, and Nairobi as a partner. No other country has one.
    assert offered(response, "country") == {"SN": 2, "JO": 2, "KE": 1, "ID": 1}
    assert offered(response, "pillar") == {"I": 1, "II": 2, "IV": 2}  # pillar III has no practice: not offered
    assert offered(response, "region") == {"africa": 2, "middle-east": 1, "asia-pacific": 1}
    assert offered(response, "validation") == {"peer-reviewed": 1, "verified": 1, "submitted": 2}
    assert offered(response, "evidence") == {"independent-evaluation": 1, "monitoring": 1, "none": 2}
    assert "NG" not in offered(response, "country")


def test_counts_follow_the_other_filters_not_their_own(client, listings):
    response = client.get(listings(), {"region": "africa"})
    assert offered(response, "pillar") == {"I": 1, "II": 1}  # Dakar (II), Nairobi (I): IV is gone
    assert offered(response, "region") == {"africa": 2, "middle-east": 1, "asia-pacific": 1}  # its own: unchanged
    assert offered(response, "country") == {"SN": 1, "KE": 1, "JO": 1}  # Jordan: Nairobi's partner
    # A chosen value with no practice left stays offered (checked, with its zero) so the reader can untick it.
    response = client.get(listings(), {"region": "africa", "pillar": "IV"})
    assert offered(response, "pillar") == {"I": 1, "II": 1, "IV": 0}


def test_counts_are_in_the_readers_language_listing(client, listings):
    assert offered(client.get(listings("ar"), {"pillar": "IV"}), "country") == {"JO": 1, "SN": 1, "ID": 1}


def test_restricted_and_draft_practices_are_neither_listed_nor_counted(client, listings):
    listing = CaseStudyIndexPage.objects.get(url_path__endswith="/listing-under-test/", locale__language_code="en")
    restricted = CaseStudyPageFactory.build(title="Restricted", implementing_country=Country.objects.get(code="NG"))
    listing.add_child(instance=restricted)
    restricted.save_revision().publish()
    PageViewRestriction.objects.create(page=restricted, restriction_type=PageViewRestriction.PASSWORD, password="x")
    draft = CaseStudyPageFactory.build(title="Draft", implementing_country=Country.objects.get(code="GH"), live=False)
    listing.add_child(instance=draft)
    draft.save_revision()

    response = client.get(listings())
    assert response.context["paginator"].count == len(PRACTICES)
    assert offered(response, "country") == {"SN": 2, "JO": 2, "KE": 1, "ID": 1}
    assert offered(response, "region")["africa"] == 2
    assert shown_titles(client.get(listings(), {"country": "NG"})) == set()


def test_every_filter_is_counted_in_two_queries(rf, listings, django_assert_max_num_queries):
    listing = CaseStudyIndexPage.objects.get(url_path__endswith="/listing-under-test/", locale__language_code="en")
    request = rf.get(listing.url, {"region": "africa", "pillar": ["I", "II"], "validation": "submitted"})
    filters = PracticeFilters(request)
    practices = CaseStudyPage.objects.live().public().child_of(listing)
    with django_assert_max_num_queries(2):  # the rows' codes, then their relations' codes
        filters.count(practices)
    assert filters.counts["country"] == {"KE": 1, "JO": 1}


def test_validation_and_evidence_filters(client, listings):
    assert shown_titles(client.get(listings(), {"validation": "peer-reviewed"})) == titles(DAKAR)
    assert shown_titles(client.get(listings(), {"validation": ["peer-reviewed", "verified"]})) == titles(DAKAR, AMMAN)
    assert shown_titles(client.get(listings("ar"), {"evidence": "monitoring"})) == titles(AMMAN, language="ar")
    response = client.get(listings(), {"validation": "featured"})  # a known tier nobody has reached: no practice
    assert shown_titles(response) == set()
    assert "not recognised" not in response.content.decode()


def test_a_case_study_shows_its_validation_and_evidence(client, listings):
    dakar = CaseStudyPage.objects.get(title=DAKAR)
    body = client.get(dakar.url).content.decode()
    assert '<dd class="review-tier">Peer reviewed</dd>' in body
    assert "<dd>Independent evaluation</dd>" in body


def test_listing_headings_go_down_one_level_at_a_time(client, listings):
    levels = [int(level) for level in re.findall(r"<h([1-6])\b", client.get(listings()).content.decode())]
    assert levels[0] == 1
    assert all(after - before <= 1 for before, after in zip(levels, levels[1:], strict=False)), levels
