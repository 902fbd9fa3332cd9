"""The public site in a real browser (Debian's Chromium driven by Playwright), in English and Arabic, on a phone
(375 px) and a desktop (1280 px): direction, no horizontal overflow, navigation on the reading side, the language
switcher landing on the same page, and no serious or critical accessibility violations (axe-core).

One screenshot per page × language × width is kept in tests/artifacts/ (git-ignored; CI keeps it as an artefact).
A live server thread reads the session's demo database; these tests only read, so the ordinary ``db`` fixture
is enough (the demo content is committed before the session starts).
"""

import os
import re
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.db import connection, connections
from django.urls import reverse
from django.utils import translation
from wagtail.models import Locale

from handbook.models import CaseStudyIndexPage, CaseStudyPage, ChapterPage, HandbookPage
from home.models import HomePage
from news.models import NewsIndexPage, NewsPage

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
AXE = Path(__file__).resolve().parent / "browser" / "axe.min.js"
PAGES = ["home", "handbook", "chapter", "case-study", "listing", "search", "news"]
LANGUAGES = ["en", "ar"]
WIDTHS = [375, 1280]

pytestmark = pytest.mark.django_db


def page_paths(language):
    """Path (with query) of each page under test, in ``language``."""
    locale = Locale.objects.get(language_code=language)

    def url(model):
        return model.objects.filter(locale=locale).live().order_by("path").first().url

    with translation.override(language):
        search = reverse("search")
    return {
        "home": url(HomePage),
        "handbook": url(HandbookPage),
        "chapter": url(ChapterPage),
        "case-study": url(CaseStudyPage),
        "listing": url(CaseStudyIndexPage) + "?pillar=II&region=africa",
        "search": search + ("?q=المجتمعات" if language == "ar" else "?q=community"),
        "news": url(NewsIndexPage),
    }


@pytest.fixture(scope="session")
def browser(site_url):
    # Depends on the server so that it closes first: its keep-alive connections hold request threads (and their
    # database connections) open until the browser goes.
    # Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run beside one unless told.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's package (apt-get install -y chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


# The database connections the live server's request threads use, by alias (read at each request, see ``tab``).
SERVER_CONNECTIONS = {}


class SerialStaticFilesHandler(StaticFilesHandler):
    """One request at a time. The server's request threads share the test's database connection (SQLite in memory);
    two requests using it at once (a page and its favicon, say) fail with "database table is locked" as soon as a
    browser test writes (signs in, saves a page)."""

    lock = threading.Lock()

    def __call__(self, environ, start_response):
        with self.lock:
            return super().__call__(environ, start_response)


@pytest.fixture(scope="session")
def site_url(django_db_setup, django_db_blocker):
    """A live server over the session's demo database. Not pytest-django's ``live_server``: that one forces
    ``transactional_db``, which empties the database after each test and so would delete the demo site."""
    from django.test.testcases import LiveServerThread

    shared = SERVER_CONNECTIONS
    shared.update(
        {conn.alias: conn for conn in connections.all() if conn.vendor == "sqlite" and conn.is_in_memory_db()}
    )
    with django_db_blocker.unblock():
        for conn in shared.values():
            conn.inc_thread_sharing()
        server = LiveServerThread("localhost", SerialStaticFilesHandler, connections_override=shared, port=0)
        server.daemon = True
        server.start()
        server.is_ready.wait()
        if server.error:
            raise server.error
        yield f"http://localhost:{server.port}"
        server.terminate()
        # A request thread whose socket the browser already closed can end without closing its database
        # connection; on PostgreSQL that session would stop the test database from being dropped.
        for thread in threading.enumerate():
            if thread.name.endswith("(process_request_thread)"):
                thread.join(timeout=5)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
        for conn in shared.values():
            conn.dec_thread_sharing()


