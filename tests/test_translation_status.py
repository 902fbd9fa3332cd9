"""The translation status dashboard in the admin: every page and translatable snippet, per language, with
totals and filters, over HTTP as an editor or translator opens it."""

import datetime
import re

import pytest
from django.urls import reverse
from wagtail.models import Locale, Page

from handbook.models import Term
from news.models import NewsIndexPage, NewsPage

from .test_translators import start_translation, translate_string

pytestmark = pytest.mark.django_db
URL = reverse("translations_status")


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
    assert row(client.get(URL).content.decode(), "Dashboard probe")[0] == "outdated"  # nothing translated yet
    from wagtail_localize.models import Translation

    translation = Translation.objects.get(source__object_id=page.translation_key, target_locale__language_code="ar")
    for path, text in [("title", "مسبار اللوحة"), ("slug", "مسبار-اللوحة"), ("summary", "مسبار.")]:
        translate_string(client, translation, path, text)
    assert row(client.get(URL).content.decode(), "Dashboard probe")[0] == "current"

    page.summary = "Probe, revised."
    page.save_revision().publish()
    assert row(client.get(URL).content.decode(), "Dashboard probe")[0] == "outdated"


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
