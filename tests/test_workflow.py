"""The moderated workflow over the admin's own HTTP views: editors submit, moderators approve and publish."""

import pytest
from django.urls import reverse
from wagtail.models import Page, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from news.models import NewsIndexPage, NewsPage

pytestmark = pytest.mark.django_db


def news_form(title, **extra):
    return nested_form_data(
        {
            "title": title,
            "slug": title.lower().replace(" ", "-"),
            "kind": "news",
            "date": "2026-11-20",
            "summary": "A sample news item written in a test.",
            "body": streamfield([]),
            "comments": inline_formset([]),
            **extra,
        }
    )


def add_news(client, title, **action):
    parent = NewsIndexPage.objects.get(locale__language_code="en")
    url = reverse("wagtailadmin_pages:add", args=("news", "newspage", parent.pk))
    return client.post(url, news_form(title, **action))


def test_editor_submits_for_moderation(client, users):
    client.force_login(users["editor"])
    response = add_news(client, "Workshop report", **{"action-submit": "Submit to Moderators approval"})
    assert response.status_code == 302
    page = NewsPage.objects.get(slug="workshop-report")
    assert not page.live
    state = WorkflowState.objects.get(base_content_type__isnull=False, object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.current_task_state.task.name == "Moderators approval"


def test_editor_cannot_publish_a_new_page(client, users):
    client.force_login(users["editor"])
    add_news(client, "Editor tries to publish", **{"action-publish": "Publish"})
    page = NewsPage.objects.get(slug="editor-tries-to-publish")
    assert not page.live
    assert page.first_published_at is None


def test_editor_cannot_publish_an_existing_draft(client, users):
    client.force_login(users["editor"])
    add_news(client, "Draft by editor")
    page = NewsPage.objects.get(slug="draft-by-editor")
    edit = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    client.post(edit, news_form("Draft by editor", **{"action-publish": "Publish"}))
    page.refresh_from_db()
    assert not page.live
    # Nor through the bulk action.
    bulk = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish")) + f"?id={page.pk}"
    response = client.post(bulk, {"include_descendants": "False"})
    page.refresh_from_db()
    assert not page.live
    assert response.status_code in {200, 302, 403}


def test_editor_cannot_unpublish_live_pages(client, users):
    client.force_login(users["editor"])
    page = NewsPage.objects.live().filter(locale__language_code="en").first()
    response = client.post(reverse("wagtailadmin_pages:unpublish", args=(page.pk,)))
    page.refresh_from_db()
    assert page.live
    assert response.status_code in {302, 403}


def test_moderator_approval_makes_the_page_live(client, users):
    client.force_login(users["editor"])
    add_news(client, "Forum meeting", **{"action-submit": "Submit to Moderators approval"})
    page = NewsPage.objects.get(slug="forum-meeting")
    assert client.get(page.url).status_code == 404  # not public before approval

    client.force_login(users["moderator"])
    state = WorkflowState.objects.get(object_id=str(page.pk), status=WorkflowState.STATUS_IN_PROGRESS)
    url = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, "approve", state.current_task_state.pk))
    response = client.post(url, {"comment": "Checked."})
    assert response.status_code in {200, 302}
    page.refresh_from_db()
    assert page.live
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    client.logout()
    assert client.get(Page.objects.get(pk=page.pk).url).status_code == 200


def test_roles_exist_with_their_page_permissions():
    from django.contrib.auth.models import Group
    from wagtail.models import GroupPagePermission

    def codenames(name):
        return set(GroupPagePermission.objects.filter(group__name=name).values_list("permission__codename", flat=True))

    assert "publish_page" not in codenames("Editors")
    assert {"add_page", "change_page"} <= codenames("Editors")
    assert "publish_page" in codenames("Moderators")
    assert Group.objects.filter(name="Translators").exists()
