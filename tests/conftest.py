"""Shared fixtures. The sample site is built once per test session (with the real ``load_demo`` command);
each test then runs in a transaction that is rolled back, so tests see the demo content and never each other.

Search runs on a real engine: unless SEARCH_URL names one, the session starts Elasticsearch on 127.0.0.1 with
``tools/search_engine/run.py`` (Java 17; Maven the first time) and stops it at the end. Without Java the run stops
with one line that says what is missing.
"""

import os

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
