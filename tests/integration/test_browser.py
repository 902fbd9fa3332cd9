"""The public site in a real browser (Debian's Chromium driven by Playwright), in English and Arabic, on a phone
(375 px) and a desktop (1280 px): direction, no horizontal overflow, navigation on the reading side, the language
switcher landing on the same page, and no serious or critical accessibility violations (axe-core).

Each page is loaded once per language: checked at 375 px, widened in the same tab to 1280 px and checked again (axe
included), then its language switcher is followed. A test that fails leaves a full-page screenshot of its open tabs, at
the width it failed at, in tests/artifacts/ (conftest's ``pytest_runtest_makereport``; git-ignored; CI keeps it as an
artefact): passing pages are not photographed, which cost Chromium about as much as loading them.
A live server thread reads the session's demo database; these tests only read, so the ordinary ``db`` fixture
is enough (the demo content is committed before the session starts).
"""

import re
from urllib.parse import unquote, urlsplit

import pytest
from django.urls import reverse
from django.utils import translation
from wagtail.models import Locale

from handbook.models import CaseStudyIndexPage, CaseStudyPage, CentreOfExcellence, ChapterPage, HandbookPage
from home.models import HomePage
from news.models import NewsIndexPage, NewsPage

PAGES = ["home", "handbook", "chapter", "case-study", "listing", "search", "news", "experts", "centre"]
LANGUAGES = ["en", "ar"]
# The serious and critical violations axe finds on the page (conftest's ``reader`` loads axe-core in every page).
# Only the rules that can report one run: every rule of axe-core 4 has a fixed impact (a rule without one would be
# kept), and the others' findings (minor, moderate) were filtered out anyway. They were 40 % of axe's time.
AXE_SERIOUS = """async () => {
    const serious = ['serious', 'critical'];
    const rules = axe._audit.rules.filter((rule) => rule.enabled && !rule.tags.includes('experimental')
        && (!rule.impact || serious.includes(rule.impact))).map((rule) => rule.id);
    if (!rules.includes('color-contrast')) throw new Error(`axe-core's rules changed shape: ${rules}`);
    const results = await axe.run(document, {runOnly: {type: 'rule', values: rules}, resultTypes: ['violations']});
    return results.violations.filter((v) => serious.includes(v.impact))
        .map((v) => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' '))}));
}"""
WIDTHS = [375, 1280]

pytestmark = pytest.mark.django_db


def page_paths(language):
    """Path (with query) of each page under test, in ``language``."""
    locale = Locale.objects.get(language_code=language)

    def url(model):
        return model.objects.filter(locale=locale).live().order_by("path").first().url

    centre = CentreOfExcellence.objects.filter(locale__language_code="en").order_by("pk").first()
    with translation.override(language):
        search = reverse("search")
        experts = reverse("expert_directory")
        centre = reverse("centre_profile", args=[centre.translation_key])
    return {
        "home": url(HomePage),
        "handbook": url(HandbookPage),
        "chapter": url(ChapterPage),
        "case-study": url(CaseStudyPage),
        "listing": url(CaseStudyIndexPage) + "?pillar=II&region=africa",
        "search": search + ("?q=المجتمعات" if language == "ar" else "?q=community"),
        "news": url(NewsIndexPage),
        "experts": experts + "?region=africa",
        "centre": centre,
    }


NO_OVERFLOW = """() => {
    const width = document.documentElement.clientWidth;
    const wide = [...document.querySelectorAll('body *')].filter((el) => {
        const rect = el.getBoundingClientRect();
        return rect.width > 0 && (rect.right > width + 1 || rect.left < -1) && getComputedStyle(el).position !== 'fixed'
            && !el.closest('.visually-hidden, .skip-link');
    }).map((el) => el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ')[0] : ''));
    return {scroll: document.documentElement.scrollWidth, width, wide: wide.slice(0, 5)};
}"""

FIRST_NAV_ITEM = """() => {
    const link = document.querySelector('.main-nav a');
    const rect = link.getBoundingClientRect();
    return {left: rect.left, right: rect.right, width: document.documentElement.clientWidth};
}"""


def check_width(page, name, language, width):
    """The page, already loaded in ``page``, at ``width`` × 900 px: its direction, overflow, search field, navigation
    side and axe-core's serious and critical violations."""
    page.set_viewport_size({"width": width, "height": 900})

    html = page.locator("html")
    assert html.get_attribute("lang") == language
    assert html.get_attribute("dir") == ("rtl" if language == "ar" else "ltr")

    overflow = page.evaluate(NO_OVERFLOW)
    assert overflow["scroll"] <= overflow["width"], (width, overflow)
    assert not overflow["wide"], (width, overflow)

    # The search field keeps the page's direction (placeholder aligned) and lets typed text find its own.
    search = page.locator("#site-search").evaluate(
        "(el) => ({direction: getComputedStyle(el).direction, bidi: getComputedStyle(el).unicodeBidi})"
    )
    assert search == {"direction": "rtl" if language == "ar" else "ltr", "bidi": "plaintext"}, width

    nav = page.evaluate(FIRST_NAV_ITEM)
    if language == "ar":
        assert nav["width"] - nav["right"] < nav["width"] / 4, (width, nav)  # starts on the right
    else:
        assert nav["left"] < nav["width"] / 4, (width, nav)  # starts on the left

    # No serious or critical accessibility violation at this width (axe-core).
    violations = page.evaluate(AXE_SERIOUS)
    assert violations == [], (width, violations)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", PAGES)
