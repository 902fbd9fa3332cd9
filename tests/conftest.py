"""Shared fixtures. The sample site is built once per test session (with the real ``load_demo`` command);
each test then runs in a transaction that is rolled back, so tests see the demo content and never each other.

Search runs on a real engine: unless SEARCH_URL names one, the session starts Elasticsearch on 127.0.0.1 with
``tools/search_engine/run.py`` (Java 17; Maven the first time) and stops it at the end. Without Java the run stops
with one line that says what is missing.
"""

import os
import threading

import pytest
from django.core.management import call_command
from django.test import Client

TEST_INDEX_PREFIX = "test_"


def pytest_configure(config):
    from django.conf import settings

    from search.backends import search_backends_from_env

    url = os.environ.get("SEARCH_URL", "").strip()
    if not url:
        from tools.search_engine import run

        try:
            url, handle = run.start()
        except run.EngineError as error:
            raise pytest.UsageError(f"{error} (or set SEARCH_URL to a running engine)") from None
        config.stash[engine_key] = handle
    environ = {
        "SEARCH_BACKEND": os.environ.get("SEARCH_BACKEND", "elasticsearch7"),
        "SEARCH_URL": url,
        "SEARCH_INDEX_PREFIX": TEST_INDEX_PREFIX,
    }
    settings.WAGTAILSEARCH_BACKENDS = search_backends_from_env(environ)
    settings.SEARCH_ENGINE_URL_FOR_TESTS = url


def pytest_unconfigure(config):
    handle = config.stash.get(engine_key, None)
    if handle is not None:
        from tools.search_engine import run

        run.stop(handle)


engine_key = pytest.StashKey()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
        call_command("update_index", verbosity=0)


@pytest.fixture
def users(db):
    from django.contrib.auth import get_user_model

    User = get_user_model()
    return {name: User.objects.get(username=name) for name in ["admin", "editor", "moderator", "translator"]}


class VerifiedClient(Client):
    """The test client, with sessions that have passed two-factor authentication.

    Moderators and administrators must verify a TOTP code before using the admin (accounts/two_factor.py);
    ``force_login`` here enrols the user's authenticator and marks the session verified, as a real login
    followed by the code would. Tests of the two-factor step itself use a plain ``django.test.Client``."""

    def force_login(self, user, backend=None):
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        super().force_login(user, backend)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="Test authenticator", confirmed=True)
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()


@pytest.fixture
def client():
    return VerifiedClient()


@pytest.fixture
def admin_client(db, admin_user):
    """pytest-django's superuser client, with a session that has passed two-factor authentication."""
    verified = VerifiedClient()
    verified.force_login(admin_user)
    return verified


# The browser and the live server, shared by every browser test module (Playwright's sync API runs one per process:
# a module that imported these fixtures would start a second browser and fail).
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


@pytest.fixture(scope="session")
def site_url(django_db_setup, django_db_blocker):
    """A live server over the session's demo database. Not pytest-django's ``live_server``: that one forces
    ``transactional_db``, which empties the database after each test and so would delete the demo site."""
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.db import connection, connections
    from django.test.testcases import LiveServerThread

    shared = {conn.alias: conn for conn in connections.all() if conn.vendor == "sqlite" and conn.is_in_memory_db()}
    with django_db_blocker.unblock():
        for conn in shared.values():
            conn.inc_thread_sharing()
        server = LiveServerThread("localhost", StaticFilesHandler, connections_override=shared, port=0)
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
