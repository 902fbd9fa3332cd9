"""The translation status dashboard in the admin: every page and translatable snippet, per language, with
totals and filters, over HTTP as an editor or translator opens it."""

import csv
import datetime
import io
import re

import pytest
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse
from wagtail.models import Locale, Page
from wagtail.rich_text import RichText
from wagtail_localize.models import StringSegment, Translation

from handbook.models import Term
from news.models import NewsIndexPage, NewsPage

from .test_translators import start_translation, translate_string

pytestmark = pytest.mark.django_db
URL = reverse("translations_status")
CSV_URL = reverse("translations_status_csv")


def totals(body):
    """{language code: {status: count}} read from the totals table."""
    result = {}
    for code, cells in re.findall(r'<tr data-language="([\w-]+)">(.*?)</tr>', body, re.S):
        result[code] = {s: int(n) for s, n in re.findall(r'data-status="(\w+)">(\d+)<', cells)}
    return result


def row(body, title):
    match = re.search(r"<tr>\s*<td>[^\n]*>" + re.escape(title) + r"<.*?</tr>", body, re.S)
    return re.findall(r'data-status="(\w+)"', match.group(0)) if match else None


def test_dashboard_counts_every_page_and_snippet_per_language(client, users):
    client.force_login(users["editor"])
    response = client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    counts = totals(body)
    assert set(counts) == {"ar", "fr", "es", "ru", "zh-hans"}
    objects = sum(counts["fr"].values())
    assert objects == sum(counts["ar"].values())
    # The sample site translates every page and snippet into Arabic and none into French.
    english_pages = Page.objects.filter(locale__language_code="en", depth__gt=1).count()
    assert counts["fr"]["missing"] >= english_pages
    assert counts["ar"]["missing"] == 0
    assert counts["ar"]["current"] > 0
    assert "Translation status" in client.get(reverse("wagtailadmin_home")).content.decode()  # menu item


def test_dashboard_follows_a_translation_from_missing_to_up_to_date_to_out_of_date(client, users):
    parent = NewsIndexPage.objects.get(locale__language_code="en")
    page = NewsPage(title="Dashboard probe", slug="dashboard-probe", date=datetime.date(2026, 11, 23), summary="Probe.")
    parent.add_child(instance=page)
    page.save_revision().publish()
    client.force_login(users["translator"])
    assert row(client.get(URL).content.decode(), "Dashboard probe")[0] == "missing"  # ar is the first column

    start_translation(client, page, "ar")
    assert row(client.get(URL).content.decode(), "Dashboard probe")[0] == "unfinished"  # nothing translated yet
    translation = Translation.objects.get(source__object_id=page.translation_key, target_locale__language_code="ar")
    for path, text in [("title", "مسبار اللوحة"), ("summary", "مسبار.")]:
        translate_string(client, translation, path, text)
    # The slug, left as the source's, is not a text to translate: the translation is complete.
    assert row(client.get(URL).content.decode(), "Dashboard probe")[0] == "current"

    page.summary = "Probe, revised."
    page.save_revision().publish()
    assert row(client.get(URL).content.decode(), "Dashboard probe")[0] == "outdated"


# --- words, by hand ---------------------------------------------------------------------------------------------
# Counted by hand: the title has 4 words ("hand-counted" is one), the summary 8 ("counter-terrorism" is one word),
# the paragraph 6 (its bold word and its link are words like the others). The slug is not counted.
TITLE = "Hand-counted workshop on prevention"
SUMMARY = "Experts from three regions shared their counter-terrorism practices."
PARAGRAPH = '<p>Participants from <b>Senegal</b> and <a href="https://example.org/">Kenya</a> met.</p>'
WORDS = 4 + 8 + 6


def segment_paths(translation):
    return {
        segment.context.path: segment
        for segment in StringSegment.objects.filter(source=translation.source).select_related("context", "string")
    }


def put_translation(client, translation, segment, text):
    url = reverse("wagtail_localize:edit_string_translation", args=[translation.pk, segment.pk])
    response = client.put(url, encode_multipart(BOUNDARY, {"value": text}), content_type=MULTIPART_CONTENT)
    assert response.status_code == 201, response.content


def csv_rows(client, **params):
    response = client.get(CSV_URL, params)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # spreadsheet programs read UTF-8 only with it
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def words_cell(body, title):
    """(status, percent) of the first language column of the row titled ``title``."""
    match = re.search(
        r"<tr>\s*<td>[^\n]*>" + re.escape(title) + r'<.*?data-status="(\w+)" data-percent="(\d+)"', body, re.S
    )
    return match.group(1), int(match.group(2))


