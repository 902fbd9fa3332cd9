"""The preview panel of a case study in a real browser (Debian's Chromium), with the admin in English and in Arabic:
the panel's iframe shows the page (not a refused frame), "Preview in new tab" opens it, and Wagtail's Checks panel
measures the previewed page's own content (before, a refused frame left it at "Issues found 0", read as a pass).
"""

import re

import pytest
from playwright.sync_api import expect
from wagtail.models import Locale
from wagtail.users.models import UserProfile

from handbook.factories import CaseStudyPageFactory, CountryFactory, TermFactory
from handbook.models import CaseStudyIndexPage
from tests.test_browser import ARTIFACTS, browser, log_in, site_url, tab  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db

CONTEXT = " ".join(["Community leaders and social workers met every week to support returning families."] * 20)


@pytest.mark.parametrize("language", ["en", "ar"])
def test_case_study_preview_panel_shows_the_page(tab, users, language):  # noqa: F811 - fixture
    profile = UserProfile.get_for_user(users["editor"])
    profile.preferred_language = language
    profile.save()
    english = Locale.objects.get(language_code="en")
    page = CaseStudyPageFactory(
        parent=CaseStudyIndexPage.objects.get(locale=english),
        title=f"Family support practice previewed in {language}",
        implementing_country=CountryFactory(code="BF", region=TermFactory(vocabulary="region", locale=english)),
        pillars=[TermFactory(vocabulary="pillar", locale=english)],
        context=f"<p>{CONTEXT}</p>",
    )

    browser_tab = tab(1280)
    log_in(browser_tab, "editor")
    browser_tab.goto(f"/admin/pages/{page.pk}/edit/")
    assert browser_tab.locator("html").get_attribute("lang") == language

    browser_tab.locator('[data-side-panel-toggle="preview"]').click()
    frame = browser_tab.frame_locator("#w-preview-iframe")
    expect(frame.locator("h1")).to_have_text(page.title, timeout=20_000)
    expect(frame.locator("main")).to_contain_text("returning families")
    ARTIFACTS.mkdir(exist_ok=True)
    browser_tab.screenshot(path=str(ARTIFACTS / f"admin-preview-panel-{language}-1280.png"))

    with browser_tab.context.expect_page() as new_tab:
        browser_tab.locator('[data-w-preview-target="newTab"]').click()
    preview_tab = new_tab.value
    preview_tab.wait_for_load_state()
    expect(preview_tab.locator("h1")).to_have_text(page.title)

    # The Checks panel reads the page from the preview: its word count is that of the page's main content.
    browser_tab.locator('[data-side-panel-toggle="checks"]').click()
    words = browser_tab.locator("[data-content-word-count]")
    expect(words).to_have_text(re.compile(r"[0-9\u0660-\u0669]"), timeout=20_000)
    assert int(re.sub(r"\D", "", words.inner_text())) >= len(CONTEXT.split())
    expect(browser_tab.locator("[data-content-reading-time]")).to_have_text(re.compile(r"[0-9\u0660-\u0669]"))
    browser_tab.screenshot(path=str(ARTIFACTS / f"admin-checks-panel-{language}-1280.png"))
