"""Search on Wagtail's database backend (``make run``'s default, and the fallback when the engine is down): the
search page and its facets over HTTP, on practices each test publishes. The engine's own tests are in
``tests/integration/test_search.py``."""

import itertools
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from modelsearch import index
from wagtail.models import Locale, PageViewRestriction
from wagtail.rich_text import RichText

from handbook.factories import CaseStudyPageFactory, CentreFactory, ChapterPageFactory, ExpertFactory, TermFactory
from handbook.models import CaseStudyIndexPage, CaseStudyPage, Country, HandbookPage, Term
from search.queries import restricted_page_ids

from .integration.test_search import BAD_INPUT

pytestmark = pytest.mark.django_db
serial = itertools.count()
DATABASE = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Queries to index one practice on the database backend: the page's links and their labels read once (fourteen),
# whatever their number, and the index entry's writes (four). Read again for each column the backend fills, they
# were forty.
INDEXING_BUDGET = 18


@pytest.fixture(autouse=True)
def database_backend(settings):
    settings.WAGTAILSEARCH_BACKENDS = DATABASE


def publish_practice(language, title, country, pillar):
    locale = Locale.objects.get(language_code=language)
    page = CaseStudyPageFactory.build(
        title=title,
        summary="A practice about okapi conservation patrols.",
        locale=locale,
        slug=f"database-search-{next(serial)}",
        implementing_country=Country.objects.get(code=country),
    )
    page.pillars = list(Term.objects.filter(vocabulary="pillar", code=pillar, locale__language_code="en"))
    CaseStudyIndexPage.objects.get(locale=locale).add_child(instance=page)
    page.save_revision().publish()
    return page