def test_page_in_the_browser_at_each_width_then_in_the_other_language(reader, name, language):
    """One load of the page: checked on a phone, then in the same tab widened to a desktop (the layout is CSS only,
    nothing is computed for the width at load; axe runs again at the new width), then its language switcher is
    followed, which lands on the same page in the other language (a search keeps the reader's query)."""
    path = page_paths(language)[name]
    page = reader(WIDTHS[0])  # axe-core loaded (conftest's ``reading_tab``)
    response = page.goto(path)
    assert response.status == 200, path
    for width in WIDTHS:
        check_width(page, name, language, width)

    other = "en" if language == "ar" else "ar"
    with page.expect_navigation():
        page.locator(f'.language-switcher a[hreflang="{other}"]').click()
    landed = urlsplit(page.url)
    expected = urlsplit(page_paths(other)[name])
    assert landed.path == expected.path
    if name == "search":
        assert unquote(landed.query) == urlsplit(path).query  # the reader's query survives the switch
    assert page.locator("html").get_attribute("lang") == other


def test_arabic_font_is_self_hosted_and_does_not_block_rendering(tab):
    page = tab(375)
    page.goto(page_paths("ar")["home"])
    fonts = page.evaluate(
        """async () => { await document.fonts.ready;
        return [...document.fonts].filter((f) => f.family.includes('Noto Sans Arabic'))
            .map((f) => ({status: f.status, display: f.display})); }"""
    )
    assert any(font["status"] == "loaded" for font in fonts), fonts
    assert all(font["display"] == "swap" for font in fonts), fonts
    font_urls = page.evaluate(
        "() => performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.endsWith('.woff2'))"
    )
    assert font_urls
    assert all(url.startswith(page.url.split("/ar/")[0] + "/static/fonts/") for url in font_urls), font_urls
    assert page.locator('link[rel="preload"][as="font"]').count() == 1


def test_arabic_typed_into_an_english_admin_reads_right_to_left(tab, signed_in, django_user_model):
    page = tab(1280)
    signed_in(page, django_user_model.objects.get(username="editor"))
    news = NewsIndexPage.objects.get(locale__language_code="en")
    page.goto(f"/admin/pages/add/news/newspage/{news.pk}/")
    assert page.locator("html").get_attribute("dir") == "ltr"
    title = page.locator("#id_title")
    title.fill("ورشة عمل إقليمية")
    style = title.evaluate("(el) => ({bidi: getComputedStyle(el).unicodeBidi, align: getComputedStyle(el).textAlign})")
    assert style == {"bidi": "plaintext", "align": "start"}


def test_translator_reaches_the_workflow_from_the_translation_editor(tab, signed_in, django_user_model):
    """wagtail-localize's editor has no "Submit for moderation" (its issue 676): ours is the footer's main button.
    Only navigates (the submission itself is tested over HTTP in test_translators.py, and as a journey in
    test_journey_translator.py)."""
    arabic = NewsPage.objects.filter(locale__language_code="ar").first()
    page = tab(1280)
    signed_in(page, django_user_model.objects.get(username="translator"))
    page.goto(f"/admin/pages/{arabic.pk}/edit/")
    page.wait_for_selector(".js-translation-editor *")  # the React editor has rendered
    footer = page.locator("footer.translation-footer")
    button = footer.get_by_role("button", name="Submit translation for moderation")
    # Arabic strings in the English editor read right-to-left (their full stop at the left end, not the right).
    arabic_line = page.locator(".js-translation-editor li p").filter(has_text=re.compile("[\u0600-\u06ff]{4}")).first
    assert arabic_line.evaluate("(el) => getComputedStyle(el).unicodeBidi") == "plaintext"
    # Visible and clickable: not hidden under another action bar (a trial click, so the demo page is not submitted).
    button.click(trial=True)
    assert footer.get_by_role("button", name="Save draft").is_visible()
    page.goto(f"/admin/translations/submit/{arabic.pk}/")
    assert page.get_by_role("button", name="Submit for moderation").is_visible()
    assert page.get_by_role("button", name="Save draft").is_visible()


@pytest.mark.parametrize("language", LANGUAGES)
def test_pagination_arrows_point_the_reading_way(reader, language):
    listing = CaseStudyIndexPage.objects.get(locale__language_code=language)
    page = reader(375)
    page.goto(listing.url + "?page=2")
    previous = page.locator(".pagination__prev")
    box = previous.bounding_box()
    width = page.evaluate("() => document.documentElement.clientWidth")
    arrow = previous.locator(".pagination__arrow").evaluate("(el) => getComputedStyle(el).transform")
    if language == "ar":
        assert box["x"] + box["width"] / 2 > width / 2  # "previous" sits on the right, where Arabic starts
        assert arrow.startswith("matrix(-1")  # and its arrow points right
    else:
        assert box["x"] + box["width"] / 2 < width / 2
        assert arrow == "none"
