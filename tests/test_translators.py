"""Translators over the admin's own HTTP views: they translate into their language with wagtail-localize, save
drafts, submit the translation into the moderation workflow, and can neither publish nor touch other languages."""

import datetime

import pytest
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse
from django.utils.text import slugify
from wagtail.models import Locale, Page, WorkflowState
from wagtail_localize.models import StringSegment, Translation

from handbook.models import Term
from news.models import NewsIndexPage, NewsPage

pytestmark = pytest.mark.django_db

ARABIC_TITLE = "ورشة عمل إقليمية حول الوقاية"
ARABIC_SUMMARY = "ملخص تجريبي لخبر كتبه المترجم في اختبار."


def publish_english_news(title, summary, day=20):
    """A live English news item, with no version in any other language yet."""
    parent = NewsIndexPage.objects.get(locale__language_code="en")
    page = NewsPage(title=title, slug=slugify(title), date=datetime.date(2026, 11, day), summary=summary)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def english_news():
    return publish_english_news("Regional prevention workshop", "A sample news item to be translated in a test.")


def locale(code):
    return Locale.objects.get(language_code=code)


def start_translation(client, page, code):
    url = reverse("wagtail_localize:submit_page_translation", args=[page.pk])
    return client.post(url, {"locales": [locale(code).pk]})


def translate_string(client, translation, path, text):
    segment = StringSegment.objects.get(source=translation.source, context__path=path)
    url = reverse("wagtail_localize:edit_string_translation", args=[translation.pk, segment.pk])
    return client.put(url, encode_multipart(BOUNDARY, {"value": text}), content_type=MULTIPART_CONTENT)


def denied(response):
    """Refused: a plain 403, or the Wagtail admin's way of refusing (back to the dashboard with a message)."""
    return response.status_code == 403 or (response.status_code == 302 and response.url == reverse("wagtailadmin_home"))


def arabic_translation(page):
    return Translation.objects.get(source__object_id=page.translation_key, target_locale__language_code="ar")


@pytest.mark.usefixtures("template_contexts")  # reads response.context
def test_translator_starts_an_arabic_translation_that_is_not_live(client, users, english_news):
    client.force_login(users["translator"])
    response = start_translation(client, english_news, "ar")
    assert response.status_code == 302
    arabic = english_news.get_translation(locale("ar"))
    assert not arabic.live  # WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False
    client.logout()
    # A reader gets the live English original with the notice, never the translator's unfinished draft.
    response = client.get(f"/ar/news/{arabic.slug}/")
    assert response.status_code == 200
    assert response.context["page"].pk == english_news.pk
    assert 'class="container fallback-notice"' in response.content.decode()


def test_editor_translation_of_a_live_page_is_never_live(client, users, english_news):
    client.force_login(users["editor"])
    assert start_translation(client, english_news, "fr").status_code == 302
    assert not english_news.get_translation(locale("fr")).live


def test_translator_cannot_start_a_translation_into_another_language(client, users, english_news):
    client.force_login(users["translator"])
    assert start_translation(client, english_news, "fr").status_code == 403
    assert not english_news.get_translations().filter(locale__language_code="fr").exists()


