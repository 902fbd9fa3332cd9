"""The demo command, as a developer runs it: twice in a row, nothing duplicated, and what an editor changed is
kept."""

import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
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


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture(scope="module")
def second_load(module_transaction, django_db_blocker):
    """The demo command run a second time over the loaded demo, once for the module (a run walks the whole demo):
    first an editor's work as it could be found, an own description, a published page without one and a draft
    waiting, and the about pages as built before the demo had descriptions. Its pages are not sent to the session's
    engine (the module's rows are rolled back at its end, the engine would not be): later modules search the demo
    as loaded."""
    not_live = {
        name: options if name == "default" else {**options, "AUTO_UPDATE": False}
        for name, options in settings.WAGTAILSEARCH_BACKENDS.items()
    }
    with django_db_blocker.unblock(), override_settings(WAGTAILSEARCH_BACKENDS=not_live):
        about = {code: AboutPage.objects.get(locale__language_code=code) for code in ("en", "ar")}
        for page in about.values():
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
        before = counts()
        out = io.StringIO()
        call_command("load_demo", stdout=out)
        return {
            "before": before,
            "after": counts(),
            "output": out.getvalue(),
            "about": {code: page.pk for code, page in about.items()},
            "news": news.pk,
            "handbook": handbook.pk,
        }


def test_demo_command_is_idempotent(second_load):
    # Nothing duplicated or added, but the two revisions that give the about pages their description (below).
    assert second_load["after"] == {**second_load["before"], "revisions": second_load["before"]["revisions"] + 2}
    assert "0 objects created" in second_load["output"]
    assert "admin" in second_load["output"]


def test_demo_loader_adds_missing_search_descriptions_but_keeps_editors_work(second_load):
    expected = load("about")["search_description"]  # the demo's own data: what the loader is to write
    for code, pk in second_load["about"].items():
        page = AboutPage.objects.get(pk=pk)
        assert page.search_description == expected[code]
        assert not page.has_unpublished_changes
    assert NewsIndexPage.objects.get(pk=second_load["news"]).search_description == "An editor's own words."
    handbook = HandbookPage.objects.get(pk=second_load["handbook"])
    assert handbook.search_description == "" and handbook.has_unpublished_changes
    assert handbook.title != "A draft title the editor has not published yet"  # the draft stayed a draft
