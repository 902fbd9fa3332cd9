"""The human-rights reviewer's journey in a real browser (Debian's Chromium driven by Playwright), with the admin in
English and in Arabic: the reviewer opens a case study awaiting review from the dashboard, compares it with the
previous version, requests changes with a comment; the editor resubmits; the reviewer approves. Each step asserts
the page the user lands on: no error page, no bare 403, no "Sorry, you do not have permission".

The journey creates its own users (from the role groups) and its own case study (factories), with names unique to
the run. On PostgreSQL the live server's connections cannot read a test's uncommitted transaction: so the journey
reads and writes through ``live_database``, which commits what it sets up and deletes it at the end.
"""

import uuid

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import PageLogEntry, TaskState, WorkflowState
from wagtail.users.models import UserProfile

from accounts.roles import EDITORS, REVIEWERS
from demo.loader import DEMO_PASSWORD
from handbook.factories import CaseStudyPageFactory, TermFactory
from handbook.models import CaseStudyIndexPage, Country

LANGUAGES = ["en", "ar"]

pytestmark = pytest.mark.django_db


def member_of(username, group, language):
    user = get_user_model().objects.create_user(username=username, email=f"{username}@example.org")
    user.set_password(DEMO_PASSWORD)
    user.save()
    user.groups.set([Group.objects.get(name=group)])
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    return user


def case_study_awaiting_review(page, pillar, editor):
    """A live English practice that the editor has changed and submitted: the review compares the two versions."""
    page.pillars.set([pillar])
    page.save_revision(user=editor).publish()
    page.title = f"{page.title} (revised for review)"
    page.save_revision(user=editor)
    page.get_workflow().start(page, editor)
    return page


@pytest.fixture
def journey(live_database, language):
    """The editor, the reviewer and a case study awaiting review, committed (names unique to the run); removed
    after, whatever the test's outcome."""
    run = uuid.uuid4().hex[:8]
    editor = member_of(f"journey-editor-{language}-{run}", EDITORS, language)
    live_database.append(editor.delete)
    reviewer = member_of(f"journey-reviewer-{language}-{run}", REVIEWERS, language)
    live_database.append(reviewer.delete)
    pillar = TermFactory(vocabulary="pillar")
    live_database.append(pillar.delete)
    listing = CaseStudyIndexPage.objects.get(locale__language_code="en")
    title = f"Reviewer journey {language} {run}"
    case_study = CaseStudyPageFactory(
        parent=listing, title=title, implementing_country=Country.objects.order_by("code").first()
    )

    def remove_case_study():
        WorkflowState.objects.for_instance(case_study).delete()
        PageLogEntry.objects.filter(page_id=case_study.pk).delete()
        case_study.delete()

    live_database.append(remove_case_study)
    case_study_awaiting_review(case_study, pillar, editor)
    return editor, reviewer, case_study


def assert_lands_well(page, response, language, step):
    """The page a step lands on: an admin page in the user's language, without an error of any kind."""
    assert response is None or response.status < 400, f"{step}: {response.status} at {page.url}"
    body = page.locator("body").inner_text()
    assert "Forbidden" not in body, step
    assert page.locator(".messages .error, .messages li.error").count() == 0, f"{step}: {body[:500]}"
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr"), step
    assert page.locator("#wagtail-sidebar").count() == 1, step  # inside the admin


def switch_user(page, signed_in, user):
    """The tab's user leaves (no cookie, nothing in the site's storage) and ``user`` takes the browser, signed in."""
    page.evaluate("() => { localStorage.clear(); sessionStorage.clear(); }")
    page.context.clear_cookies()
    signed_in(page, user)


def open_row_actions(page, case_study):
    """The "Awaiting your review" row's actions menu on the dashboard (its items are found by their URLs, which
    read the same in every admin language)."""
    page.goto("/admin/")
    page.locator("table.listing tr", has_text=case_study.title).locator(".w-dropdown__toggle").click()


def decide(page, case_study, action, fill):
    open_row_actions(page, case_study)
    page.locator(f"button[data-workflow-action-url*='/workflow/action/{case_study.pk}/{action}/']").click()
    modal = page.locator(".modal-content")
    modal.locator("form").wait_for()
    fill(modal)
    with page.expect_navigation() as landing:
        modal.locator("[type=submit]").click()
    return landing.value


@pytest.mark.parametrize("language", LANGUAGES)
def test_reviewer_compares_requests_changes_then_approves(tab, signed_in, journey, language):
    editor, reviewer, case_study = journey

    # Both start signed in (``signed_in``: the login form is the editor's and the two-factor journeys' subject).
    reviewing = tab(1280)
    signed_in(reviewing, reviewer)
    assert_lands_well(reviewing, reviewing.goto("/admin/"), language, "1-dashboard")

    # Open the case study from the dashboard: the editor, not a refusal.
    with reviewing.expect_navigation() as opened:
        reviewing.locator(f"table.listing a[href$='/pages/{case_study.pk}/edit/']").first.click()
    assert_lands_well(reviewing, opened.value, language, "2-editor")

    # Compare with the previous version: the change under review is shown.
    open_row_actions(reviewing, case_study)
    with reviewing.expect_navigation() as compared:
        reviewing.locator(f"a[href*='/pages/{case_study.pk}/revisions/compare/']:not([href*='live...'])").click()
    assert_lands_well(reviewing, compared.value, language, "3-compare")
    assert "/revisions/compare/" in reviewing.url
    assert case_study.title in reviewing.locator("main").inner_text()

    # Request changes, with a comment: back on the dashboard, without a permission error.
    landing = decide(
        reviewing, case_study, "reject", lambda modal: modal.locator("textarea").fill("Blur the participant's face.")
    )
    assert_lands_well(reviewing, landing, language, "4-changes-requested")
    assert reviewing.url.endswith("/admin/")

    # The editor resubmits from the page editor's action menu, in the same browser (one context for the journey: the
    # admin's scripts and styles are not fetched again), the reviewer signed out.
    editing = reviewing
    switch_user(editing, signed_in, editor)
    editing.goto(f"/admin/pages/{case_study.pk}/edit/")
    editing.locator("footer [data-w-dropdown-target='toggle']").first.click()
    with editing.expect_navigation() as resubmitted:
        editing.locator("button[name='action-submit']").click()
    assert_lands_well(editing, resubmitted.value, language, "5-resubmitted")
    assert editing.locator(".messages .success").count() == 1

    # The reviewer approves against the checklist: back on the dashboard, the case study goes to the moderators.
    def confirm_every_safeguard(modal):
        for checkbox in modal.locator("input[type=checkbox]").all():
            checkbox.check()

    switch_user(reviewing, signed_in, reviewer)
    landing = decide(reviewing, case_study, "approve", confirm_every_safeguard)
    assert_lands_well(reviewing, landing, language, "6-approved")
    assert reviewing.url.endswith("/admin/")

    # What the steps did (read now that the browser is done): changes requested once, then approved.
    state = WorkflowState.objects.for_instance(case_study).get()
    review = TaskState.objects.filter(workflow_state=state, task__name="Human-rights safeguards review")
    assert sorted(review.values_list("status", flat=True)) == [TaskState.STATUS_APPROVED, TaskState.STATUS_REJECTED]
    assert state.current_task_state.task.name == "Moderators approval"