def test_translator_translates_saves_a_draft_and_submits_for_moderation(client, users, english_news):
    client.force_login(users["translator"])
    start_translation(client, english_news, "ar")
    arabic = english_news.get_translation(locale("ar"))
    edit_url = reverse("wagtailadmin_pages:edit", args=[arabic.pk])
    submit_url = reverse("translations_submit_for_moderation", args=[arabic.pk])

    editor = client.get(edit_url)
    assert editor.status_code == 200
    body = editor.content.decode()
    assert "js-translation-editor" in body  # wagtail-localize's translation editor
    assert submit_url in body  # the way into the workflow, in the editor's header

    translation = arabic_translation(english_news)
    assert translate_string(client, translation, "title", ARABIC_TITLE).status_code == 201
    assert translate_string(client, translation, "summary", ARABIC_SUMMARY).status_code == 201

    # Save a draft: a revision of the Arabic page carries the Arabic text; the page stays offline.
    assert client.get(submit_url).status_code == 200
    assert client.post(submit_url, {"action": "save"}).status_code == 302
    arabic.refresh_from_db()
    assert arabic.get_latest_revision_as_object().title == ARABIC_TITLE
    assert not arabic.live

    # Submit into the same moderation workflow as editors' pages.
    assert client.post(submit_url, {"action": "submit"}).status_code == 302
    state = WorkflowState.objects.get(object_id=str(arabic.pk), status=WorkflowState.STATUS_IN_PROGRESS)
    assert state.current_task_state.task.name == "Moderators approval"
    arabic.refresh_from_db()
    assert not arabic.live

    # The moderator approves: now the Arabic page is public, in Arabic.
    client.force_login(users["moderator"])
    url = reverse("wagtailadmin_pages:workflow_action", args=(arabic.pk, "approve", state.current_task_state.pk))
    assert client.post(url, {"comment": ""}).status_code in {200, 302}
    arabic.refresh_from_db()
    assert arabic.live
    client.logout()
    public = client.get(arabic.url)
    assert public.status_code == 200
    assert ARABIC_TITLE in public.content.decode()


def test_translator_cannot_publish_a_translation(client, users, english_news):
    client.force_login(users["translator"])
    start_translation(client, english_news, "ar")
    arabic = english_news.get_translation(locale("ar"))
    translate_string(client, arabic_translation(english_news), "title", ARABIC_TITLE)
    response = client.post(reverse("wagtailadmin_pages:edit", args=[arabic.pk]), {"action": "publish"})
    assert denied(response)
    arabic.refresh_from_db()
    assert not arabic.live
    assert arabic.title != ARABIC_TITLE


def test_translator_cannot_change_source_language_pages(client, users, english_news):
    client.force_login(users["translator"])
    edit_url = reverse("wagtailadmin_pages:edit", args=[english_news.pk])
    assert client.get(edit_url).status_code == 403
    response = client.post(edit_url, {"title": "Changed by a translator", "slug": english_news.slug})
    assert response.status_code == 403
    assert Page.objects.get(pk=english_news.pk).get_latest_revision_as_object().title == english_news.title
    # Nor its privacy, through another page view.
    privacy = reverse("wagtailadmin_pages:set_privacy", args=[english_news.pk])
    assert client.post(privacy, {"restriction_type": "login"}).status_code == 403


def test_translator_cannot_write_into_another_languages_translation(client, users, english_news):
    client.force_login(users["editor"])
    start_translation(client, english_news, "fr")
    french = Translation.objects.get(source__object_id=english_news.translation_key, target_locale__language_code="fr")
    client.force_login(users["translator"])
    assert translate_string(client, french, "title", "Atelier régional").status_code == 403
    french_page = english_news.get_translation(locale("fr"))
    assert client.get(reverse("wagtailadmin_pages:edit", args=[french_page.pk])).status_code == 403


def test_translator_translates_snippets_in_their_language_only(client, users):
    client.force_login(users["translator"])
    english = Term.objects.filter(locale__language_code="en").first()
    arabic = english.get_translation(locale("ar"))
    assert denied(client.get(reverse("wagtailsnippets_handbook_term:edit", args=[english.pk])))
    response = client.post(reverse("wagtailsnippets_handbook_term:edit", args=[english.pk]), {"name": "Changed"})
    assert denied(response)
    english.refresh_from_db()
    assert english.name != "Changed"
    editor = client.get(reverse("wagtailsnippets_handbook_term:edit", args=[arabic.pk]))
    assert editor.status_code == 200
    assert "js-translation-editor" in editor.content.decode()


def test_translator_sync_cannot_publish_every_language(client, users, english_news):
    client.force_login(users["editor"])
    start_translation(client, english_news, "ar")
    source = arabic_translation(english_news).source
    client.force_login(users["translator"])
    url = reverse("wagtail_localize:update_translations", args=[source.pk])
    assert client.post(url, {"publish_translations": "on"}).status_code == 403
    assert not english_news.get_translation(locale("ar")).live
