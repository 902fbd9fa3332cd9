"""Printing any page (Chromium with print media): the content, without what only works on screen."""

import pytest

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
SCREEN_ONLY = [".skip-link", ".language-switcher", ".main-nav", ".site-footer", "form", ".filters", ".pagination"]
HIDDEN = """selectors => selectors.flatMap(s => [...document.querySelectorAll(s)])
    .filter(e => getComputedStyle(e).display !== 'none').map(e => e.className || e.tagName)"""


def test_every_page_type_prints_its_content_without_the_screen_chrome(tab):
    page = tab(1280)
    page.emulate_media(media="print")
    for model in PAGE_TYPES:
        target = model.objects.live().filter(locale__language_code="ar").first()
        assert page.goto(target.url).status == 200
        assert page.evaluate(HIDDEN, SCREEN_ONLY) == [], f"{model.__name__} prints screen-only parts"
        assert page.locator("h1").first.is_visible(), f"{model.__name__} prints no title"
        assert page.evaluate("getComputedStyle(document.querySelector('main')).display") != "none"
    # On screen the same page shows its navigation.
    page.emulate_media(media="screen")
    page.goto(CaseStudyPage.objects.live().filter(locale__language_code="ar").first().url)
    assert page.locator(".main-nav").is_visible()