@pytest.fixture
def tab(browser, site_url, db):
    # Once Playwright runs, the test's code runs in a context of its own, where Django opens a connection of its own
    # (connections are context-local): the server is pointed at that one, so the browser sees what the test wrote in
    # its transaction, and the server's writes do not wait on the test's (SQLite would say "table is locked").
    served = dict(SERVER_CONNECTIONS)
    for alias, conn in served.items():
        if connections[alias] is not conn:
            connections[alias].inc_thread_sharing()
            SERVER_CONNECTIONS[alias] = connections[alias]

    def open_tab(width):
        context = browser.new_context(viewport={"width": width, "height": 900}, base_url=site_url)
        return context.new_page()

    opened = []

    def factory(width):
        page = open_tab(width)
        opened.append(page)
        return page

    yield factory
    for page in opened:
        page.context.close()
    for alias, conn in served.items():
        if SERVER_CONNECTIONS[alias] is not conn:
            SERVER_CONNECTIONS[alias].dec_thread_sharing()
            SERVER_CONNECTIONS[alias] = conn


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


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", PAGES)
def test_page_in_the_browser(tab, name, language, width):
    path = page_paths(language)[name]
    page = tab(width)
    response = page.goto(path)
    assert response.status == 200, path
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}-{language}-{width}.png"), full_page=True)

    html = page.locator("html")
    assert html.get_attribute("lang") == language
    assert html.get_attribute("dir") == ("rtl" if language == "ar" else "ltr")

    overflow = page.evaluate(NO_OVERFLOW)
    assert overflow["scroll"] <= overflow["width"], overflow
    assert not overflow["wide"], overflow

    # The search field keeps the page's direction (placeholder aligned) and lets typed text find its own.
    search = page.locator("#site-search").evaluate(
        "(el) => ({direction: getComputedStyle(el).direction, bidi: getComputedStyle(el).unicodeBidi})"
    )
    assert search == {"direction": "rtl" if language == "ar" else "ltr", "bidi": "plaintext"}

    nav = page.evaluate(FIRST_NAV_ITEM)
    if language == "ar":
        assert nav["width"] - nav["right"] < nav["width"] / 4, nav  # starts on the right
    else:
        assert nav["left"] < nav["width"] / 4, nav  # starts on the left


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", PAGES)
def test_language_switcher_lands_on_the_same_page(tab, name, language):
    other = "en" if language == "ar" else "ar"
    page = tab(1280)
    page.goto(page_paths(language)[name])
    page.locator(f'.language-switcher a[hreflang="{other}"]').click()
    page.wait_for_load_state()
    landed = urlsplit(page.url)
    expected = urlsplit(page_paths(other)[name])
    assert landed.path == expected.path
    if name == "search":
        assert (
            unquote(landed.query) == urlsplit(page_paths(language)[name]).query
        )  # the reader's query survives the switch
    assert page.locator("html").get_attribute("lang") == other


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", PAGES)
def test_no_serious_accessibility_violations(tab, name, language):
    page = tab(1280)
    # An init script comes in through the browser's debugging protocol, so the site's strict CSP stays enforced
    # (a <script> tag added to the page would be refused by it, as it should be).
    page.add_init_script(path=str(AXE))
    page.goto(page_paths(language)[name])
    violations = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".filter((v) => ['serious', 'critical'].includes(v.impact))"
        ".map((v) => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' '))}))"
    )
    assert violations == [], violations


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


def log_in(page, username):
    from demo.loader import DEMO_PASSWORD

    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")


def test_arabic_typed_into_an_english_admin_reads_right_to_left(tab):
    page = tab(1280)
    log_in(page, "editor")
    news = NewsIndexPage.objects.get(locale__language_code="en")
    page.goto(f"/admin/pages/add/news/newspage/{news.pk}/")
    assert page.locator("html").get_attribute("dir") == "ltr"
    title = page.locator("#id_title")
    title.fill("ورشة عمل إقليمية")
    style = title.evaluate("(el) => ({bidi: getComputedStyle(el).unicodeBidi, align: getComputedStyle(el).textAlign})")
    assert style == {"bidi": "plaintext", "align": "start"}
    ARTIFACTS.mkdir(exist_ok=True)
    title.screenshot(path=str(ARTIFACTS / "admin-en-arabic-title-1280.png"))


def test_translator_reaches_the_workflow_from_the_translation_editor(tab):
    """wagtail-localize's editor has no "Submit for moderation" (its issue 676): ours sits under the editor.
    Only navigates (the submission itself is tested over HTTP in test_translators.py)."""
    arabic = NewsPage.objects.filter(locale__language_code="ar").first()
    page = tab(1280)
    log_in(page, "translator")
    page.goto(f"/admin/pages/{arabic.pk}/edit/")
    page.wait_for_selector(".js-translation-editor *")  # the React editor has rendered
    button = page.get_by_role("link", name="Submit translation for moderation")
    button.scroll_into_view_if_needed()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "admin-translation-editor-ar-1280.png"), full_page=True)
    # Arabic strings in the English editor read right-to-left (their full stop at the left end, not the right).
    arabic_line = page.locator(".js-translation-editor li p").filter(has_text=re.compile("[\u0600-\u06ff]{4}")).first
    assert arabic_line.evaluate("(el) => getComputedStyle(el).unicodeBidi") == "plaintext"
    # Visible and clickable: not hidden under the editor's fixed action bar.
    button.click(trial=True)
    button.click()
    page.wait_for_url(f"**/admin/translations/submit/{arabic.pk}/")
    assert page.get_by_role("button", name="Submit for moderation").is_visible()
    assert page.get_by_role("button", name="Save draft").is_visible()


@pytest.mark.parametrize("language", LANGUAGES)
def test_pagination_arrows_point_the_reading_way(tab, language):
    listing = CaseStudyIndexPage.objects.get(locale__language_code=language)
    page = tab(375)
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
