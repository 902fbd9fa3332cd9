"""The translation editor and the admin around it, in Arabic and English, over the admin's HTTP views: the footer's
main action is the way into the workflow, the submit page names the page and language, a country shows by name,
workflow and task names and Wagtail's own labels read in the admin's language, and after a sync the translator
sees what changed with their previous translation."""

import copy
import json
import re
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.models import Locale, Workflow
from wagtail.users.models import UserProfile
from wagtail_localize.models import StringSegment, StringTranslation, Translation

from accounts.factories import UserFactory
from accounts.roles import TRANSLATORS, language_group_name
from handbook.factories import CaseStudyPageFactory, CountryFactory, TermFactory
from handbook.models import CaseStudyIndexPage

from .conftest import VerifiedClient
from .test_translators import ARABIC_SUMMARY, ARABIC_TITLE, publish_english_news, start_translation, translate_string

pytestmark = pytest.mark.django_db

OLD_SUMMARY = "Twelve agencies met in Dakar to share referral practices."
NEW_SUMMARY = "Fourteen agencies met in Dakar to share referral and aftercare practices."
ARABIC_OLD_SUMMARY = "اجتمعت اثنتا عشرة وكالة في داكار لتبادل ممارسات الإحالة."


def admin_language(user, code):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = code
    profile.save()


def arabic_translation_of(page):
    return Translation.objects.get(source__object_id=page.translation_key, target_locale__language_code="ar")


@pytest.fixture(scope="module")
def built_arabic_draft(module_transaction, django_db_blocker):
    """A new English news item and its Arabic translation, started by the translator (title and summary
    translated), built once for the module over the admin's views."""
    with django_db_blocker.unblock():
        page = publish_english_news("Referral practices exchange", OLD_SUMMARY, day=23)
        client = VerifiedClient()
        client.force_login(get_user_model().objects.get(username="translator"))
        assert start_translation(client, page, "ar").status_code == 302
        translation = arabic_translation_of(page)
        translate_string(client, translation, "title", ARABIC_TITLE)
        translate_string(client, translation, "summary", ARABIC_OLD_SUMMARY)
        translate_string(client, translation, "slug", "تبادل-ممارسات-الإحالة")
        return page, page.get_translation(Locale.objects.get(language_code="ar")), translation


@pytest.fixture
def arabic_draft(built_arabic_draft, client, users):
    """Copies of the module's news item, its Arabic draft and translation (a test may change them), with the
    translator signed in."""
    client.force_login(users["translator"])
    return copy.deepcopy(built_arabic_draft)


def a_country():
    """Bhutan, in a region of its own (the demo's regions and countries are left alone)."""
    return CountryFactory(code="BT", region=TermFactory(vocabulary="region", code="test-region", name="Test region"))


def footer(body):
    return re.search(r'<footer class="footer translation-footer.*?</footer>', body, re.S).group(0)


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_editors_main_action_is_submitting_into_the_workflow(client, users, arabic_draft, language):
    _, arabic, _ = arabic_draft
    admin_language(users["translator"], language)
    body = client.get(reverse("wagtailadmin_pages:edit", args=[arabic.pk])).content.decode()
    actions = footer(body)
    submit_label = "إرسال الترجمة للمراجعة" if language == "ar" else "Submit translation for moderation"
    save_label = "حفظ المسودة" if language == "ar" else "Save draft"
    delete_label = "حذف" if language == "ar" else "Delete"
    # The main button comes first, then the dropdown of secondary actions (with Delete), then "Save draft".
    submit_at = actions.index('value="submit"')
    secondary_at = actions.index("w-dropdown__content")
    assert submit_at < actions.index(submit_label) < secondary_at
    assert delete_label not in actions[:secondary_at]
    assert re.search(rf"{delete_label}\s*</a>", actions[secondary_at:])
    assert re.search(rf'value="save"[^>]*>\s*{save_label}\s*</button>\s*</form>', actions)  # beside, last
    # Which way the translation goes, as a sentence (an arrow pointed from Arabic to English in the Arabic admin).
    direction = re.search(r'<span class="translation-direction">(.*?)</span>', body, re.S).group(1)
    sentence = " ".join(re.sub(r"<[^>]+>", " ", direction).split())
    arabic_admin = language == "ar"
    assert sentence == ("الترجمة من الإنجليزية إلى العربية" if arabic_admin else "Translation from English into Arabic")
    title = unescape(re.search(r"<title>(.*?)</title>", body, re.S).group(1)).strip()
    expected = "ترجمة «\u2068{}\u2069» إلى العربية" if arabic_admin else "Translation of “\u2068{}\u2069” into Arabic"
    assert title.startswith(expected.format("Referral practices exchange"))  # the source page, isolated
    # wagtail-localize's own footer (whose main button was "Delete" for a translator) is hidden by our stylesheet.
    assert "translation-editor--moderated" in body


