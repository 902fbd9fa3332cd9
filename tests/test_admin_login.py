"""Admin sign-in: rate limiting of failed logins, password rules, session lifetime, two-factor authentication
for moderators and administrators, and the public search's rate limit."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from .sample_site import PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client, username, password=PASSWORD, **extra):
    return client.post(reverse("wagtailadmin_login"), {"username": username, "password": password}, **extra)


def current_code(device):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def test_repeated_failed_logins_lock_the_account_out_for_a_while():
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = sign_in(client, "editor", "wrong-password")
        assert response.status_code == 200  # the login form again, with an error
        assert "Your username and password didn" in response.content.decode()
    assert sign_in(client, "editor", "wrong-password").status_code == 429  # the last allowed failure locks
    locked = sign_in(client, "editor")  # even the right password is refused now
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    # Another address cannot use the locked user name either.
    other = sign_in(Client(REMOTE_ADDR="10.0.0.9"), "editor")
    assert other.status_code == 429


def test_a_successful_login_resets_the_failure_count():
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "translator", "wrong-password")
    assert sign_in(client, "translator").status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "translator", "wrong-password")
    assert sign_in(client, "translator").status_code == 302


def test_weak_passwords_are_refused_when_an_administrator_creates_an_account(client, users):
    client.force_login(users["admin"])
    response = client.post(
        reverse("wagtailusers_users:add"),
        {
            "username": "newcomer",
            "email": "newcomer@example.org",
            "first_name": "New",
            "last_name": "Comer",
            "password1": "short1",
            "password2": "short1",
        },
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "This password is too short. It must contain at least 12 characters." in text
    assert not get_user_model().objects.filter(username="newcomer").exists()


def test_admin_sessions_expire_after_a_working_day():
    client = Client()
    sign_in(client, "editor")
    assert client.session.get_expiry_age() == 8 * 60 * 60


@pytest.mark.parametrize("username", ["moderator", "admin", "webmaster"])
def test_moderators_and_administrators_must_enrol_a_second_factor(username):
    client = Client()
    response = sign_in(client, username)
    assert response.status_code == 302
    dashboard = client.get(reverse("wagtailadmin_home"))
    assert dashboard.status_code == 302 and dashboard["Location"].startswith(reverse("two_factor_setup"))
    # Nothing in the admin is reachable before the second factor, including its side doors.
    for url in [reverse("wagtailadmin_explore_root"), reverse("wagtailusers_users:index"), "/admin/pages/3/edit/"]:
        assert client.get(url)["Location"].startswith("/admin/two-factor/")

    setup = client.get(dashboard["Location"])
    assert setup.status_code == 200
    assert "Set up two-factor authentication" in setup.content.decode()
    device = TOTPDevice.objects.get(user__username=username, confirmed=False)

    wrong = client.post(reverse("two_factor_setup"), {"token": "000000"})
    assert "That code is not right" in wrong.content.decode() or current_code(device) == "000000"
    device.refresh_from_db()
    device.throttling_failure_count = 0  # the throttle is django-otp's; skip its delay for the next step
    device.save()
    done = client.post(reverse("two_factor_setup"), {"token": current_code(device)})
    assert done.status_code == 302 and done["Location"] == reverse("two_factor_recovery_codes")
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    device.refresh_from_db()
    assert device.confirmed


def test_an_enrolled_moderator_signs_in_with_password_and_code():
    user = get_user_model().objects.get(username="moderator")
    device = TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
    client = Client()
    sign_in(client, "moderator")
    response = client.get(reverse("wagtailadmin_home"))
    assert response["Location"].startswith(reverse("two_factor_verify"))
    assert client.post(reverse("two_factor_verify"), {"token": "12345"}).status_code == 200  # malformed: form error
    assert client.get(reverse("wagtailadmin_home")).status_code == 302
    client.post(reverse("two_factor_verify"), {"token": current_code(device)})
    assert client.get(reverse("wagtailadmin_home")).status_code == 200


def test_editors_are_not_asked_for_a_second_factor():
    client = Client()
    sign_in(client, "editor")
    assert client.get(reverse("wagtailadmin_home")).status_code == 200


def test_the_second_factor_page_only_redirects_inside_the_admin():
    user = get_user_model().objects.get(username="moderator")
    device = TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
    client = Client()
    sign_in(client, "moderator")
    response = client.post(
        reverse("two_factor_verify"), {"token": current_code(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("wagtailadmin_home")


def test_public_search_is_rate_limited_per_address():
    client = Client(REMOTE_ADDR="192.0.2.10")
    with override_settings(SEARCH_RATE_LIMIT=5):
        statuses = [client.get("/en/search/", {"q": "dialogue"}).status_code for _ in range(7)]
        assert statuses[:5] == [200] * 5
        assert statuses[5:] == [429, 429]
        refused = client.get("/ar/search/", {"q": "x"})
        # The refusal speaks the reader's language.
        assert "عدد كبير جداً من عمليات البحث" in refused.content.decode() and int(refused["Retry-After"]) <= 60
        # Another reader is not held up, and the rest of the site stays open.
        assert Client(REMOTE_ADDR="192.0.2.11").get("/en/search/", {"q": "dialogue"}).status_code == 200
        assert client.get("/en/").status_code == 200


def test_search_queries_are_capped_in_length(client):
    response = client.get("/en/search/", {"q": "a" * 5000})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Your search was shortened to its first 200 characters." in body
    assert 'value="' + "a" * 200 + '"' in body
