"""Shared fixtures. The sample site is built once per test session (with the real ``load_demo`` command);
each test then runs in a transaction that is rolled back, so tests see the demo content and never each other."""

import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.fixture
def users(db):
    from django.contrib.auth import get_user_model

    User = get_user_model()
    return {name: User.objects.get(username=name) for name in ["admin", "editor", "moderator", "translator"]}
