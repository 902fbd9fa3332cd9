"""The coverage page: a world map and a pillar × region chart drawn on the server as SVG, each with its data table,
counting only the practices every reader may open, in every language (Arabic right-to-left)."""

import re
from collections import Counter

import pytest
from wagtail.models import Locale, PageViewRestriction

from handbook.factories import CaseStudyPageFactory, CentreFactory, CoveragePageFactory
from handbook.models import CaseStudyIndexPage, CaseStudyPage, Country, Term
from home.models import HomePage
from tests import sample_site

pytestmark = pytest.mark.django_db

# Practices this test adds to the sample site's listing: implementing country, partner countries, pillars.
ADDED = [("KE", ["SN"], ["II"]), ("SN", [], ["II", "III"])]
DISCLAIMER = {
    "en": "do not imply official endorsement or acceptance by the United Nations",
    "ar": "لا تعني إقراراً أو قبولاً رسمياً من جانب الأمم المتحدة",
}


def expected_country_counts():
    """Per country, the practices it takes part in (implementing or partner): the sample site's and ours."""
    counts = Counter()
    rows = [(country, partners) for *_titles, country, partners, _pillars in sample_site.PRACTICES]
    for country, partners in rows + [(country, partners) for country, partners, _pillars in ADDED]:
        counts.update({country, *partners})
    return counts


@pytest.fixture(scope="module")
def coverage_urls(module_transaction, django_db_blocker):
    """The coverage page in English and Arabic, two more English practices, and a restricted and a draft one that
    must not count; built once for the module (the tests only read them). The page's URL per language."""
    with django_db_blocker.unblock():
        return build_coverage()


@pytest.fixture
def coverage(coverage_urls, db):
    """The coverage page's URL in a language."""
    return lambda language="en": coverage_urls[language]


def build_coverage():
    english = Locale.objects.get(language_code="en")
    home = HomePage.objects.get(locale=english)
    page = CoveragePageFactory(parent=home, slug="coverage", title="Coverage", show_in_menus=True)
    page.save_revision().publish()
    arabic = page.copy_for_translation(Locale.objects.get(language_code="ar"))
    arabic.title = "نطاق التغطية"
    arabic.save_revision().publish()

    listing = CaseStudyIndexPage.objects.get(locale=english)
    for country, partners, pillars in ADDED:
        practice = CaseStudyPageFactory.build(implementing_country=Country.objects.get(code=country))
        practice.partner_countries = list(Country.objects.filter(code__in=partners))
        practice.pillars = list(Term.objects.filter(vocabulary="pillar", code__in=pillars, locale=english))
        listing.add_child(instance=practice)
        practice.save_revision().publish()
    restricted = CaseStudyPageFactory.build(title="Restricted", implementing_country=Country.objects.get(code="NG"))
    listing.add_child(instance=restricted)
    restricted.save_revision().publish()
    PageViewRestriction.objects.create(page=restricted, restriction_type=PageViewRestriction.PASSWORD, password="x")
    draft = CaseStudyPageFactory.build(title="Draft", implementing_country=Country.objects.get(code="GH"), live=False)
    listing.add_child(instance=draft)
    draft.save_revision()
    return {"en": page.url, "ar": arabic.url}


def map_fills(body):
    """The map's countries: {country code: fill}."""
    shapes = re.findall(r'<path d="[^"]+" fill="(#[0-9a-f]{6})" data-country="([A-Z]{2})"', body)
    return {code: fill for fill, code in shapes}


def table_counts(body):
    """The map's data table: {country code: the number shown}."""
    rows = re.findall(r'<tr data-country="([A-Z]{2})">.*?<td class="coverage__number">(?:<a [^>]*>)?(\d+)', body, re.S)
    return {code: int(count) for code, count in rows}


@pytest.mark.usefixtures("template_contexts")  # reads response.context
def test_map_colours_countries_with_practices_and_the_table_gives_the_numbers(client, coverage):
    response = client.get(coverage())
    assert response.status_code == 200
    body = response.content.decode()
    fills = map_fills(body)
    assert len(fills) > 150  # every country the atlas draws, with or without practices
    assert fills["SN"] != fills["BR"]  # Senegal has practices, Brazil none
    assert fills["SN"] != fills["KE"]  # three practices are darker than one
    assert fills["BR"] == fills["NG"]  # the restricted practice in Nigeria does not count
    assert table_counts(body) == dict(expected_country_counts())
    assert "NG" not in table_counts(body)
    assert "GH" not in table_counts(body)  # a draft does not count either (and Ghana has no centre)
    # Each number links to the listing filtered by that country, which shows as many practices.
    listing = CaseStudyIndexPage.objects.get(locale__language_code="en").url
    assert f'<a href="{listing}?country=SN">3</a>' in body
    assert client.get(listing, {"country": "SN"}).context["paginator"].count == 3


