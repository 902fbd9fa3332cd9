"""Scheduled publishing, revision compare and revert, page locking and the audit log, over the admin's HTTP views."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry, Revision

from news.models import NewsPage

from .admin_forms import edit_form_data

pytestmark = pytest.mark.django_db


def news_item():
    return NewsPage.objects.live().filter(locale__language_code="en").order_by("path").first()


def edit(client, page, user, url=None, **fields):
    data = edit_form_data(page, user, **fields)
    return client.post(url or reverse("wagtailadmin_pages:edit", args=(page.pk,)), data)


def test_go_live_waits_for_the_scheduled_time_then_publish_scheduled_publishes(client, users):
    page = news_item()
    old_title = page.title
    client.force_login(users["moderator"])
    go_live = (timezone.now() + timedelta(days=2)).strftime("%Y-%m-%d %H:%M")
    response = edit(
        client, page, users["moderator"], title="Rescheduled forum", go_live_at=go_live, **{"action-publish": "1"}
    )
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.title == old_title  # still the old version online
    revision = Revision.page_revisions.filter(object_id=str(page.pk)).order_by("-created_at").first()
    assert revision.approved_go_live_at is not None

    call_command("publish_scheduled")
    page.refresh_from_db()
    assert page.title == old_title  # not yet time

    # Time passes: the scheduled moment (in the revision and its approval) is now a minute ago.
    past = timezone.now() - timedelta(minutes=1)
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save(update_fields=["content", "approved_go_live_at"])
    call_command("publish_scheduled")
    page.refresh_from_db()
    assert page.title == "Rescheduled forum"
    assert client.get(page.url).status_code == 200


def test_expiry_takes_the_page_offline(client, users):
    page = news_item()
    client.force_login(users["moderator"])
    expire = (timezone.now() + timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
    edit(client, page, users["moderator"], expire_at=expire, **{"action-publish": "1"})
    page.refresh_from_db()
    assert page.live and page.expire_at is not None
    NewsPage.objects.filter(pk=page.pk).update(expire_at=timezone.now() - timedelta(minutes=1))
    call_command("publish_scheduled")
    page.refresh_from_db()
    assert not page.live and page.expired
    client.logout()
    assert client.get(page.url).status_code == 404
    assert PageLogEntry.objects.filter(page=page, action="wagtail.unpublish.scheduled").exists()


def test_revisions_compare_and_revert(client, users):
    page = news_item()
    original = page.title
    client.force_login(users["editor"])
    edit(client, page, users["editor"], title="A mistaken title")
    compare = client.get(reverse("wagtailadmin_pages:revisions_compare", args=(page.pk, "live", "latest")))
    assert compare.status_code == 200
    text = compare.content.decode()
    assert original in text and "A mistaken title" in text

    live_revision = page.live_revision
    revert_url = reverse("wagtailadmin_pages:revisions_revert", args=(page.pk, live_revision.pk))
    form = client.get(revert_url)
    assert form.status_code == 200 and original in form.content.decode()
    edit(client, page, users["editor"], url=revert_url, title=original)
    page.refresh_from_db()
    assert page.get_latest_revision_as_object().title == original
    assert PageLogEntry.objects.filter(page=page, action="wagtail.revert", user=users["editor"]).exists()


def test_a_locked_page_cannot_be_overwritten_by_someone_else(client, users):
    page = news_item()
    client.force_login(users["moderator"])
    assert client.post(reverse("wagtailadmin_pages:lock", args=(page.pk,))).status_code == 302
    page.refresh_from_db()
    assert page.locked and page.locked_by == users["moderator"]

    client.force_login(users["editor"])
    before = page.latest_revision_id
    response = edit(client, page, users["editor"], title="Overwritten while locked")
    assert "locked" in response.content.decode().lower()
    page.refresh_from_db()
    assert page.latest_revision_id == before
    # Nor can the editor lift the lock.
    client.post(reverse("wagtailadmin_pages:unlock", args=(page.pk,)))
    page.refresh_from_db()
    assert page.locked

    client.force_login(users["moderator"])
    edit(client, page, users["moderator"], title="Edited by the lock holder")
    page.refresh_from_db()
    assert page.get_latest_revision_as_object().title == "Edited by the lock holder"
    assert PageLogEntry.objects.filter(page=page, action="wagtail.lock", user=users["moderator"]).exists()


def test_moderation_actions_land_in_the_audit_log(client, users):
    page = news_item()
    client.force_login(users["editor"])
    edit(client, page, users["editor"], title="Submitted change", **{"action-submit": "1"})
    client.force_login(users["moderator"])
    state = page.current_workflow_state
    url = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, "approve", state.current_task_state.pk))
    client.post(url, {"comment": "Fine."})
    client.post(reverse("wagtailadmin_pages:unpublish", args=(page.pk,)))
    actions = set(PageLogEntry.objects.filter(page=page).values_list("action", "user__username"))
    assert {
        ("wagtail.edit", "editor"),
        ("wagtail.workflow.start", "editor"),
        ("wagtail.workflow.approve", "moderator"),
        ("wagtail.publish", "moderator"),
        ("wagtail.unpublish", "moderator"),
    } <= actions
    # The audit log is what administrators see in the admin's site history report.
    client.force_login(users["admin"])
    report = client.get(reverse("wagtailadmin_reports:site_history"))
    assert report.status_code == 200 and "Submitted change" in report.content.decode()
