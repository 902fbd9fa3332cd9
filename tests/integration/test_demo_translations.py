"""The demo in the six UN languages: the sample translations went in through wagtail-localize, completely, and every
public page type reads in each language with its own ``lang`` and ``dir``, on a phone (375 px) and a desktop (1280
px), with nothing wider than the screen and no serious or critical accessibility violation (axe-core).

One page load per page and language: the tab is resized from 375 to 1280 px (the layout is CSS only, nothing is
computed for the width at load), axe is injected once and run at each width; a page that fails leaves a full-page
screenshot, at the width it failed at, in tests/artifacts/ (conftest's ``pytest_runtest_makereport``), passing pages
none. English and Arabic pages already proven in ``test_browser.py`` (its ``PAGES`` × ``LANGUAGES``, axe at 1280 px)
and the Arabic coverage page (``test_coverage_browser.py``) are not loaded again. Content shown in another language
than the reader's (a page not yet translated, a listing's untranslated item, a menu's section) carries that
language's ``lang`` and reads in its direction.
"""

from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from wagtail.models import Locale

from demo.loader import translation_gaps
from handbook.models import (
    CaseStudyIndexPage,
    CaseStudyPage,
    CentreOfExcellence,
    ChapterPage,
    CoveragePage,
    Expert,
    HandbookPage,
)
from home.models import AboutPage, HomePage
from news.models import NewsIndexPage, NewsPage

from . import test_browser
from .test_browser import AXE_SERIOUS

LANGUAGES = [code for code, _name in settings.LANGUAGES]
TRANSLATED = [code for code in LANGUAGES if code not in (settings.LANGUAGE_CODE, "ar")]
PAGES = [
    "home",
    "about",
    "handbook",
    "chapter",
    "listing",
    "case-study",
    "news",
    "news-item",
    "coverage",
    "experts",
    "expert-profile",
    "centres",
    "centre",
    "glossary",
    "search",
    "search-empty",
    "sign-up",
    "sign-in",
    "password-reset",
    "exchange",
    "exchange-thanks",
    "not-found",
]
# Already loaded at both widths, with axe, by another test: test_browser.py's pages in English and Arabic, and
# test_coverage_browser.py's Arabic coverage page.
PROVEN_ELSEWHERE = {(name, language) for name in test_browser.PAGES for language in test_browser.LANGUAGES} | {
    ("coverage", "ar")
}
CASES = [
    *(
        pytest.param(name, language, id=f"{name}-{language}")
        for name in PAGES
        for language in LANGUAGES
        if (name, language) not in PROVEN_ELSEWHERE
    ),
    # A practice not translated into the reader's language: the original, marked with its own language.
    *(
        pytest.param("case-study-untranslated", language, id=f"case-study-untranslated-{language}")
        for language in TRANSLATED
    ),
]

# Nothing wider than the screen, but what scrolls in a region of its own (a data table wider than a phone, which
# WCAG's reflow criterion exempts; axe checks that the region takes keyboard focus): test_browser.py's check, with
# that exception.
NO_OVERFLOW = """() => {
    const width = document.documentElement.clientWidth;
    const scrolled = (el) => {
        for (let box = el.parentElement; box && box !== document.body; box = box.parentElement) {
            if (['auto', 'scroll'].includes(getComputedStyle(box).overflowX)) return true;
        }
        return false;
    };
    const wide = [...document.querySelectorAll('body *')].filter((el) => {
        const rect = el.getBoundingClientRect();
        return rect.width > 0 && (rect.right > width + 1 || rect.left < -1) && getComputedStyle(el).position !== 'fixed'
            && !el.closest('.visually-hidden, .skip-link') && !scrolled(el);
    }).map((el) => el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ')[0] : ''));
    return {scroll: document.documentElement.scrollWidth, width, wide: wide.slice(0, 5)};
}"""

# What the test reads from the loaded page, in one call (each locator call is a round trip to the browser: five or
# six of them were a tenth of a second per case). ``marks``: every element of the body that names its language, with
# the direction it reads in (inherited or its own).
READ = """() => {
    const attributes = (selector) => [...document.querySelectorAll(selector)]
        .map((el) => ({lang: el.getAttribute('lang'), dir: el.getAttribute('dir')}));
    return {
        html: attributes('html'),
        main: attributes('main'),
        notices: attributes('.fallback-notice'),
        h1: [...document.querySelectorAll('main h1')].map((el) => el.innerText),
        results: document.querySelectorAll('.results .result').length,
        statuses: document.querySelectorAll('main [role=status]').length,
        marks: [...document.body.querySelectorAll('[lang]')].map((el) => ({
            lang: el.lang, direction: getComputedStyle(el).direction,
            element: el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ')[0] : ''),
        })),
    };
}"""

pytestmark = pytest.mark.django_db


def direction(language):
    return "rtl" if translation.get_language_info(language)["bidi"] else "ltr"


def live(model, locale):
    return model.objects.live().filter(locale=locale).order_by("path").first()