def result_ids(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return [int(pk) for pk in re.findall(r'class="result" data-page-id="(\d+)"', response.content.decode())]


def total(client, url):
    return int(re.search(r'search-results__count">(\d+)', client.get(url).content.decode()).group(1))


def facet_options(client, url):
    body = client.get(url).content.decode()
    groups = {}
    for group, inner in re.findall(r'data-facet="([^"]+)">(.*?)</section>', body, re.S):
        groups[group] = [
            (code, href.replace("&amp;", "&"), int(count))
            for href, code, count in re.findall(
                r'<a href="([^"]+)" data-code="([^"]+)"[^>]*>[^<]*</a> <span class="facets__count">(\d+)', inner
            )
        ]
    return groups


@pytest.mark.parametrize("params", BAD_INPUT)
def test_bad_input_on_the_database_backend(client, params):
    for language in ("en", "ar"):
        assert client.get(f"/{language}/search/?{params}").status_code == 200
        assert client.get(f"/{language}/search/suggest/?{params}").status_code == 200


def test_database_backend_search_page_with_facets(client):
    dakar = publish_practice("en", "Okapi patrols in Dakar", "SN", "I")
    nairobi = publish_practice("en", "Okapi patrols in Nairobi", "KE", "II")
    amman = publish_practice("en", "Okapi patrols in Amman", "JO", "II")
    arabic = publish_practice("ar", "دوريات أوكابي", "SN", "I")
    url = "/en/search/?q=okapi"
    ids = result_ids(client, url)
    assert set(ids) == {dakar.pk, nairobi.pk, amman.pk}  # English only: not the Arabic practice
    assert arabic.pk not in ids
    groups = facet_options(client, url)
    assert {(code, count) for code, _href, count in groups["region"]} == {("africa", 2), ("middle-east", 1)}
    for _code, href, count in groups["region"] + groups["type"]:
        assert total(client, "/en/search/" + href) == count
    assert set(result_ids(client, url + "&region=africa&pillar=II")) == {nairobi.pk}
    assert "simplified mode" not in client.get(url).content.decode()


@pytest.mark.parametrize(
    ("language", "queries"),
    [("en", ["Nigeria", "Building States' capacity"]), ("ar", ["نيجيريا", "بناء قدرات الدول"])],
)
def test_database_backend_finds_a_practice_by_its_country_and_pillar_in_the_pages_language(client, language, queries):
    page = publish_practice(language, "Okapi patrols" if language == "en" else "دوريات أوكابي", "NG", "III")
    for query in queries:
        assert page.pk in result_ids(client, f"/{language}/search/?q={query}"), query


def test_a_page_behind_a_view_restriction_is_neither_found_nor_counted_in_a_facet(client):
    public = publish_practice("en", "Quagga ford dialogue", "KE", "I")
    hidden = publish_practice("en", "Quagga ford patrols", "PE", "II")
    before = facet_options(client, "/en/search/?q=quagga")
    assert {code for code, _href, _count in before["country"]} == {"KE", "PE"}

    PageViewRestriction.objects.create(page=hidden, restriction_type=PageViewRestriction.PASSWORD, password="x")
    assert result_ids(client, "/en/search/?q=quagga") == [public.pk]
    after = facet_options(client, "/en/search/?q=quagga")
    assert [(code, count) for code, _href, count in after["country"]] == [("KE", 1)]
    assert [code for code, _href, _count in after["pillar"]] == ["I"]


def directory_results(client, url):
    """(type, profile URL) of each expert or centre result, in order."""
    html = client.get(url).content.decode()
    return re.findall(r'data-result-type="(\w+)">\s*<p class="eyebrow">[^<]*</p>\s*<h2><a href="([^"]+)"', html)


def test_indexing_a_practice_reads_its_links_once_whatever_their_number(client):
    english = Locale.objects.get(language_code="en")
    page = publish_practice("en", "Okapi corridor compacts", "KE", "II")
    page.partner_countries = list(Country.objects.filter(code__in=["SN", "PE", "JO"]))
    page.themes = [TermFactory(vocabulary="theme", locale=english) for _ in range(3)]
    page.target_groups = list(Term.objects.filter(vocabulary="target_group", locale=english))[:3]
    page.experts = [ExpertFactory(locale=english, name=f"Okapi warden {n}") for n in range(3)]
    page.centres = [CentreFactory(locale=english, name=f"Okapi station {n}") for n in range(3)]
    page.save_revision().publish()
    page = CaseStudyPage.objects.get(pk=page.pk)  # as the indexing task loads it

    with CaptureQueriesContext(connection) as indexing:
        index.insert_or_update_object(page)

    assert len(indexing.captured_queries) <= INDEXING_BUDGET
    for query in ["Senegal", "Peru", "Jordan", "Okapi warden 2", "Okapi station 1"]:
        assert page.pk in result_ids(client, f"/en/search/?q={query}"), query


def test_a_practice_reindexed_after_an_edit_is_found_by_its_new_countries_only(client):
    """The index text of a page is computed once per indexing (handbook/models/pages.py, ``_once_per_pass``): an
    edited page indexed again, on the same instance (as ``Expert.reindex_practices`` does), must not keep the old."""
    page = publish_practice("en", "Quokka border dialogue", "SN", "I")
    page.partner_countries = [Country.objects.get(code="JO")]
    page.save_revision().publish()
    page = CaseStudyPage.objects.get(pk=page.pk)
    index.insert_or_update_object(page)
    assert page.pk in result_ids(client, "/en/search/?q=Senegal")
    assert page.pk in result_ids(client, "/en/search/?q=Jordan")

    page.implementing_country = Country.objects.get(code="PE")
    page.partner_countries = [Country.objects.get(code="NG")]
    page.save()
    index.insert_or_update_object(page)

    assert page.pk in result_ids(client, "/en/search/?q=Peru")
    assert page.pk in result_ids(client, "/en/search/?q=Nigeria")
    assert page.pk not in result_ids(client, "/en/search/?q=Senegal")
    assert page.pk not in result_ids(client, "/en/search/?q=Jordan")


def test_a_centre_is_found_by_its_name_in_the_readers_language_and_the_type_facet_narrows_to_it(client):
    english = CentreFactory(
        name="Okapi Institute for Peacebuilding",
        city="Kisangani",
        description="Trains okapi conservation patrols in dialogue.",
        country=Country.objects.get(code="KE"),
    )
    arabic = english.copy_for_translation(Locale.objects.get(language_code="ar"))
    arabic.name = "معهد أوكابي لبناء السلام"
    arabic.save()
    practice = publish_practice("en", "Okapi patrols", "KE", "I")
    profile = f"/en/centres/{english.translation_key}/"

    assert directory_results(client, "/en/search/?q=okapi") == [("centre", profile)]
    assert total(client, "/en/search/?q=okapi") == 2  # the centre, then the practice
    assert result_ids(client, "/en/search/?q=okapi") == [practice.pk]
    types = {code: count for code, _, count in facet_options(client, "/en/search/?q=okapi")["type"]}
    assert types == {"centre": 1, "practice": 1}
    # The type facet narrows to the centre or away from it; a practice facet narrows to practices.
    assert directory_results(client, "/en/search/?q=okapi&type=centre") == [("centre", profile)]
    assert result_ids(client, "/en/search/?q=okapi&type=centre") == []
    assert directory_results(client, "/en/search/?q=okapi&type=practice") == []
    assert directory_results(client, "/en/search/?q=okapi&pillar=I") == []
    # In Arabic the centre has its Arabic name, and the English name finds nothing there.
    html = client.get("/ar/search/?q=أوكابي").content.decode()
    assert f'href="/ar/centres/{english.translation_key}/"' in html and "معهد أوكابي لبناء السلام" in html
    assert directory_results(client, "/ar/search/?q=Peacebuilding") == []
    # The search box suggests the name, with its type and profile address.
    [suggestion] = [
        item for item in client.get("/ar/search/suggest/?q=أوكا").json()["results"] if "centres" in item["url"]
    ]
    assert suggestion == {"title": arabic.name, "url": f"/ar/centres/{english.translation_key}/", "type": "مركز امتياز"}


def test_experts_and_centres_come_first_and_the_pages_follow_across_the_result_pages(client):
    for number in range(12):
        CentreFactory(name=f"Quokka centre {number:02d}")
    practice = publish_practice("en", "Quokka patrols", "KE", "I")
    first, second = (client.get(f"/en/search/?q=quokka&page={n}").content.decode() for n in (1, 2))
    assert first.count('data-result-type="centre"') == 10 and "data-page-id" not in first
    assert second.count('data-result-type="centre"') == 2 and f'data-page-id="{practice.pk}"' in second
    assert total(client, "/en/search/?q=quokka") == 13


def test_a_chapter_is_found_by_the_sources_it_cites(client):
    handbook = HandbookPage.objects.get(locale__language_code="en")
    chapter = ChapterPageFactory.build(
        title="Addressing conditions",
        slug="cited-sources-chapter",
        references=[("reference", {"text": RichText("<p>Plan of Action on okapi stewardship (A/70/674).</p>")})],
    )
    handbook.add_child(instance=chapter)
    chapter.save_revision().publish()
    assert chapter.pk in result_ids(client, "/en/search/?q=okapi+stewardship")


def test_the_pages_the_engine_must_leave_out_are_a_restricted_section_of_the_readers_language():
    """What the engine search excludes at query time (its index does not know about view restrictions)."""
    english, arabic = (Locale.objects.get(language_code=code) for code in ("en", "ar"))
    listing = CaseStudyIndexPage.objects.get(locale=english)
    inside = publish_practice("en", "Quagga ford patrols", "PE", "II")
    publish_practice("ar", "دوريات", "PE", "II")
    assert restricted_page_ids(english) == []
    PageViewRestriction.objects.create(page=listing, restriction_type=PageViewRestriction.LOGIN)
    restricted = set(restricted_page_ids(english))
    assert {listing.pk, inside.pk} <= restricted
    assert restricted == set(
        CaseStudyIndexPage.objects.get(pk=listing.pk)
        .get_descendants(inclusive=True)
        .live()
        .values_list("pk", flat=True)
    )
    assert restricted_page_ids(arabic) == []
