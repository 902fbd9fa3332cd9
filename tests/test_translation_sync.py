"""When the source changes, translations are synced without losing translated text; the translator sees what
changed; a page's PO file goes out and comes back translated (Arabic). All through the admin's HTTP views."""

import polib
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import Locale
from wagtail_localize.models import StringTranslation, Translation

from .test_translators import ARABIC_SUMMARY, ARABIC_TITLE, publish_english_news, start_translation, translate_string

pytestmark = pytest.mark.django_db

NEW_SUMMARY = "An updated summary, written after the translation started."


@pytest.fixture
def translated_news(client, users):
    """An English news item with an Arabic translation in progress (title and summary translated)."""
    page = publish_english_news("Exchange visit report", "The original summary.", day=21)
    client.force_login(users["translator"])
    start_translation(client, page, "ar")
    translation = Translation.objects.get(source__object_id=page.translation_key, target_locale__language_code="ar")
    translate_string(client, translation, "title", ARABIC_TITLE)
    translate_string(client, translation, "summary", ARABIC_SUMMARY)
    translate_string(client, translation, "slug", "تقرير-زيارة-تبادل")
    return page, translation


def test_sync_shows_the_change_and_keeps_translated_text(client, users, translated_news):
    page, translation = translated_news
    arabic = page.get_translation(Locale.objects.get(language_code="ar"))
    editor_url = reverse("wagtailadmin_pages:edit", args=[arabic.pk])
    assert translation.get_progress() == (3, 3)

    # An editor changes the English summary; a moderator publishes it.
    page.summary = NEW_SUMMARY
    page.save_revision().publish()

    # Syncing from the admin (the "Sync translated pages" button).
    client.force_login(users["editor"])
    sync_url = reverse("wagtail_localize:update_translations", args=[translation.source.pk])
    assert client.get(sync_url).status_code == 200
    assert client.post(sync_url, {}).status_code == 302

    # The translator's editor now shows the new English summary, waiting for a translation...
    client.force_login(users["translator"])
    body = client.get(editor_url).content.decode()
    assert NEW_SUMMARY in body
    translation.refresh_from_db()
    assert translation.get_progress() == (3, 2)
    # ...and the translated title is still there, in the editor and in the saved draft.
    assert ARABIC_TITLE in body
    submit_url = reverse("translations_submit_for_moderation", args=[arabic.pk])
    assert client.post(submit_url, {"action": "save"}).status_code == 302
    arabic.refresh_from_db()
    draft = arabic.get_latest_revision_as_object()
    assert draft.title == ARABIC_TITLE
    # The old summary's translation is kept too, ready to be reused if the sentence comes back.
    assert StringTranslation.objects.filter(data=ARABIC_SUMMARY).exists()


def test_po_export_and_import_round_trip_in_arabic(client, users):
    page = publish_english_news("Community dialogue forum", "A forum summary to translate through a PO file.", day=22)
    client.force_login(users["translator"])
    start_translation(client, page, "ar")
    arabic = page.get_translation(Locale.objects.get(language_code="ar"))
    translation = Translation.objects.get(source__object_id=page.translation_key, target_locale__language_code="ar")

    exported = client.get(reverse("wagtail_localize:download_pofile", args=[translation.pk]))
    assert exported.status_code == 200
    assert exported["Content-Type"].startswith("text/x-gettext-translation")
    po = polib.pofile(exported.content.decode())
    wanted = {
        "Community dialogue forum": "منتدى الحوار المجتمعي",
        page.summary: "ملخص المنتدى مترجم عبر ملف PO.",
        page.slug: "منتدى-الحوار-المجتمعي",
    }
    assert wanted.keys() <= {entry.msgid for entry in po}
    for entry in po:
        entry.msgstr = wanted.get(entry.msgid, entry.msgstr)

    upload_url = reverse("wagtail_localize:upload_pofile", args=[translation.pk])
    edit_url = reverse("wagtailadmin_pages:edit", args=[arabic.pk])
    upload = SimpleUploadedFile("forum-ar.po", str(po).encode(), content_type="text/x-gettext-translation")
    response = client.post(upload_url, {"file": upload, "next": edit_url})
    assert response.status_code == 302
    assert response.url == edit_url
    assert translation.get_progress() == (3, 3)

    client.post(reverse("translations_submit_for_moderation", args=[arabic.pk]), {"action": "save"})
    arabic.refresh_from_db()
    draft = arabic.get_latest_revision_as_object()
    assert draft.title == "منتدى الحوار المجتمعي"
    assert draft.summary == "ملخص المنتدى مترجم عبر ملف PO."


def test_a_po_file_for_another_translation_is_refused_without_change(client, users, translated_news):
    page, translation = translated_news
    po = polib.POFile()
    po.metadata = {"X-WagtailLocalize-TranslationID": "00000000-0000-0000-0000-000000000000"}
    po.append(polib.POEntry(msgid=page.title, msgstr="عنوان خاطئ", msgctxt="title"))
    upload = SimpleUploadedFile("other.po", str(po).encode())
    url = reverse("wagtail_localize:upload_pofile", args=[translation.pk])
    response = client.post(url, {"file": upload}, follow=True)
    assert response.status_code == 200
    assert "different translation" in response.content.decode()
    assert not StringTranslation.objects.filter(data="عنوان خاطئ").exists()


def test_machine_translation_is_off_by_default_and_configured_from_the_environment():
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    from translations.machine import machine_translator_from_env

    assert settings.WAGTAILLOCALIZE_MACHINE_TRANSLATOR is None  # nothing in the test environment turns it on
    assert machine_translator_from_env({}) is None
    assert machine_translator_from_env({"MACHINE_TRANSLATOR": "off", "DEEPL_API_KEY": "k"}) is None
    deepl = machine_translator_from_env({"DEEPL_API_KEY": "abc:fx"})
    assert deepl == {
        "CLASS": "wagtail_localize.machine_translators.deepl.DeepLTranslator",
        "OPTIONS": {"AUTH_KEY": "abc:fx"},
    }
    from django.utils.module_loading import import_string

    assert (
        import_string(deepl["CLASS"])(deepl["OPTIONS"]).get_api_endpoint() == "https://api-free.deepl.com/v2/translate"
    )
    with pytest.raises(ImproperlyConfigured):
        machine_translator_from_env({"MACHINE_TRANSLATOR": "deepl"})
    with pytest.raises(ImproperlyConfigured):
        machine_translator_from_env({"MACHINE_TRANSLATOR": "babelfish"})


def test_sync_cannot_publish_translations_around_the_workflow(
    client, users, translated_news, django_capture_on_commit_callbacks
):
    """wagtail-localize offers "Publish immediately" when syncing; only a user who may publish gets it.
    (It publishes when the request's transaction commits, hence the captured on-commit callbacks.)"""
    page, translation = translated_news
    arabic = page.get_translation(Locale.objects.get(language_code="ar"))
    assert not arabic.live
    sync_url = reverse("wagtail_localize:update_translations", args=[translation.source.pk])

    client.force_login(users["editor"])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(sync_url, {"publish_translations": "on"}).status_code == 403
    arabic.refresh_from_db()
    assert not arabic.live

    client.force_login(users["moderator"])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(sync_url, {"publish_translations": "on"}).status_code == 302
    arabic.refresh_from_db()
    assert arabic.live
