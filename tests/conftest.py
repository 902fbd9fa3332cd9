"""Fixtures shared by both layers of the suite.

- The **fast layer** (``tests/*.py``) starts from a small site built with the apps' factories
  (``tests/sample_site.py``) and searches with Wagtail's database backend: no Java, no demo content.
- The **integration layer** (``tests/integration/``) runs on the demo site (the real ``load_demo`` command) with a
  real search engine and Chromium; its own conftest loads the demo and starts the engine, and only when its tests
  are collected.

Each layer runs in its own pytest session (``make test`` runs both): one test database cannot be both sites. The
site is built once per session (per xdist worker); each test then runs in a transaction that is rolled back.
"""

import contextlib
import functools
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import transaction
from django.template import Template as DjangoTemplate
from django.test import Client
from django.test.utils import _TestState, instrumented_test_render

from books.publishing import deferred

from . import sample_site
from .db_template import Template

INTEGRATION = Path(__file__).resolve().parent / "integration"


def is_integration(item):
    return INTEGRATION in Path(item.fspath).resolve().parents


def pytest_collection_modifyitems(config, items):
    layers = {is_integration(item) for item in items}
    if len(layers) > 1:
        raise pytest.UsageError(
            "the two test layers run in separate sessions (make test runs both): "
            "pytest tests --ignore=tests/integration, then pytest tests/integration"
        )


@pytest.fixture(scope="session")
def build_site():
    """What fills the session's test database: the factory-built sample site (the integration layer overrides it
    with the demo site)."""
    return sample_site.build


migrated = Template()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    migrated.prepare()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, build_site):
    with django_db_blocker.unblock():
        migrated.finish()
        # No PDF editions for the session's site: tests that need one publish it themselves (renders take seconds).
        with deferred(enqueue=False):
            if build_site is sample_site.build:
                migrated.site(build_site)  # a copy of the database is the whole sample site
            else:
                build_site(migrated)  # the demo site, kept like the sample site, then the engine's indexes


@contextlib.contextmanager
def transaction_rolled_back(django_db_blocker):
    atomic = transaction.atomic()
    with django_db_blocker.unblock():
        atomic.__enter__()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def module_transaction(django_db_setup, django_db_blocker):
    """A transaction around a whole test module, rolled back after its last test, for rows that several tests read
    and that cost seconds to build (Django's ``setUpTestData``): the module's data fixture builds them once inside
    it, each test's own transaction nests in it as a savepoint, so what a test writes is still undone after it.
    Hand each test a copy of the built objects (``copy.deepcopy``), not the objects themselves: a test that changes
    one in memory would change it for the next test."""
    with transaction_rolled_back(django_db_blocker):
        yield


@pytest.fixture(scope="session")
def rolled_back(django_db_setup, django_db_blocker):
    """``module_transaction`` as a context manager, for a data fixture of another scope: a class-scoped one with
    parameters, say, whose rows for one value must be gone before it builds the next (pytest runs the class's tests
    grouped by the value, so each is built once for all of them)."""
    return functools.partial(transaction_rolled_back, django_db_blocker)


@pytest.fixture(scope="session", autouse=True)
def uninstrumented_templates(django_test_environment):
    """Templates render as in production: Django's test set-up makes every render send a signal on which the test
    client copies the context, for ``response.context``; an editor's page renders over a thousand templates, and the
    copies cost about 5% of an admin-heavy module's CPU. The few tests that read ``response.context`` ask for
    ``template_contexts``."""
    DjangoTemplate._render = _TestState.saved_data.template_render


@pytest.fixture
def template_contexts(uninstrumented_templates):
    """``response.context`` (and ``response.templates``) for this test's requests: Django's instrumented render."""
    DjangoTemplate._render = instrumented_test_render
    yield
    DjangoTemplate._render = _TestState.saved_data.template_render


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test's database changes are rolled back; what the cache derived from them (Wagtail's site root paths
    after a test added a site, rate-limit counters) goes with them, so no test sees another's."""
    yield
    cache.clear()


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
