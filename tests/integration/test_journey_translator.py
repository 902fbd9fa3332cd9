"""The Arabic translator's journey in a real browser (Debian's Chromium driven by Playwright), with the admin in
English and in Arabic: open a new English page's translation into Arabic, translate its strings in
wagtail-localize's editor, submit it for moderation from the editor's main button, then, after the English text
changed and was synced, see what changed beside their previous translation and start from it.

The live server thread has its own database connection, which cannot read a test's uncommitted transaction (and
is refused tables that transaction has read or written: SQLite's shared-cache table locks); so this test reads and
writes only through the server's connection: what it sets up is committed, the browser sees it, and it is deleted
at the end.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.models import Locale, Page
from wagtail.users.models import UserProfile
from wagtail_localize.models import StringTranslation, Translation, TranslationSource

from ..test_translators import publish_english_news

OLD_SUMMARY = "Twelve agencies met in Dakar to share referral practices."
NEW_SUMMARY = "Fourteen agencies met in Dakar to share referral and aftercare practices."
ARABIC = {
    "title": "رحلة المترجم: تبادل ممارسات الإحالة",
    "summary": "اجتمعت اثنتا عشرة وكالة في داكار لتبادل ممارسات الإحالة.",
}
SUBMIT = {"en": "Submit translation for moderation", "ar": "إرسال الترجمة للمراجعة"}
DIRECTION = {"en": "Translation from English into Arabic", "ar": "الترجمة من الإنجليزية إلى العربية"}
MESSAGES = {
    "en": {"submitted": "has been submitted for moderation", "changed": "Changed in the source since your translation"},
    "ar": {"submitted": "للمراجعة", "changed": "تغييرات في النص المصدر منذ ترجمتك"},
}


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_arabic_translator_translates_submits_and_catches_up_with_a_change(tab, live_database, signed_in, language):
    translator = get_user_model().objects.get(username="translator")
    profile = UserProfile.get_for_user(translator)
    previous_language = profile.preferred_language
    profile.preferred_language = language
    profile.save()
    live_database.append(lambda: UserProfile.objects.filter(pk=profile.pk).update(preferred_language=previous_language))
    english = publish_english_news(f"Translator journey {language}: referral practices", OLD_SUMMARY, day=26)
    arabic_locale = Locale.objects.get(language_code="ar")

    def remove_pages():
        for page in Page.objects.filter(translation_key=english.translation_key).order_by("-locale_id"):
            page.delete()
        TranslationSource.objects.filter(object_id=english.translation_key).delete()
        StringTranslation.objects.filter(data__in=ARABIC.values()).delete()

    live_database.append(remove_pages)

    page = tab(1280)
    signed_in(page, translator)
    messages = MESSAGES[language]

    # "Translate this page": Arabic is the translator's language.
    page.goto(reverse("wagtail_localize:submit_page_translation", args=[english.pk]))
    page.check(f'input[name="locales"][value="{arabic_locale.pk}"]')
    page.locator("main form [type=submit]").first.click()
    page.wait_for_selector(".js-translation-editor li p")
    arabic = english.get_translation(arabic_locale)
    editor_url = reverse("wagtailadmin_pages:edit", args=[arabic.pk])
    assert page.url.endswith(editor_url)
    assert page.locator("html").get_attribute("lang") == language

    def translate(source_text, translated):
        segment = page.locator(".js-translation-editor li", has=page.locator("p", has_text=source_text)).last
        tabs = page.locator(".js-translation-editor [role=tab]")
        for index in range(tabs.count()):  # the slug is on the Promote tab
            if segment.is_visible():
                break
            tabs.nth(index).click()
        segment.get_by_role("button").last.click()
        field = segment.locator("textarea")
        field.fill(translated)
        field.press("Enter")
        page.locator(".js-translation-editor p", has_text=translated).first.wait_for()

    translate(english.title, ARABIC["title"])
    translate(OLD_SUMMARY, ARABIC["summary"])
    translate(english.slug, f"رحلة-المترجم-{language}")

    # Arabic strings are upright (no synthesised italics) and read right to left in either admin.
    arabic_line = page.locator(".js-translation-editor p", has_text=ARABIC["summary"]).first
    style = arabic_line.evaluate(
        "(el) => ({style: getComputedStyle(el).fontStyle, bidi: getComputedStyle(el).unicodeBidi})"
    )
    assert style == {"style": "normal", "bidi": "plaintext"}, style
    source_line = page.locator(".js-translation-editor p", has_text=OLD_SUMMARY).first
    assert source_line.evaluate("(el) => getComputedStyle(el).fontStyle") == "normal"

    # Which way the translation goes reads as a sentence in the admin's language; wagtail-localize's fixed English
    # "English to العربية translation" is not shown.
    assert page.locator(".translation-direction").inner_text() == DIRECTION[language]
    assert not page.get_by_text(re.compile(r"English to .* translation")).first.is_visible()

    # The footer's main button submits into the workflow; wagtail-localize's own footer ("Delete" first) is gone.
    assert (
        page.locator(".js-translation-editor footer").count() == 0
        or not page.locator(".js-translation-editor footer").first.is_visible()
    )
    footer = page.locator("footer.translation-footer")
    main_button = footer.locator(".w-dropdown-button > button").first
    assert main_button.get_attribute("value") == "submit"
    assert main_button.inner_text().strip() == SUBMIT[language]
    box = main_button.bounding_box()
    assert box["height"] < 80 and box["y"] + box["height"] <= 900  # a button's size, on screen
    assert footer.locator('button[value="save"]').is_visible()
    main_button.click()
    page.wait_for_url(f"**{editor_url}")
    success = page.locator(".messages .success")
    assert messages["submitted"] in success.inner_text()
    assert ARABIC["title"] in success.inner_text()
    assert page.locator(".messages .error").count() == 0
    assert arabic.current_workflow_state is not None

    # The English summary changes and is published; the translator syncs the translation.
    english.refresh_from_db()
    english.summary = NEW_SUMMARY
    english.save_revision().publish()
    source = Translation.objects.get(source__object_id=english.translation_key, target_locale=arabic_locale).source
    page.goto(reverse("wagtail_localize:update_translations", args=[source.pk]))
    page.locator("main form [type=submit]").first.click()
    page.wait_for_load_state()
    assert page.locator(".messages .error").count() == 0

    # In the editor: what changed, word by word, beside the previous translation.
    page.goto(editor_url)
    changes = page.locator(".translation-changes")
    changes.wait_for()
    assert messages["changed"] in changes.inner_text()
    assert changes.locator(".translation-change__old").inner_text() == OLD_SUMMARY
    assert changes.locator("del").first.inner_text() == "Twelve"
    assert changes.locator("ins").first.inner_text() == "Fourteen"
    assert changes.locator(".translation-change__previous").inner_text() == ARABIC["summary"]

    # Starting from the previous translation puts it in the editor, marked to check.
    changes.get_by_role("button").click()
    page.wait_for_url(f"**{editor_url}")
    page.wait_for_selector(".js-translation-editor li p")
    assert page.locator(".js-translation-editor p", has_text=ARABIC["summary"]).count() >= 1
    assert page.locator(".translation-change .status-tag").is_visible()
