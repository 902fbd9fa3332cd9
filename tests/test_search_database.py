"""Search on Wagtail's database backend (``make run``'s default, and the fallback when the engine is down): the
search page and its facets over HTTP, on practices each test publishes. The engine's own tests are in
``tests/integration/test_search.py``."""

import itertools
import re

import pytest
from wagtail.models import Locale, PageViewRestriction

from handbook.factories import CaseStudyPageFactory
from handbook.models import CaseStudyIndexPage, Country, Term

from .integration.test_search import BAD_INPUT

pytestmark = pytest.mark.django_db
serial = itertools.count()
DATABASE = {"default": {"BACKEND": "wagtail.search.backends.database"}}


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