def test_submitting_from_the_editors_footer_lands_on_the_editor_with_a_success_message(client, users, arabic_draft):
    _, arabic, _ = arabic_draft
    admin_language(users["translator"], "ar")
    response = client.post(
        reverse("translations_submit_for_moderation", args=[arabic.pk]), {"action": "submit"}, follow=True
    )
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("wagtailadmin_pages:edit", args=[arabic.pk])
    body = response.content.decode()
    assert f"أُرسلت الترجمة «{ARABIC_TITLE}» للمراجعة." in body
    assert arabic.current_workflow_state is not None


@pytest.mark.parametrize(
    ("language", "heading", "count"),
    [
        ("ar", "ترجمة «<bdi>{title}</bdi>» إلى العربية", "الكلمات المترجمة: <bdi>12</bdi> من أصل <bdi>12</bdi>."),
        ("en", "Translation of “<bdi>{title}</bdi>” into Arabic", "Words translated: <bdi>12</bdi> of <bdi>12</bdi>."),
    ],
)
def test_the_submit_page_names_the_page_and_the_language(client, users, arabic_draft, language, heading, count):
    _, arabic, _ = arabic_draft
    admin_language(users["translator"], language)
    body = client.get(reverse("translations_submit_for_moderation", args=[arabic.pk])).content.decode()
    title = re.search(r"<title>(.*?)</title>", body, re.S).group(1)
    isolated = heading.replace("<bdi>", "\u2068").replace("</bdi>", "\u2069")  # bidi isolates in plain text
    assert unescape(title).strip().startswith(isolated.format(title=ARABIC_TITLE))
    assert heading.format(title=ARABIC_TITLE) in body
    assert count in body
    assert "Translation into" not in body


def test_a_case_studys_country_is_not_offered_as_an_id_to_translate(client, users):
    index = CaseStudyIndexPage.objects.get(locale__language_code="en")
    country = a_country()
    page = CaseStudyPageFactory(parent=index, title="Community referral desks", implementing_country=country)
    page.save_revision().publish()
    client.force_login(users["translator"])
    assert start_translation(client, page, "ar").status_code == 302
    arabic = page.get_translation(Locale.objects.get(language_code="ar"))
    body = client.get(reverse("wagtailadmin_pages:edit", args=[arabic.pk])).content.decode()
    props = json.loads(unescape(re.search(r'class="js-translation-editor" data-props="([^"]*)"', body).group(1)))
    fields = {segment["location"]["field"] for segment in props["segments"]}
    values = [segment.get("value") for segment in props["segments"] if segment["type"] != "string"]
    assert "Implementing country" not in fields
    assert country.pk not in values
    assert "ongoing" not in values and "bilateral" not in values  # choice codes neither
    # The translation still carries the country, by name, in the draft.
    client.post(reverse("translations_submit_for_moderation", args=[arabic.pk]), {"action": "save"})
    assert arabic.specific.get_latest_revision_as_object().implementing_country == country


def test_workflow_and_task_names_read_in_the_admins_language(client, users, admin_user):
    case_study = CaseStudyPageFactory(
        parent=CaseStudyIndexPage.objects.get(locale__language_code="en"),
        title="A practice under review",
        implementing_country=a_country(),
    )
    admin_language(users["editor"], "ar")
    client.force_login(users["editor"])
    body = client.get(reverse("wagtailadmin_pages:edit", args=[case_study.pk])).content.decode()
    assert "تقديم إلى مراجعة دراسة الحالة" in body
    assert "Case study review" not in body
    admin_language(admin_user, "ar")
    client.force_login(admin_user)
    workflows = client.get(reverse("wagtailadmin_workflows:index")).content.decode()
    assert "مراجعة دراسة الحالة" in workflows and "موافقة المشرفين" in workflows
    assert "Case study review" not in workflows
    tasks = client.get(reverse("wagtailadmin_workflows:task_index")).content.decode()
    assert "مراجعة ضمانات حقوق الإنسان" in tasks
    assert "Human-rights safeguards review" not in tasks
    # In English they read as created, and the stored names do not change when shown or saved.
    admin_language(admin_user, "en")
    assert "Case study review" in client.get(reverse("wagtailadmin_workflows:index")).content.decode()
    workflow = Workflow.objects.get(name="Case study review")
    workflow.save()
    assert Workflow.objects.filter(name="Case study review").exists()