def untranslated_practice(locale):
    """A live original practice with no live translation into ``locale``, at its URL under ``locale``'s prefix."""
    translated = CaseStudyPage.objects.live().filter(locale=locale).values("translation_key")
    original = (
        CaseStudyPage.objects.live()
        .filter(locale__language_code=settings.LANGUAGE_CODE)
        .exclude(translation_key__in=translated)
        .order_by("path")
        .first()
    )
    assert original is not None, f"every practice is translated into {locale.language_code}: nothing falls back"
    return original, original.url.replace(f"/{settings.LANGUAGE_CODE}/", f"/{locale.language_code}/", 1)


def case(name, language):
    """``(path, status, expected h1 or None, language the content is shown in)`` of page ``name`` in ``language``."""
    locale = Locale.objects.get(language_code=language)
    if name == "case-study-untranslated":
        original, path = untranslated_practice(locale)
        return path, 200, original.title, original.locale.language_code
    pages = {
        "home": HomePage,
        "about": AboutPage,
        "handbook": HandbookPage,
        "chapter": ChapterPage,
        "case-study": CaseStudyPage,
        "news": NewsIndexPage,
        "news-item": NewsPage,
        "coverage": CoveragePage,
    }
    if name in pages:
        page = live(pages[name], locale)
        assert page is not None, f"no live {pages[name].__name__} in {language}"
        return page.url, 200, page.title, language
    if name == "listing":
        return live(CaseStudyIndexPage, locale).url + "?pillar=II&region=africa", 200, None, language
    expert = Expert.objects.public().filter(locale__language_code=settings.LANGUAGE_CODE).order_by("pk").first()
    centre = CentreOfExcellence.objects.filter(locale__language_code=settings.LANGUAGE_CODE).order_by("pk").first()
    practice = live(CaseStudyPage, locale)
    with translation.override(language):
        path = {
            "experts": reverse("expert_directory") + "?region=africa",
            "expert-profile": reverse("expert_profile", args=[expert.translation_key]),
            "centres": reverse("centre_directory"),
            "centre": reverse("centre_profile", args=[centre.translation_key]),
            "glossary": reverse("glossary"),
            # A practice's own title (in the reader's language) finds at least that practice.
            "search": f"{reverse('search')}?{urlencode({'q': practice.title})}",
            "search-empty": f"{reverse('search')}?q=qzxvjwk",
            "sign-up": reverse("account_signup"),
            "sign-in": reverse("account_login"),
            "password-reset": reverse("account_reset_password"),
            "exchange": reverse("exchange_request"),
            "exchange-thanks": reverse("exchange_thanks"),
            "not-found": f"/{language}/no-such-page/",
        }[name]
    return path, 404 if name == "not-found" else 200, None, language


def check_width(page, name, language, width):
    page.set_viewport_size({"width": width, "height": 900})
    overflow = page.evaluate(NO_OVERFLOW)
    assert overflow["scroll"] <= overflow["width"] and not overflow["wide"], (width, overflow)
    assert page.evaluate(AXE_SERIOUS) == [], width


def test_every_listed_page_is_translated_into_every_language_with_no_string_left():
    assert translation_gaps() == []


@pytest.mark.parametrize(("name", "language"), CASES)
def test_page_reads_in_its_language_on_a_phone_and_a_desktop(reader, name, language):
    path, status, title, shown_in = case(name, language)
    page = reader(375)  # the module's one tab, axe-core loaded (conftest's ``reading_tab``)
    response = page.goto(path)
    assert response.status == status, path

    read = page.evaluate(READ)
    assert read["html"] == [{"lang": language, "dir": direction(language)}]
    (main,) = read["main"]
    if shown_in == language:
        assert main["lang"] is None
        assert read["notices"] == []
    else:
        assert main == {"lang": shown_in, "dir": direction(shown_in)}
        (notice,) = read["notices"]
        assert notice["lang"] is None  # the notice is in the reader's language
    if title is not None:
        assert read["h1"] == [title]
    if name == "search":
        assert read["results"] >= 1
    if name == "search-empty":
        assert read["results"] == 0
        assert read["statuses"] >= 1
    # Whatever names its language (a listing's untranslated item, a language's name) reads in that language's
    # direction.
    wrong = [mark for mark in read["marks"] if mark["direction"] != direction(mark["lang"])]
    assert wrong == []
    if language == "zh-hans" and name == "handbook":
        # The self-hosted Simplified Chinese face renders the Han characters (not a Japanese system font's glyphs).
        fonts = page.evaluate(
            """async () => { await document.fonts.ready;
            return [...document.fonts].filter((f) => f.family.includes('Noto Sans SC')).map((f) => f.status); }"""
        )
        assert "loaded" in fonts, fonts
        assert page.locator("h1").evaluate("(el) => getComputedStyle(el).lineBreak") == "strict"

    check_width(page, name, language, 375)
    check_width(page, name, language, 1280)
