"""The integration layer: the demo site (the real ``load_demo`` command), a real search engine and Chromium.

Search runs on a real engine: SEARCH_ENGINE names it (``elasticsearch7`` by default, ``opensearch2``,
``opensearch3``: the launcher's engines, whose names are the site's SEARCH_BACKEND values). Unless SEARCH_URL names a
running one, the session starts it on 127.0.0.1 with ``tools/search_engine/run.py`` (Java 17, 21+ for OpenSearch 3;
Maven the first time) and stops it at the end. Without Java the run stops with one line that says what is missing.
The tests that depend on the engine carry the ``engine`` marker: CI runs them again on each other engine
(``pytest tests/integration -m engine``). This conftest is only read when a test under ``tests/integration/`` is
collected, so the fast layer never starts the engine.

The browser fixtures (``browser``, ``site_url``, ``tab``, ``reader``, ``signed_in``) are here for every browser test
of the layer. A browser test that fails leaves a full-page screenshot of each page it had open, as it was when the
test failed, in tests/artifacts/ (git-ignored; CI keeps it as an artefact): the evidence of the failure. Passing pages
are not photographed (a full-page shot cost Chromium about as much CPU as loading the page).
"""

import os
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.management import call_command
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connection, connections
from django.test import Client
from django.test.testcases import LiveServerThread
from django_otp import DEVICE_ID_SESSION_KEY
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

from search.backends import search_backends_from_env
from tools.search_engine import run

from . import demo_site

TEST_INDEX_PREFIX = "test_"
DUMMY_TASKS = "django_tasks.backends.dummy.DummyBackend"
# Debian's Chromium headless shell: the same Blink and V8 as its `chromium` without the desktop browser around them.
# The browser tests do what they did on `chromium --headless` for a third less of Chromium's CPU (its browser
# process a fifth, its GPU process a half; measured on test_browser and test_demo_translations).
CHROMIUM = "/usr/bin/chromium-headless-shell"
ACTION_TIMEOUT_MS = 90_000  # see ``tab_context``
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"  # screenshots of failed browser tests
AXE = Path(__file__).resolve().parent.parent / "browser" / "axe.min.js"  # axe-core, for the accessibility checks
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# A browser that prefers reduced motion, as a person can set it: Wagtail's admin then stops its badges' endless
# "ping" animation, which otherwise keeps Chromium repainting at about a sixth of a core on every admin page, for as
# long as a test stays there.
STILL = {"reduced_motion": "reduce"}
engine_key = pytest.StashKey()
redis_key = pytest.StashKey()
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
engine_label_key = pytest.StashKey()


