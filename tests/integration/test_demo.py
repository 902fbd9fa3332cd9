"""The demo command, as a developer runs it: twice in a row, nothing duplicated."""

import io

import pytest
from django.core.management import call_command
from wagtail.models import Page, Revision
from wagtail_localize.models import Translation

from handbook.models import CaseStudyPage, ChapterPage, Country, Expert, Term
from news.models import NewsPage

pytestmark = pytest.mark.django_db


def counts():
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "terms": Term.objects.count(),
        "countries": Country.objects.count(),
        "experts": Expert.objects.count(),
        "translations": Translation.objects.count(),
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
    # Every English page has a live Arabic translation.
    for language in ["en", "ar"]:
        assert (
            Page.objects.live().filter(locale__language_code=language, depth__gte=2).count()
            == Page.objects.live().filter(locale__language_code="en", depth__gte=2).count()
        )
