"""The case study editor in a real browser (Debian's Chromium): the character counter counts as the editor types,
and in the Arabic admin the taxonomy checkboxes read in their own direction. A failure leaves a screenshot in
tests/artifacts/ (conftest)."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from wagtail.users.models import UserProfile

from accounts.roles import EDITORS
from handbook.models import CaseStudyIndexPage

pytestmark = pytest.mark.django_db


def add_case_study_path():
    listing = CaseStudyIndexPage.objects.get(locale__language_code="en")
    return reverse("wagtailadmin_pages:add", args=("handbook", "casestudypage", listing.pk))


@pytest.fixture(scope="module")
def editor_sessions(django_db_setup, django_db_blocker):
    """Signed-in sessions of two editors, one using the admin in English and one in Arabic, committed before the
    test's transaction opens: the live server reads them through its own database connection. Removed after."""
    with django_db_blocker.unblock():
        editors = Group.objects.get(name=EDITORS)
        sessions = {}
        for language in ["en", "ar"]:
            user = get_user_model().objects.create_user(f"forms-browser-{language}", first_name="Forms")
            user.groups.add(editors)
            profile = UserProfile.get_for_user(user)
            profile.preferred_language = language
            profile.save()
            client = Client()
            client.force_login(user)
            sessions[language] = client.cookies["sessionid"].value
        yield sessions
        get_user_model().objects.filter(username__startswith="forms-browser-").delete()
        Session.objects.filter(session_key__in=sessions.values()).delete()


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_summary_counts_its_characters_as_the_editor_types(tab, site_url, editor_sessions, language):
    page = tab(1280)
    page.context.add_cookies([{"name": "sessionid", "value": editor_sessions[language], "url": site_url}])
    page.goto(add_case_study_path())
    summary = page.locator("textarea[name=summary]")
    counter = page.locator("#id_summary-character-count")
    assert counter.text_content() == "0/300"
    summary.fill("A practice in twelve words or so.")
    assert counter.text_content() == f"{len('A practice in twelve words or so.')}/300"
    assert "id_summary-character-count" in summary.get_attribute("aria-describedby")

    pillars = page.locator("input[name=pillars]").first.locator("xpath=..")
    pillars.scroll_into_view_if_needed()
    label = pillars.locator("bdi")
    assert label.text_content() == "Addressing the conditions conducive to the spread of terrorism"
    # The English term keeps its own direction inside the Arabic admin: its first letter is on its left.
    assert label.evaluate("(el) => el.matches(':dir(ltr)')")