def test_pillar_by_region_table_matches_the_practices(client, coverage):
    body = client.get(coverage()).content.decode()
    table = body[body.index('aria-labelledby="chart-heading"') :]
    africa = re.search(r'<th scope="row">Africa</th>\s*((?:<td class="coverage__number">\d+</td>)+)', table).group(1)
    # Africa: Senegal (sample: I, II), Kenya (II) and Senegal (II, III) added.
    assert [int(n) for n in re.findall(r">(\d+)<", africa)] == [1, 3, 1, 0]
    # The chart draws one bar segment per region and pillar with a practice, its number written in it.
    assert body.count('<rect x="') == 5  # I: Africa, Asia; II: Africa; III: Africa; IV: Middle East
    article = body[body.index('<article class="coverage">') : body.index("</article>")]
    assert article.count("<svg") >= 2 and "<script" not in article  # drawn by the server, no script


def test_only_fill_attributes_colour_the_svg(client, coverage):
    """WeasyPrint ignores CSS classes inside SVG: the charts must read the same in a PDF."""
    body = client.get(coverage()).content.decode()
    svgs = re.findall(r"<svg.*?</svg>", body, re.S)
    assert len(svgs) >= 2
    for svg in svgs:
        assert not re.search(r"<(path|rect|g|text)[^>]* (class|style)=", svg)


def test_arabic_coverage_page(client, coverage):
    response = client.get(coverage("ar"))
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="ar" dir="rtl"' in body
    assert DISCLAIMER["ar"] in body
    assert DISCLAIMER["en"] not in body
    assert 'direction="rtl"' in body  # the chart's bars grow from the right
    chart = body[body.index('<svg class="coverage__chart"') :]
    chart = chart[: chart.index("</svg>")]
    # Coordinates stay SVG numbers in Arabic (a localized "42٫5" or "42,5" would draw nothing).
    coordinates = re.findall(r' (?:x|y|width|height)="([^"]*)"', chart)
    assert coordinates and all(re.fullmatch(r"\d+(\.\d+)?", value) for value in coordinates), coordinates
    # The Arabic practices (the sample site's translations) are counted in the Arabic page.
    arabic = CaseStudyPage.objects.live().filter(locale__language_code="ar")
    assert table_counts(body)["SN"] == arabic.filter(implementing_country__code="SN").count() == 1
    assert "السنغال" in body  # CLDR's name of Senegal in Arabic


def test_english_page_has_the_disclaimer_and_a_left_to_right_chart(client, coverage):
    body = client.get(coverage()).content.decode()
    assert DISCLAIMER["en"] in body
    assert 'direction="ltr"' in body


@pytest.mark.parametrize("language", ["en", "ar"])
def test_coverage_page_is_offered_in_the_menu(client, coverage, language):
    body = client.get(f"/{language}/").content.decode()
    assert f'<a href="{coverage(language)}"' in body


@pytest.mark.usefixtures("template_contexts")  # reads response.context
def test_the_country_table_counts_centres_of_excellence_and_links_to_the_centres_directory(client, coverage):
    """A country with a centre is in the table even without a practice; its number opens the centres directory
    filtered by that country, which lists as many."""
    CentreFactory(name="Accra Resilience Institute", country=Country.objects.get(code="GH"))
    body = client.get(coverage()).content.decode()
    centres = dict(
        re.findall(r'<tr data-country="([A-Z]{2})">.*?<td class="coverage__number" data-centres>(.*?)</td>', body, re.S)
    )
    assert centres["SN"] == '<a href="/en/centres/?country=SN">1</a>'  # the sample site's Dakar centre
    assert centres["GH"] == '<a href="/en/centres/?country=GH">1</a>'
    assert table_counts(body)["GH"] == 0  # no practice in Ghana (its draft does not count)
    assert centres["KE"] == "0"
    assert client.get("/en/centres/", {"country": "GH"}).context["paginator"].count == 1
    arabic = client.get(coverage("ar")).content.decode()
    assert '<a href="/ar/centres/?country=GH">' in arabic and "مراكز الامتياز" in arabic
