"""Every page type renders in English and Arabic, with the right language and direction, as a reader gets it."""

import re

import pytest
from wagtail.models import Locale, Page

from handbook.models import CaseStudyIndexPage, CaseStudyPage, ChapterPage, HandbookPage
from home.models import AboutPage, HomePage
from news.models import NewsIndexPage, NewsPage

pytestmark = pytest.mark.django_db

PAGE_TYPES = [
    HomePage,
    AboutPage,
    HandbookPage,
    ChapterPage,
    CaseStudyIndexPage,
    CaseStudyPage,
    NewsIndexPage,
    NewsPage,
]


def html_tag(response):
    return re.search(r"<html[^>]*>", response.content.decode()).group(0)


@pytest.mark.parametrize("model", PAGE_TYPES, ids=lambda model: model.__name__)
@pytest.mark.parametrize(("language", "direction"), [("en", "ltr"), ("ar", "rtl")])
def test_each_page_type_renders_with_lang_and_dir(client, model, language, direction):
    page = model.objects.live().filter(locale__language_code=language).first()
    assert page is not None, f"the sample site has no live {model.__name__} in {language}"
    url = page.get_url()
    assert url.startswith(f"/{language}/")
    response = client.get(url)
    assert response.status_code == 200
    assert html_tag(response) == f'<html lang="{language}" dir="{direction}">'
    assert page.title in response.content.decode()


def test_arabic_pages_carry_arabic_text(client):
    practice = CaseStudyPage.objects.live().filter(locale__language_code="ar").first()
    body = client.get(practice.get_url()).content.decode()
    # Title and summary were translated through wagtail-localize, not copied from English.
    english = practice.get_translation(Locale.objects.get(language_code="en"))
    assert re.search(r"[\u0600-\u06FF]{4,}", practice.title)
    assert practice.title != english.title
    assert practice.summary != english.summary
    assert practice.summary in body
    assert "ضمانات" in body  # the safeguards section heading, from the Arabic interface catalogue


def test_language_switcher_leads_to_the_same_page(client):
    english = CaseStudyPage.objects.live().filter(locale__language_code="en").first()
    arabic = english.get_translation(Locale.objects.get(language_code="ar"))
    body = client.get(english.get_url()).content.decode()
    assert f'href="{arabic.get_url()}" lang="ar"' in body
    assert f'hreflang="ar" href="http://testserver{arabic.get_url()}"' in body
    back = client.get(arabic.get_url()).content.decode()
    assert f'href="{english.get_url()}" lang="en"' in back


def test_root_redirects_to_a_language(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] in {"/en/", "/ar/", "/fr/", "/es/", "/ru/", "/zh-hans/"}
    arabic = client.get("/", HTTP_ACCEPT_LANGUAGE="ar")
    assert arabic["Location"] == "/ar/"


def test_unknown_page_is_a_404_in_the_readers_language(client):
    response = client.get("/ar/no-such-page/")
    assert response.status_code == 404
    assert 'lang="ar" dir="rtl"' in response.content.decode()


def test_home_page_shows_programme_sections(client):
    body = client.get("/en/").content.decode()
    for page in Page.objects.live().filter(depth=3, locale__language_code="en"):
        assert page.title in body  # main navigation
    assert "Sample content" in body
