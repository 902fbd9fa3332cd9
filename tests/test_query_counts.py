"""The number of SQL queries of a practice page and of the listing does not grow with the number of links."""

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale

from handbook.factories import CaseStudyIndexPageFactory, CaseStudyPageFactory, ExpertFactory, TermFactory
from handbook.models import CaseStudyIndexPage, ChapterPage, Country, Term
from home.models import HomePage

pytestmark = pytest.mark.django_db
serial = itertools.count()


def queries_for(client, url):
    client.get(url)  # warm per-process caches (site root paths), as a running server would have
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def practice_with_links(parent, count):
    english = Locale.objects.get(language_code="en")
    countries = list(Country.objects.all()[:count])
    page = CaseStudyPageFactory.build(
        implementing_country=countries[0], title=f"Practice {next(serial)} with {count} links"
    )
    page.partner_countries = countries[1:count]
    page.themes = [TermFactory(vocabulary="theme", locale=english) for _ in range(count)]
    page.pillars = list(Term.objects.filter(vocabulary="pillar", locale=english))
    page.experts = [ExpertFactory(locale=english, country=countries[i % len(countries)]) for i in range(count)]
    page.chapters = list(ChapterPage.objects.filter(locale=english))[: min(count, 4)]
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def test_practice_page_queries_do_not_grow_with_links(client):
    parent = CaseStudyIndexPage.objects.get(locale__language_code="en")
    few = practice_with_links(parent, 3)
    many = practice_with_links(parent, 30)
    assert queries_for(client, few.url) == queries_for(client, many.url)


def test_listing_queries_do_not_grow_with_practices(client):
    home = HomePage.objects.get(locale__language_code="en")
    small = CaseStudyIndexPageFactory(parent=home, title="Small listing", slug="small")
    large = CaseStudyIndexPageFactory(parent=home, title="Large listing", slug="large")
    for _ in range(3):
        practice_with_links(small, 3)
    for _ in range(30):
        practice_with_links(large, 3)
    query = "?pillar=II&region=africa&theme=" + Term.objects.filter(vocabulary="theme").first().code
    assert queries_for(client, small.url) == queries_for(client, large.url)
    assert queries_for(client, small.url + query) == queries_for(client, large.url + query)
