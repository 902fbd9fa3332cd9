"""The preview panel of a case study in a real browser (Debian's Chromium), with the admin in English and in Arabic:
the panel's iframe shows the page as the editor is writing it (not a refused frame), "Preview in new tab" opens it,
and Wagtail's Checks panel measures the previewed page's own content (a refused frame left it at "Issues found 0",
which read as a pass).

The live server runs on its own database connection and sees only committed data, so the test writes nothing
itself but the editor's session (``signed_in``, through ``live_database``, removed after): it opens a practice of
the demo site and types the title and summary that it then looks for in the preview. The admin's language is the
browser's (Accept-Language), which Wagtail follows when the user has not chosen one.
"""

import re

import pytest
from playwright.sync_api import expect

from handbook.models import CaseStudyPage

pytestmark = pytest.mark.django_db

SUMMARY = "Community leaders and social workers met every week to support returning families and their neighbours."
DIGIT = re.compile(r"[0-9\u0660-\u0669]")


@pytest.mark.parametrize("language", ["en", "ar"])
def test_case_study_preview_panel_shows_the_page(tab, signed_in, django_user_model, language):
    practice = CaseStudyPage.objects.filter(locale__language_code="en").live().order_by("path").first()
    title = f"Family support practice, previewed in the {language} admin"
    page = tab(1280, language=language)
    signed_in(page, django_user_model.objects.get(username="editor"))  # the login form is the journeys' subject
    page.goto(f"/admin/pages/{practice.pk}/edit/")
    assert page.locator("html").get_attribute("lang") == language
    page.locator("#id_title").fill(title)
    page.locator("#id_summary").fill(SUMMARY)

    page.locator('[data-side-panel-toggle="preview"]').click()
    frame = page.frame_locator("#w-preview-iframe")
    expect(frame.locator("h1")).to_have_text(title, timeout=30_000)
    expect(frame.locator("main")).to_contain_text(SUMMARY)

    with page.context.expect_page() as new_tab:
        page.locator('[data-w-preview-target="newTab"]').click()
    preview_tab = new_tab.value
    preview_tab.wait_for_load_state()
    expect(preview_tab.locator("h1")).to_have_text(title)

    # The Checks panel reads the page from the preview: the word count is that of the page's main content.
    page.locator('[data-side-panel-toggle="checks"]').click()
    words = page.locator("[data-content-word-count]")
    expect(words).to_have_text(DIGIT, timeout=30_000)
    assert int(re.sub(r"\D", "", words.inner_text())) > len(SUMMARY.split())
    expect(page.locator("[data-content-reading-time]")).to_have_text(DIGIT)
