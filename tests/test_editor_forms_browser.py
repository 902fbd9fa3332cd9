"""The case study editor in a real browser (Debian's Chromium): the character counter counts as the editor types,
and in the Arabic admin the taxonomy checkboxes read in their own direction. Screenshots go to tests/artifacts/."""

import pytest
from django.urls import reverse
from wagtail.users.models import UserProfile

from demo.loader import DEMO_PASSWORD
from handbook.models import CaseStudyIndexPage
from tests.test_browser import ARTIFACTS, browser, site_url, tab  # noqa: F401 - the live server and Chromium

pytestmark = pytest.mark.django_db


def add_case_study_path():
    listing = CaseStudyIndexPage.objects.get(locale__language_code="en")
    return reverse("wagtailadmin_pages:add", args=("handbook", "casestudypage", listing.pk))


def sign_in(page, username):
    page.goto(reverse("wagtailadmin_login"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/**")


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_summary_counts_its_characters_as_the_editor_types(tab, users, language):  # noqa: F811 - fixture
    profile = UserProfile.get_for_user(users["editor"])
    profile.preferred_language = language
    profile.save()
    page = tab(1280)
    sign_in(page, "editor")
    page.goto(add_case_study_path())
    summary = page.locator("textarea[name=summary]")
    counter = page.locator("#id_summary-character-count")
    assert counter.text_content() == "0/300"
    summary.fill("A practice in twelve words or so.")
    assert counter.text_content() == f"{len('A practice in twelve words or so.')}/300"
    assert "id_summary-character-count" in summary.get_attribute("aria-describedby")

    pillars = page.locator("input[name=pillars]").first.locator("xpath=..")
    pillars.scroll_into_view_if_needed()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"editor-case-study-{language}.png"), full_page=False)
    label = pillars.locator("bdi")
    assert label.text_content() == "Addressing the conditions conducive to the spread of terrorism"
    # The English term keeps its own direction inside the Arabic admin: its first letter is on its left.
    assert label.evaluate("(el) => el.matches(':dir(ltr)')")
