"""The human-rights safeguards review of case studies, through the admin's own editor and workflow action views."""

import pytest
from django.urls import reverse
from wagtail.models import Page, TaskState, WorkflowState

from handbook.models import CaseStudyPage

from .admin_forms import edit_form_data

pytestmark = pytest.mark.django_db

CHECKLIST = {"legal_basis": "on", "do_no_harm": "on", "data_protection": "on", "gender": "on"}


@pytest.fixture
def users(users):
    from django.contrib.auth import get_user_model

    return {**users, "reviewer": get_user_model().objects.get(username="reviewer")}


def submit_case_study(client, editor, title="Community dialogue, revised"):
    """The editor changes a live English case study and submits it; returns the page and its workflow state."""
    page = CaseStudyPage.objects.live().filter(locale__language_code="en").order_by("path").first()
    client.force_login(editor)
    data = edit_form_data(page, editor, title=title, **{"action-submit": "Submit"})
    response = client.post(reverse("wagtailadmin_pages:edit", args=(page.pk,)), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    state = WorkflowState.objects.get(object_id=str(page.pk), status=WorkflowState.STATUS_IN_PROGRESS)
    return page, state


def act(client, page, state, action, data):
    task_state = TaskState.objects.get(workflow_state=state, status=TaskState.STATUS_IN_PROGRESS)
    url = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, action, task_state.pk))
    return client.post(url, data), task_state


def test_case_studies_go_to_the_safeguards_review_first(client, users):
    page, state = submit_case_study(client, users["editor"])
    assert state.workflow.name == "Case study review"
    assert state.current_task_state.task.name == "Human-rights safeguards review"
    page.refresh_from_db()
    assert page.get_latest_revision_as_object().title == "Community dialogue, revised"
    assert page.title != "Community dialogue, revised"  # the live version is untouched until approval


def test_other_pages_keep_the_moderators_workflow():
    news = Page.objects.get(slug="news", locale__language_code="en")
    assert news.get_workflow().name == "Moderators approval"


def test_translated_case_studies_are_reviewed_too():
    arabic = CaseStudyPage.objects.filter(locale__language_code="ar").first()
    assert arabic.get_workflow().name == "Case study review"


def test_approval_needs_every_safeguard_confirmed(client, users):
    page, state = submit_case_study(client, users["editor"])
    client.force_login(users["reviewer"])
    incomplete = {key: value for key, value in CHECKLIST.items() if key != "gender"}
    response, task_state = act(client, page, state, "approve", incomplete)
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_IN_PROGRESS
    # The modal (an XHR in the admin) shows the missing item as a form error.
    url = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, "approve", task_state.pk))
    modal = client.post(url, incomplete, headers={"x-requested-with": "XMLHttpRequest"})
    assert "Confirm this safeguard before approving." in modal.content.decode()
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_IN_PROGRESS


def test_approved_review_passes_to_moderators_then_the_page_shows_the_review_date(client, users):
    page, state = submit_case_study(client, users["editor"])
    client.force_login(users["reviewer"])
    response, task_state = act(client, page, state, "approve", CHECKLIST | {"comment": "Names removed."})
    assert response.status_code == 302
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_APPROVED
    assert task_state.finished_by == users["reviewer"]
    assert "Safeguards confirmed: Legal basis, Do no harm, Data protection, Gender." in task_state.comment
    state.refresh_from_db()
    assert state.current_task_state.task.name == "Moderators approval"
    page.refresh_from_db()
    assert page.title != "Community dialogue, revised"  # not published by the review alone

    client.force_login(users["moderator"])
    act(client, page, state, "approve", {"comment": ""})
    page.refresh_from_db()
    assert page.title == "Community dialogue, revised"
    client.logout()
    body = client.get(page.url).content.decode()
    assert "Reviewed for human-rights safeguards" in body
    assert task_state.finished_at.strftime("%Y-%m-%d") in body


def test_unreviewed_case_studies_carry_no_review_line(client):
    page = CaseStudyPage.objects.live().filter(locale__language_code="en").order_by("path").last()
    assert "Reviewed for human-rights safeguards" not in client.get(page.url).content.decode()


def test_reviewer_rejects_with_a_comment(client, users):
    page, state = submit_case_study(client, users["editor"])
    client.force_login(users["reviewer"])
    response, task_state = act(client, page, state, "reject", {"comment": ""})
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_IN_PROGRESS  # no comment, no rejection

    act(client, page, state, "reject", {"comment": "Photo shows a participant's face."})
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_REJECTED
    assert task_state.comment == "Photo shows a participant's face."
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    page.refresh_from_db()
    assert page.title != "Community dialogue, revised"
    assert page.get_latest_revision_as_object().title == "Community dialogue, revised"  # the editor's work is kept


@pytest.mark.parametrize("role", ["editor", "translator", "moderator"])
def test_only_reviewers_can_act_on_the_safeguards_review(client, users, role):
    page, state = submit_case_study(client, users["editor"])
    client.force_login(users[role])
    response, task_state = act(client, page, state, "approve", CHECKLIST)
    # The admin answers a refused action by sending the user to the dashboard with "permission denied".
    assert response.status_code == 403 or response["Location"] == reverse("wagtailadmin_home")
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_IN_PROGRESS


def test_review_actions_land_in_the_audit_log(client, users):
    from wagtail.models import PageLogEntry

    page, state = submit_case_study(client, users["editor"])
    client.force_login(users["reviewer"])
    act(client, page, state, "approve", CHECKLIST)
    client.force_login(users["moderator"])
    act(client, page, state, "reject", {"comment": "Needs a source."})
    actions = list(PageLogEntry.objects.filter(page=page).order_by("timestamp").values_list("action", "user__username"))
    assert ("wagtail.workflow.start", "editor") in actions
    assert ("wagtail.workflow.approve", "reviewer") in actions
    assert ("wagtail.workflow.reject", "moderator") in actions


def test_an_edit_after_the_review_sends_the_case_study_back_to_the_review(client, users):
    page, state = submit_case_study(client, users["editor"])
    client.force_login(users["reviewer"])
    act(client, page, state, "approve", CHECKLIST)
    state.refresh_from_db()
    assert state.current_task_state.task.name == "Moderators approval"

    # The moderator changes the text and presses "Publish": refused, the reviewed version was not this one.
    client.force_login(users["moderator"])
    data = edit_form_data(page, users["moderator"], title="Changed after the review", **{"action-publish": "1"})
    client.post(reverse("wagtailadmin_pages:edit", args=(page.pk,)), data)
    page.refresh_from_db()
    assert page.title != "Changed after the review"

    # Approving the changed version does not publish it either: it goes back to the safeguards review.
    client.force_login(users["editor"])
    client.post(
        reverse("wagtailadmin_pages:edit", args=(page.pk,)),
        edit_form_data(page, users["editor"], title="Changed after the review"),
    )
    state.refresh_from_db()
    client.force_login(users["moderator"])
    act(client, page, state, "approve", {"comment": ""})
    page.refresh_from_db()
    assert page.title != "Changed after the review"
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.current_task_state.task.name == "Human-rights safeguards review"

    client.force_login(users["reviewer"])
    act(client, page, state, "approve", CHECKLIST)
    client.force_login(users["moderator"])
    act(client, page, state, "approve", {"comment": ""})
    page.refresh_from_db()
    assert page.title == "Changed after the review"
