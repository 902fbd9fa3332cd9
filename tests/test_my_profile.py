"""An expert whose profile is linked to their account sees, corrects (through moderation), exports and deletes their
own data over HTTP, and chooses who may see it; nobody else reaches it, and the deletion leaves no trace of the
profile's content."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from wagtail.models import Locale, ModelLogEntry, TaskState, WorkflowState

from accounts.roles import MEMBERS
from handbook.factories import ExpertFactory
from handbook.models import Country, Expert
from handbook.models.people import ConsentRecord, Visibility
from tests.conftest import VerifiedClient

pytestmark = pytest.mark.django_db
MARKER = "Vellandrique"


@pytest.fixture
def owner():
    user = get_user_model().objects.create_user("expert-owner", password="unused-password-1")
    expert = ExpertFactory(
        name=MARKER,
        role="Mediator",
        bio="Mediates between herders and farmers.",
        email="owner.private@example.org",
        country=Country.objects.get(code="KE"),
        languages="sw en",
        account=user,
        visibility=Visibility.HIDDEN,
    )
    arabic = expert.copy_for_translation(Locale.objects.get(language_code="ar"))
    arabic.bio = "يتوسط بين الرعاة والمزارعين."
    arabic.save()
    client = Client()
    client.force_login(user)
    return user, expert, client


def test_the_owner_sees_their_private_data_and_others_see_nothing(owner):
    _user, _expert, client = owner
    page = client.get("/en/my-profile/").content.decode()
    assert MARKER in page and "owner.private@example.org" in page
    assert "shown to nobody" in page
    stranger = get_user_model().objects.create_user("stranger", password="unused-password-1")
    other = Client()
    other.force_login(stranger)
    response = other.get("/en/my-profile/")
    assert response.status_code == 404 and MARKER not in response.content.decode()
    assert Client().get("/en/my-profile/").status_code == 302  # to sign in


def test_the_owners_corrections_wait_for_a_moderator_and_their_consent_holds_at_once(owner, users):
    user, expert, client = owner
    data = {
        "name": MARKER,
        "name_latin": MARKER,
        "role": "Senior mediator",
        "organisation": "",
        "country": str(expert.country_id),
        "languages": "sw en fr",
        "bio": "Corrected biography.",
        "email": "owner.private@example.org",
        "visibility_choice": "members",
    }
    assert client.post("/en/my-profile/", data).status_code == 302
    # Consent is in force at once; the corrections are a revision in the experts' workflow, not the live row.
    expert.refresh_from_db()
    assert (expert.role, expert.languages, expert.visibility) == ("Mediator", "sw en", "members")
    record = ConsentRecord.objects.get(expert_key=expert.translation_key)
    assert record.recorded_by == user and record.visibility == "members"
    state = WorkflowState.objects.get(object_id=str(expert.pk), status=WorkflowState.STATUS_IN_PROGRESS)
    assert state.requested_by == user
    page = client.get("/en/my-profile/").content.decode()
    assert "waiting for the programme" in page and "Senior mediator" in page  # nothing the expert wrote is lost
    member = get_user_model().objects.create_user("a-member", password="unused-password-1")
    member.groups.add(Group.objects.get(name=MEMBERS))
    reader = Client()
    reader.force_login(member)
    profile_url = f"/en/experts/{expert.translation_key}/"
    shown = reader.get(profile_url).content.decode()
    assert MARKER in shown and "Senior mediator" not in shown

    # A second correction before the review restarts it on the newest text.
    assert client.post("/en/my-profile/", {**data, "role": "Lead mediator"}).status_code == 302
    state = WorkflowState.objects.get(object_id=str(expert.pk), status=WorkflowState.STATUS_IN_PROGRESS)
    task_state = TaskState.objects.get(workflow_state=state, status=TaskState.STATUS_IN_PROGRESS)
    assert task_state.revision.as_object().role == "Lead mediator"

    moderator = VerifiedClient()  # moderators pass two-factor verification before the admin
    moderator.force_login(users["moderator"])
    approve = reverse("wagtailsnippets_handbook_expert:workflow_action", args=[expert.pk, "approve", task_state.pk])
    assert moderator.post(approve, {"comment": ""}).status_code in (200, 302)
    expert.refresh_from_db()
    assert (expert.role, expert.languages, expert.visibility) == ("Lead mediator", "sw en fr", "members")
    assert "Lead mediator" in reader.get(profile_url).content.decode()
    # The person's own fields reach every language row once published.
    arabic = Expert.objects.get(translation_key=expert.translation_key, locale__language_code="ar")
    assert arabic.languages == "sw en fr"
    bad = client.post("/en/my-profile/", {**data, "languages": "sw qq"})
    assert bad.status_code == 200 and "Unknown language codes: qq" in bad.content.decode()


def test_a_consent_change_alone_starts_no_review(owner):
    _user, expert, client = owner
    data = {
        "name": MARKER,
        "name_latin": "",
        "role": "Mediator",
        "organisation": "",
        "country": str(expert.country_id),
        "languages": "sw en",
        "bio": "Mediates between herders and farmers.",
        "email": "owner.private@example.org",
        "visibility_choice": "public",
    }
    assert client.post("/en/my-profile/", data).status_code == 302
    expert.refresh_from_db()
    assert expert.visibility == "public" and not expert.has_unpublished_changes
    assert not WorkflowState.objects.filter(object_id=str(expert.pk)).exists()
    assert MARKER in Client().get("/en/experts/").content.decode()


def test_the_owner_exports_everything_held_about_them_as_json(owner):
    _user, expert, client = owner
    response = client.get("/en/my-profile/export/")
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["translations"]["en"]["email"] == "owner.private@example.org"
    assert data["translations"]["ar"]["bio"] == "يتوسط بين الرعاة والمزارعين."
    assert data["country"] == "KE" and data["visibility"] == "hidden"


def test_deleting_removes_every_row_and_logs_without_the_content(owner, admin_client):
    user, expert, client = owner
    key = expert.translation_key
    admin_client.post(  # an earlier edit in the admin: its audit-log entry carried the name
        f"/admin/snippets/handbook/expert/edit/{expert.pk}/",
        {
            "name": MARKER,
            "languages": "sw",
            "account": str(user.pk),
            "consent_visibility": "public",
            "consent_notice_version": "2026-12",
        },
    )
    assert ModelLogEntry.objects.filter(content_type__model="expert", label=MARKER).exists()
    assert client.post("/en/my-profile/delete/", {"confirm": "delete"}).status_code == 200
    assert not Expert.objects.filter(translation_key=key).exists()
    entries = ModelLogEntry.objects.filter(content_type__model="expert")
    assert entries.filter(action="wagtail.delete", label=f"Expert profile {key}").exists()
    assert not any(MARKER in entry.label or MARKER in json.dumps(entry.data) for entry in entries)
    assert ConsentRecord.objects.filter(expert_key=key).first().visibility == Visibility.HIDDEN
    assert client.get("/en/my-profile/").status_code == 404
