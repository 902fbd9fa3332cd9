"""The demo command, as a developer runs it: twice in a row, nothing duplicated, and what an editor changed is
kept."""

import io

import pytest
from django.core.management import call_command
from wagtail.models import Page, Revision
from wagtail_localize.models import Translation

from demo.loader import load
from exchange.models import ExchangeRequest
from handbook.models import CaseStudyPage, ChapterPage, Country, Expert, HandbookPage, Term
from home.models import AboutPage
from news.models import NewsIndexPage, NewsPage

pytestmark = pytest.mark.django_db


def counts():
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "terms": Term.objects.count(),
        "countries": Country.objects.count(),
        "experts": Expert.objects.count(),
        "translations": Translation.objects.count(),
        "exchange requests": ExchangeRequest.objects.count(),
    }


def test_demo_command_is_idempotent():
    before = counts()
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert counts() == before
    assert "0 objects created" in out.getvalue()
    assert "admin" in out.getvalue()


def test_demo_has_the_promised_content():
    english = CaseStudyPage.objects.live().filter(locale__language_code="en")
    assert english.count() >= 12
    assert {p.implementing_country.region.code for p in english} == {
        "africa",
        "asia-pacific",
        "middle-east",
        "latin-america-caribbean",
    }
    assert {code for p in english for code in p.pillars.values_list("code", flat=True)} == {"I", "II", "III", "IV"}
    assert ChapterPage.objects.live().filter(locale__language_code="en").count() == 4
    assert NewsPage.objects.live().filter(locale__language_code="en").count() >= 6
    # Sample exchange requests for the staff dashboard, in several states, each with its history; the requesters
    # are invented (example.org), and nobody is e-mailed while loading.
    requests = ExchangeRequest.objects.all()
    assert {"submitted", "triaged", "matched", "agreed", "completed"} <= {request.state for request in requests}
    assert all(request.email.endswith("@example.org") and request.events.exists() for request in requests)
    # Every English page has a live Arabic translation.
    for language in ["en", "ar"]:
        assert (
            Page.objects.live().filter(locale__language_code=language, depth__gte=2).count()
            == Page.objects.live().filter(locale__language_code="en", depth__gte=2).count()
        )


@pytest.fixture
def engine_untouched(settings):
    """The pages this module publishes are not sent to the session's engine: the database is rolled back after
    the test, the engine is not, and later modules search the demo as loaded."""
    settings.WAGTAILSEARCH_BACKENDS = {
        name: options if name == "default" else {**options, "AUTO_UPDATE": False}
        for name, options in settings.WAGTAILSEARCH_BACKENDS.items()
    }


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def test_demo_loader_adds_missing_search_descriptions_but_keeps_editors_work(engine_untouched):
    expected = load("about")["search_description"]  # the demo's own data: what the loader is to write
    about = {code: AboutPage.objects.get(locale__language_code=code) for code in ("en", "ar")}
    for page in about.values():  # as built before the demo had descriptions
        page.search_description = ""
        publish(page)
    news = NewsIndexPage.objects.get(locale__language_code="en")
    news.search_description = "An editor's own words."
    publish(news)
    handbook = HandbookPage.objects.get(locale__language_code="en")
    handbook.search_description = ""
    publish(handbook)
    handbook.title = "A draft title the editor has not published yet"
    handbook.save_revision()

    call_command("load_demo", stdout=io.StringIO())

    for code, page in about.items():
        page.refresh_from_db()
        assert page.search_description == expected[code]
        assert not page.has_unpublished_changes
    news.refresh_from_db()
    assert news.search_description == "An editor's own words."
    handbook.refresh_from_db()
    assert handbook.search_description == "" and handbook.has_unpublished_changes
    assert handbook.title != "A draft title the editor has not published yet"  # the draft stayed a draft
