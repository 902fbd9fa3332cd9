"""Each page type lives only where it belongs, as the admin enforces when an editor adds a page."""

import pytest
from django.urls import reverse

from handbook.models import CaseStudyIndexPage, CaseStudyPage, ChapterPage, HandbookPage
from home.models import AboutPage, HomePage
from news.models import NewsIndexPage, NewsPage

pytestmark = pytest.mark.django_db


def add_url(model, parent):
    return reverse("wagtailadmin_pages:add", args=(model._meta.app_label, model._meta.model_name, parent.pk))


@pytest.mark.parametrize(
    ("model", "parent_model", "allowed"),
    [
        (ChapterPage, HandbookPage, True),
        (ChapterPage, NewsIndexPage, False),
        (CaseStudyPage, CaseStudyIndexPage, True),
        (CaseStudyPage, HomePage, False),
        (NewsPage, NewsIndexPage, True),
        (NewsPage, CaseStudyIndexPage, False),
        (AboutPage, HomePage, True),
        (AboutPage, HandbookPage, False),
        (HandbookPage, HomePage, False),  # one handbook per home page, and the sample site has it
    ],
)
def test_admin_only_offers_page_types_where_they_belong(client, users, model, parent_model, allowed):
    client.force_login(users["admin"])
    parent = parent_model.objects.get(locale__language_code="en")
    response = client.get(add_url(model, parent))
    assert (response.status_code == 200) is allowed, response.status_code
    # The "add child page" chooser lists it (or, when it is the only choice, goes straight to it).
    choices = client.get(reverse("wagtailadmin_pages:add_subpage", args=(parent.pk,)))
    offered = choices.get("Location") == add_url(model, parent) or add_url(model, parent) in choices.content.decode()
    assert offered is allowed


def test_practice_without_safeguards_cannot_be_saved(client, users):
    """The human-rights and gender safeguards section is mandatory."""
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

    from handbook.models import Country, Term

    client.force_login(users["moderator"])
    parent = CaseStudyIndexPage.objects.get(locale__language_code="en")
    data = nested_form_data(
        {
            "title": "Practice without safeguards",
            "slug": "practice-without-safeguards",
            "summary": "A practice missing its safeguards section.",
            "implementing_country": Country.objects.get(code="SN").pk,
            "cooperation_level": "bilateral",
            "status": "ongoing",
            "evidence_level": "none",
            "original_language": "en",
            "review_stage": "submitted",
            "pillars": [Term.objects.get(vocabulary="pillar", code="I", locale__language_code="en").pk],
            "context": rich_text("Context."),
            **{name: rich_text("") for name in CaseStudyPage.SAFEGUARD_FIELDS},
            "images": streamfield([]),
            "comments": inline_formset([]),
            "action-publish": "Publish",
        }
    )
    response = client.post(add_url(CaseStudyPage, parent), data)
    assert response.status_code == 200  # the form comes back with an error
    assert not CaseStudyPage.objects.filter(slug="practice-without-safeguards").exists()
    assert "This field is required" in response.content.decode()