def pytest_configure(config):
    try:
        engine = run.engine_named()  # SEARCH_ENGINE
    except run.EngineError as error:
        raise pytest.UsageError(str(error)) from None
    url = os.environ.get("SEARCH_URL", "").strip()
    if not url:
        # Launched, not waited for: the JVM boots while the session migrates and loads the demo (``build_site``
        # waits for it before indexing).
        try:
            url, handle = run.launch(engine=engine.name)
        except run.EngineError as error:
            raise pytest.UsageError(f"{error} (or set SEARCH_URL to a running engine)") from None
        config.stash[engine_key] = handle
    config.stash[engine_label_key] = f"{engine.label} at {url}"
    environ = {
        "SEARCH_BACKEND": engine.name,
        "SEARCH_URL": url,
        "SEARCH_INDEX_PREFIX": TEST_INDEX_PREFIX,
    }
    settings.WAGTAILSEARCH_BACKENDS = search_backends_from_env(environ)
    settings.SEARCH_ENGINE_URL_FOR_TESTS = url
    settings.SEARCH_ENGINE_FOR_TESTS = engine.name  # the SEARCH_BACKEND value of the engine the session runs on
    settings.SEARCH_INDEX_PREFIX_FOR_TESTS = TEST_INDEX_PREFIX
    # Redis (Debian's redis-server) for the tests of the shared cache, started like the engine unless REDIS_URL
    # names one: an empty, unsaved store on a port of its own, stopped at the end.
    redis_url = os.environ.get("REDIS_URL", "").strip()
    if not redis_url:
        if not os.path.exists(REDIS_SERVER):
            raise pytest.UsageError("redis-server not found: run tools/install_test_deps.sh as root (or set REDIS_URL)")
        port = run.free_port()
        config.stash[redis_key] = subprocess.Popen(  # noqa: S603 - a fixed local command
            [REDIS_SERVER, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        redis_url = f"redis://127.0.0.1:{port}/0"
    settings.REDIS_URL_FOR_TESTS = redis_url
    # PDF editions are queued here, not rendered: a render takes seconds and would run inside the live server's
    # request that published the page. Rendering is the fast layer's subject (tests/test_books.py).
    settings.TASKS = {**settings.TASKS, "books": {**settings.TASKS["books"], "BACKEND": DUMMY_TASKS}}


def pytest_report_header(config):
    return f"search engine: {config.stash.get(engine_label_key, '?')}"


def pytest_unconfigure(config):
    redis = config.stash.get(redis_key, None)
    if redis is not None:
        redis.terminate()
        redis.wait(timeout=30)
    handle = config.stash.get(engine_key, None)
    if handle is not None:
        run.stop(handle)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """A browser test's failure (its call, not its fixtures) is photographed: every page still open in the browser
    (the test's tabs, the module's ``reading_tab``), full page, at the size the test left it."""
    report = yield
    browser = item.funcargs.get("browser") if hasattr(item, "funcargs") else None
    if report.when == "call" and report.failed and browser is not None:
        ARTIFACTS.mkdir(exist_ok=True)
        name = "".join(c if c.isalnum() or c in "-_" else "-" for c in f"{item.path.stem}-{item.name}")
        pages = [page for context in browser.contexts for page in context.pages if page.url != "about:blank"]
        for number, page in enumerate(pages):
            path = ARTIFACTS / f"failed-{name}-{number}.png"
            try:
                page.screenshot(path=str(path), full_page=True, timeout=10_000)
            except PlaywrightError as error:  # a crashed or closing page: the failure itself is still reported
                report.sections.append(("screenshot", f"{path.name}: {error}"))
            else:
                report.sections.append(("screenshot", str(path)))
    return report


@pytest.fixture(scope="session")
def build_site(request):
    def load_demo_and_index(template):
        # The demo and its pictures (demo_site.py) are kept between sessions, as the fast layer's sample site is
        # (db_template.py); the engine is new in each session, so its indexes are built each time.
        template.site(demo_site.build, kind="demo", media=Path(settings.MEDIA_ROOT))
        handle = request.config.stash.get(engine_key, None)
        if handle is not None:
            try:
                run.wait_ready(handle)
            except run.EngineError as error:
                pytest.exit(str(error), returncode=pytest.ExitCode.USAGE_ERROR)
        call_command("update_index", verbosity=0)

    return load_demo_and_index


@pytest.fixture(scope="session")
def browser(site_url):
    # Depends on the server so that it closes first: its keep-alive connections hold request threads (and their
    # database connections) open until the browser goes.
    # Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run beside one unless told.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run tools/install_test_deps.sh as root")
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
    # Requests received and not yet answered: a test's fixtures wait for none to be left (``drain``) before they hand
    # the server another test's database connection. A request the browser sent late (a picture loaded lazily by a
    # full-page screenshot, a preview panel's refresh) was otherwise served on the next test's connection, and one
    # that failed inside it left that test's transaction broken before its first query.
    active = 0
    idle = threading.Condition()

    def __call__(self, environ, start_response):
        with self.idle:
            type(self).active += 1
        try:
            with self.lock:
                # Django binds a request thread to the connections of the moment it started; a browser's keep-alive
                # connection outlives a test, so each request takes the ones of the test now running.
                for alias, conn in SERVER_CONNECTIONS.items():
                    connections[alias] = conn
                return super().__call__(environ, start_response)
        finally:
            with self.idle:
                type(self).active -= 1
                self.idle.notify_all()

    @classmethod
    def drain(cls, timeout=30):
        with cls.idle:
            if not cls.idle.wait_for(lambda: cls.active == 0, timeout):
                pytest.fail(f"the live server still had {cls.active} request(s) after {timeout} s")


class SharedConnectionServer(ThreadedWSGIServer):
    """Django's live server closes every connection after each request. The connections it shares with the test
    belong to the test (``tab`` swaps them between tests): closing them from a request thread fails the sharing
    check once a test has handed its connection back, and the browser is left with a blank page."""

    def _close_connections(self):
        for conn in connections.all(initialized_only=True):
            if not (conn.vendor == "sqlite" and conn.is_in_memory_db()):  # a test's, now or before (``tab``)
                conn.close()


class SharedConnectionLiveServerThread(LiveServerThread):
    server_class = SharedConnectionServer


@pytest.fixture(scope="session")
def site_url(django_db_setup, django_db_blocker):
    """A live server over the session's demo database. Not pytest-django's ``live_server``: that one forces
    ``transactional_db``, which empties the database after each test and so would delete the demo site."""
    shared = SERVER_CONNECTIONS
    shared.update(
        {conn.alias: conn for conn in connections.all() if conn.vendor == "sqlite" and conn.is_in_memory_db()}
    )
    with django_db_blocker.unblock():
        for conn in shared.values():
            conn.inc_thread_sharing()
        server = SharedConnectionLiveServerThread(
            "localhost", SerialStaticFilesHandler, connections_override=shared, port=0
        )
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


@pytest.fixture(scope="session")
def tab_context(browser, site_url):
    """The browser context every ``tab`` opens its pages in. A fresh context per test fetched and compiled Wagtail's
    admin scripts and styles again (1.5 MB, about two seconds of Chromium's CPU and the server's Python for each
    first admin page); in one context they come from its HTTP cache. Nothing else outlives a test: ``tab`` closes its
    pages and clears the site's cookies and storage after each."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=site_url, **STILL)
    # An action waits for the navigation it starts. Approving a case study publishes it in that request (index
    # updates, reference index, purges): a few seconds here, but over Playwright's default 30 s when CI's PostgreSQL
    # run met a load of 10 on two cores. A slow answer is the benchmarks' subject; these tests check what it shows.
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    yield context
    context.close()


# What a test leaves in the site's storage and ``tab`` clears (the HTTP cache stays: static files only, see above).
SITE_STORAGE = "cookies,local_storage,indexeddb,cache_storage,service_workers,file_systems,websql,shared_storage"


@pytest.fixture
def tab(tab_context, site_url, db):
    # Once Playwright runs, the test's code runs in a context of its own, where Django opens a connection of its own
    # (connections are context-local): the server is pointed at that one, so the browser sees what the test wrote in
    # its transaction, and the server's writes do not wait on the test's (SQLite would say "table is locked").
    SerialStaticFilesHandler.drain()
    served = dict(SERVER_CONNECTIONS)
    for alias, conn in served.items():
        if connections[alias] is not conn:
            connections[alias].inc_thread_sharing()
            SERVER_CONNECTIONS[alias] = connections[alias]
    opened = []

    def open_tab(width, language=None):
        """A page of the shared context at ``width`` × 900 px; with ``language``, one whose requests ask for that
        language (Accept-Language), as a browser set to it would: what the admin follows before a user has chosen
        a language, at the login form say. A context of its own for that (``locale``) cost a renderer, and the
        admin's scripts and styles fetched and compiled again."""
        page = tab_context.new_page()
        page.set_viewport_size({"width": width, "height": 900})
        if language is not None:
            page.set_extra_http_headers({"Accept-Language": language})
        opened.append(page)
        return page

    yield open_tab
    if opened:
        # Signed out, nothing kept: the next test's tabs start as a new browser would (the pages a test opened
        # itself, a preview's new tab say, are closed with the rest).
        pages = tab_context.pages or [tab_context.new_page()]
        cdp = tab_context.new_cdp_session(pages[0])
        cdp.send("Storage.clearDataForOrigin", {"origin": site_url, "storageTypes": SITE_STORAGE})
        cdp.detach()
        for page in tab_context.pages:
            page.close()
        tab_context.clear_cookies()
    SerialStaticFilesHandler.drain()
    for alias, conn in served.items():
        if SERVER_CONNECTIONS[alias] is not conn:
            SERVER_CONNECTIONS[alias].dec_thread_sharing()
            SERVER_CONNECTIONS[alias] = conn


@pytest.fixture(scope="module")
def reading_tab(browser, site_url):
    """The one tab a module's reading tests share (``reader``). A new tab is a new browser context: a renderer
    process to start, the site's fonts and styles to fetch and axe-core's half megabyte of script to compile again,
    about a second and a half of CPU each time, more than the page's own load and checks."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=site_url)
    page = context.new_page()
    # An init script comes in through the browser's debugging protocol, so the site's strict CSP stays enforced (a
    # <script> tag added to the page would be refused by it, as it should be).
    page.add_init_script(path=str(AXE))
    yield page
    context.close()


@pytest.fixture
def reader(reading_tab, tab):
    """``reader(width)``: the module's shared tab (``reading_tab``) at ``width`` × 900 px, with axe-core loaded in
    every page it opens (``AXE_SERIOUS`` in test_browser.py runs it) and no cookie an earlier test left. For tests
    that read pages as an anonymous reader and leave nothing behind in the tab (no sign-in, listener, route or init
    script of their own: those open a ``tab``). Each test loads its page afresh with ``goto``; ``tab`` (requested,
    not called) points the live server at the test's database connection."""

    def at(width):
        reading_tab.context.clear_cookies()
        reading_tab.set_viewport_size({"width": width, "height": 900})
        return reading_tab

    yield at
    # The page stops loading what it still had to (``tab``'s teardown, which runs next, waits for the requests the
    # server already has). Stopped where it is, not sent to about:blank: that navigation cost as much of Chromium's
    # CPU as the test's own page (a renderer process started again, axe-core compiled again for a blank page).
    reading_tab.evaluate("() => window.stop()")


@pytest.fixture
def live_database(tab, db):
    """The test's ORM calls go through a connection the live server sees, so what the test sets up is committed
    and the browser finds it, and what the browser saved is read back; the returned list collects clean-ups, run at
    the end even when the test fails (later tests of the session, the search counts say, expect the demo site).

    On SQLite in memory that is the one connection the server uses (``tab`` has just pointed it at the test's own);
    on PostgreSQL the server's request threads open connections of their own, which never see the test's
    transaction: the test gets a connection outside it, in autocommit."""
    shared = SERVER_CONNECTIONS.get("default")
    live = shared or connections.create_connection("default")
    own = connections["default"]
    connections["default"] = live
    cleanups = []
    try:
        yield cleanups
    finally:
        failures = []
        for cleanup in reversed(cleanups):
            try:
                cleanup()
            except Exception as error:  # the other clean-ups still run; the first failure is reported below
                failures.append(error)
        if shared is None:
            live.close()
        connections["default"] = own
        if failures:
            raise failures[0]


@pytest.fixture
def signed_in(site_url, live_database):
    """Gives a tab the session of a signed-in user, as the login form would leave it, without loading the form:
    ``signed_in(page, user)``, and ``device=`` the user's authenticator for a session that has passed two-factor
    authentication. The form itself is walked by the editor's journey (password) and the two-factor journey (password
    and code), in both admin languages; the other journeys start signed in, which spares each of them a page load and
    a form post. The session is made through ``live_database``, so the live server finds it on PostgreSQL too."""

    def sign_in(page, user, device=None):
        client = Client()
        client.force_login(user)
        if device is not None:
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
        key = client.cookies[settings.SESSION_COOKIE_NAME].value
        live_database.append(lambda: Session.objects.filter(session_key=key).delete())
        page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": key, "url": site_url}])

    return sign_in
