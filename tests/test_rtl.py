"""Right-to-left and per-language formatting as a reader gets the pages over HTTP: hreflang alternates, CLDR dates
and numbers with the documented digit policy, country names in the reader's language, isolated LTR fragments."""

import datetime
import re

import pytest
from wagtail.models import Locale

from core.languages import country_name, local_date, local_number
from handbook.models import CaseStudyIndexPage, CaseStudyPage, ChapterPage, HandbookPage
from home.models import AboutPage, HomePage
from news.models import NewsIndexPage, NewsPage

pytestmark = pytest.mark.django_db
ARABIC_INDIC_DIGITS = re.compile(r"[\u0660-\u0669\u06F0-\u06F9]")


def alternates(body):
    return dict(re.findall(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)">', body))


@pytest.mark.parametrize(
    "model",
    [HomePage, AboutPage, HandbookPage, ChapterPage, CaseStudyIndexPage, CaseStudyPage, NewsIndexPage, NewsPage],
    ids=lambda model: model.__name__,
)
def test_every_page_head_has_hreflang_alternates_and_x_default(client, model):
    english = model.objects.live().filter(locale__language_code="en").first()
    arabic = english.get_translation(Locale.objects.get(language_code="ar"))
    for page in (english, arabic):
        links = alternates(client.get(page.url).content.decode())
        assert links["en"] == f"http://testserver{english.url}"
        assert links["ar"] == f"http://testserver{arabic.url}"
        assert links["x-default"] == links["en"]
        assert "fr" not in links  # no French version: no alternate pointing at a missing page


def test_search_page_has_alternates_too(client):
    links = alternates(client.get("/ar/search/", {"q": "community"}).content.decode())
    assert {"en", "ar", "fr", "es", "ru", "zh-hans", "x-default"} <= set(links)


def test_dates_and_numbers_come_from_cldr_in_each_language():
    day = datetime.date(2026, 12, 15)
    # As the UN's documents write them in each language (core/languages.py).
    assert local_date(day, "en") == "15 December 2026"
    assert local_date(day, "fr") == "15 décembre 2026"
    assert local_date(day, "es") == "15 de diciembre de 2026"
    assert local_date(day, "ru") == "15 декабря 2026 года"
    assert local_date(day, "zh-hans") == "2026年12月15日"
    assert local_date(day, "ar") == "15 كانون الأول/ديسمبر 2026"
    assert local_date(datetime.date(2026, 6, 1), "ar") == "1 حزيران/يونيه 2026"
    # Digit policy: Latin digits in Arabic, with Arabic (CLDR) separators.
    assert local_number(1234567.5, "ar") == "1,234,567.5"
    assert not ARABIC_INDIC_DIGITS.search(local_number(1234567.5, "ar") + local_date(day, "ar"))
    assert local_number(1234567.5, "fr") == "1\u202f234\u202f567,5"


def test_arabic_pages_use_latin_digits_and_cldr_dates(client):
    news = NewsPage.objects.live().filter(locale__language_code="ar").order_by("-date").first()
    body = client.get(news.url).content.decode()
    assert local_date(news.date, "ar") in body
    assert str(news.date.year) in body
    assert not ARABIC_INDIC_DIGITS.search(re.sub(r"<[^>]+>", "", body))


def test_country_names_are_the_readers_language_names(client):
    practice = CaseStudyPage.objects.live().filter(locale__language_code="ar").first()
    code = practice.implementing_country.code
    assert country_name(code, "ar") in client.get(practice.url).content.decode()
    english = practice.get_translation(Locale.objects.get(language_code="en"))
    assert country_name(code, "en") in client.get(english.url).content.decode()


def test_left_to_right_fragments_are_isolated(client):
    body = client.get("/ar/search/", {"q": "UNOCT 2026"}).content.decode()
    assert "<bdi>UNOCT 2026</bdi>" in body
    # Focal points' names (Latin in an Arabic page) are isolated too.
    names = []
    for practice in CaseStudyPage.objects.live().filter(locale__language_code="ar")[:5]:
        names += re.findall(r"<li><a [^>]*><strong>(.*?)</strong>", client.get(practice.url).content.decode())
    assert names
    assert all(name.startswith("<bdi>") for name in names)
