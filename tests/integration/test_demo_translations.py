"""The demo in the six UN languages: the sample translations went in through wagtail-localize, completely, and the
handbook's front page reads in each language with its own ``lang`` and ``dir``, on a phone and a desktop, with no
serious or critical accessibility violations (one page load per language and width; screenshots in
tests/artifacts/)."""

from pathlib import Path

import pytest
from django.conf import settings
from wagtail.models import Locale

from demo.loader import translation_gaps
from handbook.models import HandbookPage

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
AXE = Path(__file__).resolve().parent.parent / "browser" / "axe.min.js"
LANGUAGES = [code for code, _name in settings.LANGUAGES]

pytestmark = pytest.mark.django_db


def test_every_listed_page_is_translated_into_every_language_with_no_string_left():
    assert translation_gaps() == []


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_handbook_reads_in_each_language(tab, language, width):
    handbook = HandbookPage.objects.live().get(locale=Locale.objects.get(language_code=language))
    page = tab(width)
    if width == 1280:
        page.add_init_script(path=str(AXE))
    response = page.goto(handbook.url)
    assert response.status == 200
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"handbook-{language}-{width}.png"), full_page=True)
    html = page.locator("html")
    assert html.get_attribute("lang") == language
    assert html.get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    # Translated: the content is in the reader's language, with no fallback notice.
    assert page.locator("main").get_attribute("lang") is None
    assert page.locator(".fallback-notice").count() == 0
    assert page.locator("h1").inner_text() == handbook.title
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    if language == "zh-hans":
        # The self-hosted Simplified Chinese face renders the Han characters (not a Japanese system font's glyphs).
        fonts = page.evaluate(
            """async () => { await document.fonts.ready;
            return [...document.fonts].filter((f) => f.family.includes('Noto Sans SC')).map((f) => f.status); }"""
        )
        assert "loaded" in fonts, fonts
        assert page.locator("h1").evaluate("(el) => getComputedStyle(el).lineBreak") == "strict"
    if width == 1280:
        violations = page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".filter((v) => ['serious', 'critical'].includes(v.impact)).map((v) => v.id)"
        )
        assert violations == []
