"""A moderator's two-factor journey in Chromium, with the admin in English and in Arabic (the user's preferred
language): sign in with the password, enrol an authenticator (the key read from the page, the code computed from
it as an app would), save the recovery codes, land on the dashboard; sign out, sign in again with a code (after
one wrong code, which must say so) and land on the dashboard again. On a phone-sized screen (375 px), where the
key must not overflow.

The browser and live-server fixtures are the integration layer's (tests/integration/conftest.py).
"""

import re
import time
from base64 import b32decode

import pytest
from django.contrib.auth.models import Group
from django_otp.oath import hotp
from wagtail.users.models import UserProfile

from accounts.factories import PASSWORD, UserFactory

from .test_browser import LANGUAGES

STEP = 30
WIDTH = 375
FITS = """() => {
    const card = document.querySelector('main').getBoundingClientRect();
    const inside = (selector) => {
        const box = document.querySelector(selector).getBoundingClientRect();
        return box.width > 0 && box.left >= card.left && box.right <= card.right;
    };
    return inside('.two-factor-secret') && inside('svg.two-factor-qr')
        && document.documentElement.scrollWidth <= document.documentElement.clientWidth;
}"""
# The error sits above the field, as wide as it, in both directions.
ERROR_ALIGNED = """() => {
    const error = document.querySelector('[role=alert] .error').getBoundingClientRect();
    const field = document.querySelector('input[name=token]').getBoundingClientRect();
    return Math.abs(error.left - field.left) < 2 && Math.abs(error.right - field.right) < 2;
}"""
# What the icon sprite loader put in the page: it must be icons, not a copy of the page (the old double form).
SPRITE = "() => document.querySelector('[data-sprite]').innerHTML.slice(0, 200)"


def time_step():
    return int(time.time()) // STEP


def code_from_key(key, counter=None):
    """The six digits an authenticator app shows for ``key`` (as printed on the page, in groups): now, or at the
    time step ``counter``."""
    return f"{hotp(b32decode(key.replace(' ', '')), time_step() if counter is None else counter):06d}"


def code_after(key, enrolled):
    """The code of a sign-in after the enrolment at time step ``enrolled``: the current one, or the next step's while
    the enrolment's step lasts (a step's code is taken once). Not always the next step's: an enrolment whose request
    crossed into a new step leaves the device one step behind the clock (django-otp's drift), and it would refuse a
    code two steps ahead of its own."""
    return code_from_key(key, max(time_step(), enrolled + 1))


pytestmark = pytest.mark.django_db  # the session's database; the moderators themselves are committed (below)


@pytest.fixture(scope="module")
def moderators(django_db_setup, django_db_blocker):
    """One moderator per admin language, committed before any test transaction starts (a module fixture is set
    up first), so the live server sees them on PostgreSQL too; removed with their devices afterwards."""
    users = {}
    with django_db_blocker.unblock():
        for language in LANGUAGES:
            user = UserFactory(username=f"journey-moderator-{language}", first_name="Karim")
            user.groups.add(Group.objects.get(name="Moderators"))
            profile = UserProfile.get_for_user(user)
            profile.preferred_language = language
            profile.save()
            users[language] = user
    yield users
    with django_db_blocker.unblock():
        for user in users.values():
            user.delete()


def sign_in(page, user):
    page.goto("/admin/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.login-form button[type=submit]")
    page.wait_for_load_state()


def enter_code(page, code):
    assert page.locator("input[name=token]").count() == 1  # the form, once
    page.fill("input[name=token]", code)
    page.click("form.login-form button[type=submit]")
    page.wait_for_load_state()


def assert_admin_page(page, language, path):
    assert page.url.endswith(path), page.url
    html = page.locator("html")
    assert html.get_attribute("lang") == language
    assert html.get_attribute("dir") == ("rtl" if language == "ar" else "ltr")


@pytest.mark.parametrize("language", LANGUAGES)
def test_moderator_enrols_and_signs_in_with_a_code(tab, moderators, language):
    user = moderators[language]
    page = tab(WIDTH, language="ar" if language == "ar" else "en-GB")
    sign_in(page, user)
    assert_admin_page(page, language, "/admin/two-factor/setup/")
    assert page.locator("svg.two-factor-qr path").count() >= 1 and page.locator("svg.two-factor-qr").is_visible()
    assert page.evaluate(FITS)  # the key and the QR code stay inside the card
    key = page.locator(".two-factor-secret").inner_text()
    enrolled = time_step()
    enter_code(page, code_from_key(key, enrolled))

    assert_admin_page(page, language, "/admin/two-factor/recovery-codes/")
    codes = page.locator(".two-factor-recovery-codes li").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z2-7]{8}", code) for code in codes)
    page.locator("a.button[href='/admin/']").click()
    page.wait_for_load_state()
    assert_admin_page(page, language, "/admin/")
    assert page.locator("#wagtail-sidebar, [data-wagtail-sidebar], .sidebar").count() >= 1
    assert "<svg" in page.evaluate(SPRITE) and "<form" not in page.evaluate(SPRITE)
    # The account page has the two-factor entry, in the user's language.
    page.goto("/admin/account/")
    assert_admin_page(page, language, "/admin/account/")
    entry = page.locator(".w-account-settings-panel a[href='/admin/two-factor/']")
    assert entry.count() == 1 and entry.inner_text().strip()

    # Sign out from the sidebar's account menu (the account page has the sidebar too; at desktop width, where the
    # sidebar is open) ...
    page.set_viewport_size({"width": 1280, "height": 900})
    page.click(".sidebar-footer__account")
    page.click("form[action='/admin/logout/'] button")
    page.wait_for_url("**/admin/login/**")
    page.set_viewport_size({"width": WIDTH, "height": 900})
    # ... then in again with the password and, after a wrong one, the next code.
    sign_in(page, user)
    assert_admin_page(page, language, "/admin/two-factor/verify/")
    page.wait_for_function("() => document.querySelector('[data-sprite]').innerHTML.length > 0")
    assert "<form" not in page.evaluate(SPRITE)
    wrong = "000000" if code_after(key, enrolled) != "000000" else "111111"
    enter_code(page, wrong)
    error = page.locator("[role=alert] .error")
    assert error.is_visible() and error.inner_text().strip() and page.evaluate(ERROR_ALIGNED)
    if language == "en":
        assert "That code is not right" in error.inner_text()
    time.sleep(1.1)  # django-otp makes the next try wait a second after a wrong code
    enter_code(page, code_after(key, enrolled))
    assert_admin_page(page, language, "/admin/")
    assert page.locator("[role=alert] .error").count() == 0