def test_unpublish_reads_as_the_action_in_arabic(client, users):
    page = publish_english_news("A page to unpublish", "Its summary.", day=24)
    admin_language(users["moderator"], "ar")
    client.force_login(users["moderator"])
    not_published = re.compile(r"غير منشور(?!ة)")  # the adjective ("not published"), not "unpublished changes"
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert "إلغاء النشر" in edit
    assert not not_published.search(edit)
    confirm = client.get(reverse("wagtailadmin_pages:unpublish", args=[page.pk])).content.decode()
    assert "إلغاء النشر" in confirm
    assert not not_published.search(confirm)
    done = client.post(reverse("wagtailadmin_pages:unpublish", args=[page.pk]), follow=True).content.decode()
    assert "أُلغي نشر الصفحة" in done


def test_the_countries_list_reads_in_arabic(admin_client, admin_user):
    admin_language(admin_user, "ar")
    body = admin_client.get("/admin/handbook/country/").content.decode()
    assert "حسب المنطقة" in body
    assert re.search(r"\d+ من أصل \d+", body)
    assert "By " not in body and " out of " not in body


def test_after_a_sync_the_translator_sees_the_change_and_their_previous_translation(client, users, arabic_draft):
    page, arabic, translation = arabic_draft
    editor_url = reverse("wagtailadmin_pages:edit", args=[arabic.pk])
    page.summary = NEW_SUMMARY
    page.save_revision().publish()
    client.force_login(users["editor"])
    sync_url = reverse("wagtail_localize:update_translations", args=[translation.source.pk])
    assert client.post(sync_url, {}).status_code == 302

    admin_language(users["translator"], "ar")
    client.force_login(users["translator"])
    body = client.get(editor_url).content.decode()
    changes = re.search(r'<section class="translation-changes.*?</section>', body, re.S).group(0)
    assert "تغييرات في النص المصدر منذ ترجمتك" in changes
    assert OLD_SUMMARY in changes  # the earlier source text
    assert "<del>Twelve</del><ins>Fourteen</ins>" in changes  # what changed, word by word
    assert "<ins>and aftercare </ins>" in changes or "<ins>and</ins>" in changes
    assert ARABIC_OLD_SUMMARY in changes  # their previous translation
    assert ARABIC_TITLE not in changes  # unchanged strings are not listed
    translation.refresh_from_db()
    assert translation.get_progress() == (3, 2)  # the new summary still needs translating

    # The translator starts from the previous translation; it is marked to check until they edit it.
    segment = StringSegment.objects.get(source=translation.source, context__path="summary")
    response = client.post(reverse("translations_reuse_previous", args=[translation.pk, segment.pk]), follow=True)
    assert response.redirect_chain[-1][0] == editor_url
    assert StringTranslation.objects.get(translation_of=segment.string, locale__language_code="ar").data == (
        ARABIC_OLD_SUMMARY
    )
    body = response.content.decode()
    assert "منسوخة من ترجمتك السابقة" in body
    assert translate_string(client, translation, "summary", ARABIC_SUMMARY).status_code in {200, 201}
    assert "translation-changes" not in client.get(editor_url).content.decode()
    # Every earlier translation is kept.
    assert StringTranslation.objects.filter(data=ARABIC_OLD_SUMMARY).exists()


def test_reusing_a_previous_translation_needs_a_signed_in_user_who_may_edit_it(client, users, arabic_draft):
    page, _, translation = arabic_draft
    page.summary = NEW_SUMMARY
    page.save_revision().publish()
    translation.source.update_from_db()
    segment = StringSegment.objects.get(source=translation.source, context__path="summary")
    url = reverse("translations_reuse_previous", args=[translation.pk, segment.pk])
    client.logout()
    response = client.post(url)
    assert response.status_code == 302 and "login" in response.url
    french_translator = UserFactory(username="french-translator", groups=[TRANSLATORS, language_group_name("fr")])
    client.force_login(french_translator)
    refused = client.post(url)
    assert refused.status_code == 403
    assert "You translate into" in refused.content.decode()  # a page that says why
    assert not StringTranslation.objects.filter(translation_of=segment.string).exists()
