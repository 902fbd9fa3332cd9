"""Reviewers comment on the safeguards field with Wagtail's comments, over the admin's own editor: the comment is
kept, anchored on the field, without a new version of the page and without publishing it; the editor sees it;
and a decision taken from the editor's action menu does not send the page back through the review."""

import json
import re

import pytest
from django.urls import reverse
from wagtail.models import TaskState, WorkflowState

from handbook.factories import CaseStudyPageFactory
from handbook.models import CaseStudyIndexPage, Country

from .admin_forms import edit_form_data

pytestmark = pytest.mark.django_db

SAFEGUARDS_FIELD = "safeguards_do_no_harm"  # one of the four items the reviewer checks
COMMENT = "Do no harm: the second paragraph names the village; remove it."
CHECKLIST = {"legal_basis": True, "do_no_harm": True, "data_protection": True, "gender": True}


@pytest.fixture
def users(users):
    from django.contrib.auth import get_user_model

    return {**users, "reviewer": get_user_model().objects.get(username="reviewer")}


@pytest.fixture
def in_review(users):
    """A live case study whose revised version the editor submitted: it waits for the safeguards review."""
    parent = CaseStudyIndexPage.objects.get(locale__language_code="en")
    page = CaseStudyPageFactory(parent=parent, title="Comment probe", implementing_country=Country.objects.first())
    page.save_revision(user=users["editor"]).publish()
    page.title = "Comment probe, revised"
    page.save_revision(user=users["editor"])
    page.get_workflow().start(page, users["editor"])
    page.refresh_from_db()
    return page


def comment_data(text):
    """The comments formset the editor's JavaScript posts for one new comment on the safeguards field."""
    return {
        "comments-TOTAL_FORMS": "1",
        "comments-INITIAL_FORMS": "0",
        "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "1000",
        "comments-0-id": "",
        "comments-0-contentpath": SAFEGUARDS_FIELD,
        "comments-0-position": "",
        "comments-0-text": text,
        "comments-0-DELETE": "",
        "comments-0-replies-TOTAL_FORMS": "0",
        "comments-0-replies-INITIAL_FORMS": "0",
        "comments-0-replies-MIN_NUM_FORMS": "0",
        "comments-0-replies-MAX_NUM_FORMS": "1000",
    }


def comments_shown(body):
    """The comment texts the editor's comment panel is loaded with."""
    match = re.search(r'<script id="comments-data" type="application/json">(.*?)</script>', body, re.S)
    return [comment["text"] for comment in json.loads(match.group(1))["comments"]]


def post_as_reviewer(client, page, user, **extra):
    client.force_login(user)
    data = edit_form_data(page.get_latest_revision_as_object(), user, **comment_data(COMMENT), **extra)
    return client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)


def test_reviewer_can_comment_on_the_safeguards_field(client, users, in_review):
    client.force_login(users["reviewer"])
    response = client.get(reverse("wagtailadmin_pages:edit", args=[in_review.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert comments_shown(body) == []  # the editor's comments are on, for this reviewer, on this page
    # A rich text field takes comments through its own toolbar (Draftail's comment control), anchored on the text.
    field = body[body.index(f'data-contentpath="{SAFEGUARDS_FIELD}"') :].split("data-contentpath=")[1]
    assert "data-draftail-input" in field


def test_reviewers_comment_is_saved_without_a_new_version_and_the_editor_sees_it(client, users, in_review):
    revision = in_review.latest_revision_id
    response = post_as_reviewer(client, in_review, users["reviewer"], title="A reviewer's own title")
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_pages:edit", args=[in_review.pk])
    comment = in_review.wagtail_admin_comments.get()
    assert (comment.contentpath, comment.text, comment.user) == (SAFEGUARDS_FIELD, COMMENT, users["reviewer"])
    in_review.refresh_from_db()
    assert in_review.latest_revision_id == revision  # the page is as the editor submitted it
    assert in_review.title == "Comment probe"  # nothing published
    assert in_review.current_workflow_task_state.task.name == "Human-rights safeguards review"

    client.force_login(users["editor"])
    body = client.get(reverse("wagtailadmin_pages:edit", args=[in_review.pk])).content.decode()
    assert comments_shown(body) == [COMMENT]


def test_a_decision_taken_from_the_editor_moves_the_workflow_on(client, users, in_review):
    extra = {
        "action-workflow-action": "true",
        "workflow-action-name": "approve",
        "workflow-action-extra-data": json.dumps(CHECKLIST | {"comment": "Fine once the village is removed."}),
    }
    response = post_as_reviewer(client, in_review, users["reviewer"], **extra)
    assert response.status_code == 302
    state = WorkflowState.objects.get(object_id=str(in_review.pk), status=WorkflowState.STATUS_IN_PROGRESS)
    assert state.current_task_state.task.name == "Moderators approval"  # not back to the safeguards review
    review = TaskState.objects.get(workflow_state=state, status=TaskState.STATUS_APPROVED)
    assert review.finished_by == users["reviewer"]
    assert in_review.wagtail_admin_comments.get().text == COMMENT


def test_reviewer_requests_changes_from_the_editor_with_a_comment_on_the_field(client, users, in_review):
    extra = {
        "action-workflow-action": "true",
        "workflow-action-name": "reject",
        "workflow-action-extra-data": json.dumps({"comment": "See my comment on the safeguards."}),
    }
    post_as_reviewer(client, in_review, users["reviewer"], **extra)
    state = WorkflowState.objects.get(object_id=str(in_review.pk))
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    client.force_login(users["editor"])
    body = client.get(reverse("wagtailadmin_pages:edit", args=[in_review.pk])).content.decode()
    assert comments_shown(body) == [COMMENT]


def test_the_reviewers_autosave_is_refused_with_a_reason(client, users, in_review):
    client.force_login(users["reviewer"])
    data = edit_form_data(in_review.get_latest_revision_as_object(), users["reviewer"], **comment_data(COMMENT))
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[in_review.pk]), data, headers={"accept": "application/json"}
    )
    assert response.status_code == 400
    assert "Save draft" in response.json()["error_message"]
    assert not in_review.wagtail_admin_comments.exists()
