"""The human-rights reviewer's journey in a real browser (Debian's Chromium driven by Playwright), with the admin in
English and in Arabic: the reviewer opens a case study awaiting review from the dashboard, compares it with the
previous version, requests changes with a comment; the editor resubmits; the reviewer approves. Each step asserts
the page the user lands on: no error page, no bare 403, no "Sorry, you do not have permission".

The journey creates its own users (from the role groups) and its own case study (factories); the live server
shares the test's database connection, so everything is rolled back afterwards.
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import TaskState, WorkflowState
from wagtail.users.models import UserProfile

from accounts.roles import EDITORS, REVIEWERS
from demo.loader import DEMO_PASSWORD
from handbook.factories import CaseStudyPageFactory, TermFactory
from handbook.models import CaseStudyIndexPage, Country

from .test_browser import ARTIFACTS, browser, site_url, tab  # noqa: F401 - the browser and live-server fixtures

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "ar"]


def member_of(username, group, language):
    user = get_user_model().objects.create_user(username=username, email=f"{username}@example.org")
    user.set_password(DEMO_PASSWORD)
    user.save()
    user.groups.set([Group.objects.get(name=group)])
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    return user


def case_study_awaiting_review(editor):
    """A live English practice that the editor has changed and submitted: the review compares the two versions."""
    listing = CaseStudyIndexPage.objects.get(locale__language_code="en")
    page = CaseStudyPageFactory(parent=listing, implementing_country=Country.objects.order_by("code").first())
    page.pillars.set([TermFactory(vocabulary="pillar")])
    page.save_revision(user=editor).publish()
    page.title = f"{page.title} (revised for review)"
    page.save_revision(user=editor)
    page.get_workflow().start(page, editor)
    return page


def log_in(page, username):
    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")


def assert_lands_well(page, response, language, step):
    """The page a step lands on: an admin page in the user's language, without an error of any kind."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"journey-reviewer-{language}-{step}.png"), full_page=True)
    assert response is None or response.status < 400, f"{step}: {response.status} at {page.url}"
    body = page.locator("body").inner_text()
    assert "Forbidden" not in body, step
    assert page.locator(".messages .error, .messages li.error").count() == 0, f"{step}: {body[:500]}"
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr"), step
    assert page.locator("#wagtail-sidebar").count() == 1, step  # inside the admin


def open_row_actions(page, case_study):
    page.goto("/admin/")
    row = page.locator("#awaiting-review tr", has_text=case_study.title)
    row.locator("[data-w-dropdown-target='toggle']").click()
    return row


def decide(page, case_study, action, fill):
    row = open_row_actions(page, case_study)
    row.locator(f"button[data-workflow-action-url*='/{action}/']").click()
    modal = page.locator(".modal-content")
    modal.locator("form").wait_for()
    fill(modal)
    with page.expect_navigation() as landing:
        modal.locator("[type=submit]").click()
    return landing.value


@pytest.mark.parametrize("language", LANGUAGES)
def test_reviewer_compares_requests_changes_then_approves(tab, language):  # noqa: F811 - the imported fixture
    editor = member_of(f"journey-editor-{language}", EDITORS, language)
    reviewer = member_of(f"journey-reviewer-{language}", REVIEWERS, language)
    case_study = case_study_awaiting_review(editor)
    state = WorkflowState.objects.get(object_id=str(case_study.pk), status=WorkflowState.STATUS_IN_PROGRESS)

    reviewing = tab(1280)
    log_in(reviewing, reviewer.username)
    assert_lands_well(reviewing, None, language, "1-dashboard")

    # Compare with the previous version: the change under review is shown.
    row = open_row_actions(reviewing, case_study)
    with reviewing.expect_navigation() as compared:
        row.locator("a[href*='/revisions/compare/']:not([href*='live...'])").click()
    assert_lands_well(reviewing, compared.value, language, "2-compare")
    assert "/revisions/compare/" in reviewing.url
    assert case_study.title in reviewing.locator("main").inner_text()

    # Request changes, with a comment: back on the dashboard, without a permission error.
    landing = decide(
        reviewing, case_study, "reject", lambda modal: modal.locator("textarea").fill("Blur the participant's face.")
    )
    assert_lands_well(reviewing, landing, language, "3-changes-requested")
    assert reviewing.url.endswith("/admin/")
    assert TaskState.objects.filter(workflow_state=state, status=TaskState.STATUS_REJECTED).exists()

    # The editor resubmits from the page editor's action menu.
    editing = tab(1280)
    log_in(editing, editor.username)
    editing.goto(f"/admin/pages/{case_study.pk}/edit/")
    editing.locator("footer [data-w-dropdown-target='toggle']").first.click()
    with editing.expect_navigation() as resubmitted:
        editing.locator("button[name='action-submit']").click()
    assert_lands_well(editing, resubmitted.value, language, "4-resubmitted")
    assert editing.locator(".messages .success").count() == 1
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS

    # The reviewer approves against the checklist: back on the dashboard, the case study goes to the moderators.
    def confirm_every_safeguard(modal):
        for checkbox in modal.locator("input[type=checkbox]").all():
            checkbox.check()

    landing = decide(reviewing, case_study, "approve", confirm_every_safeguard)
    assert_lands_well(reviewing, landing, language, "5-approved")
    assert reviewing.url.endswith("/admin/")
    state.refresh_from_db()
    assert state.current_task_state.task.name == "Moderators approval"