def test_words_translated_match_a_hand_count_and_a_source_edit_makes_it_out_of_date(client, users):
    parent = NewsIndexPage.objects.get(locale__language_code="en")
    page = NewsPage(
        title=TITLE,
        slug="hand-counted-workshop",
        date=datetime.date(2026, 11, 24),
        summary=SUMMARY,
        body=[("paragraph", RichText(PARAGRAPH))],
    )
    parent.add_child(instance=page)
    page.save_revision().publish()
    client.force_login(users["editor"])
    french = {"language": "fr"}
    assert words_cell(client.get(URL, french).content.decode(), TITLE) == ("missing", 0)

    response = start_translation(client, page, "fr")
    assert response.status_code == 302
    translation = Translation.objects.get(source__object_id=page.translation_key, target_locale__language_code="fr")
    segments = segment_paths(translation)
    assert "slug" in segments  # offered to the translator, but not counted
    put_translation(client, translation, segments["title"], "Atelier régional sur la prévention")
    body = client.get(URL, french).content.decode()
    assert words_cell(body, TITLE) == ("unfinished", 4 * 100 // WORDS)  # 4 of 18 words: 22 %
    # The language's total over what the filters keep (this page is the only French one in progress).
    only_this = client.get(URL, {**french, "status": "unfinished"}).content.decode()
    assert re.search(r'<tr data-language="fr">.*?data-percent="22"', only_this, re.S)
    assert "(4 of 18 words)" in only_this

    (line,) = [line for line in csv_rows(client, **french) if line["Title"] == TITLE]
    assert line["Language"] == "Français"
    assert (line["Status"], line["Words translated"], line["Words"], line["Percentage translated"]) == (
        "In progress",
        "4",
        str(WORDS),
        "22",
    )
    assert line["Source changed"] == ""
    assert line["Translation in the admin"].startswith("http")

    summary = "Des experts de trois régions ont partagé leurs pratiques."
    put_translation(client, translation, segments["summary"], summary)
    (paragraph,) = [segment for path, segment in segments.items() if path.startswith("body.")]
    put_translation(
        client, translation, paragraph, 'Des participants du <b>Sénégal</b> et du <a id="a1">Kenya</a> se sont réunis.'
    )
    assert words_cell(client.get(URL, french).content.decode(), TITLE) == ("current", 100)

    # Published again without a change of text: nothing for translators to do.
    page.save_revision().publish()
    assert words_cell(client.get(URL, french).content.decode(), TITLE) == ("current", 100)

    page.summary = SUMMARY.replace("three", "four")
    page.save_revision().publish()
    body = client.get(URL, french).content.decode()
    assert words_cell(body, TITLE) == ("outdated", 100)  # what was translated still is, but the source moved on
    outdated = re.search(r'<table class="listing translation-status__outdated">(.*?)</table>', body, re.S).group(1)
    assert TITLE in outdated
    page.refresh_from_db()
    changed = re.search(r'data-changed="([^"]+)"', outdated).group(1)
    assert datetime.datetime.fromisoformat(changed) == page.last_published_at  # with the age of the change
    assert "0\xa0minutes ago" in outdated
    (line,) = [line for line in csv_rows(client, **french) if line["Title"] == TITLE]
    assert line["Status"] == "Out of date"
    assert datetime.datetime.fromisoformat(line["Source changed"]) == page.last_published_at.replace(microsecond=0)


def test_snippet_out_of_date_when_its_source_changes(client, users):
    client.force_login(users["editor"])
    term = Term.objects.filter(locale__language_code="en", vocabulary="theme").first()
    translation = term.get_translation(Locale.objects.get(language_code="ar"))
    assert translation is not None
    before = row(client.get(URL + "?type=taxonomy+term").content.decode(), str(term))
    term.name = term.name + " (revised)"
    term.save()
    after = row(client.get(URL + "?type=taxonomy+term").content.decode(), str(term))
    assert before[0] == "current"
    assert after[0] == "outdated"


def test_filters_by_language_status_and_type(client, users):
    client.force_login(users["editor"])
    body = client.get(URL, {"language": "ar", "status": "missing"}).content.decode()
    assert set(totals(body)) == {"ar"}
    assert "Nothing matches these filters." in body  # everything has an Arabic version in the sample site

    body = client.get(URL, {"language": "fr", "type": str(NewsPage._meta.verbose_name)}).content.decode()
    fr = totals(body)["fr"]
    assert sum(fr.values()) == fr["missing"] == NewsPage.objects.filter(locale__language_code="en").count()
    assert "Translate" in body  # missing French pages link to wagtail-localize's translate form

    # Unknown filter values are ignored, not an error.
    assert client.get(URL, {"language": "xx", "status": "bogus", "type": "nope"}).status_code == 200


def test_only_admin_users_with_translation_rights_see_it(client, users):
    from django.contrib.auth import get_user_model

    outsider = get_user_model().objects.create_user("outsider", password="x")
    client.force_login(outsider)
    response = client.get(URL)
    assert response.status_code in {302, 403}
    assert "Translation status" not in response.content.decode()
