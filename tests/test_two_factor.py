"""Two-factor sign-in, enrolment, recovery codes, the account page's two-factor entry and the lockout of the code
step, through HTTP requests of a plain test client (accounts/two_factor.py). The requests carry the headers a browser
sends, so that a page navigation and a script's fetch of the icon sprite can be told apart, as the server does."""

import re
import time
from base64 import b32decode

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_otp.oath import hotp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NAVIGATION = {
    "HTTP_ACCEPT": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "HTTP_SEC_FETCH_MODE": "navigate",
    "HTTP_SEC_FETCH_DEST": "document",
}
FETCH = {"HTTP_ACCEPT": "*/*", "HTTP_SEC_FETCH_MODE": "cors", "HTTP_SEC_FETCH_DEST": "empty"}
WRONG_CODE = "That code is not right or has expired."
DASHBOARD = "/admin/"


def next_code(device):
    """The app's code for the next time step the device accepts: a code is accepted once, so a second sign-in
    within the same 30 seconds needs the following one (the device accepts one step of clock difference)."""
    device.refresh_from_db()
    now = (int(time.time()) - device.t0) // device.step + device.drift
    return f"{hotp(device.bin_key, max(now, device.last_t + 1), digits=device.digits):06d}"


def sign_in(client, user, password=PASSWORD):
    return client.post(reverse("wagtailadmin_login"), {"username": user.username, "password": password}, **NAVIGATION)


def moderator_with_app():
    user = UserFactory(groups=["Moderators"])
    return user, TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)


def enrol(client, user):
    """Sign in and enrol as a new moderator does; returns the device and the recovery codes shown."""
    sign_in(client, user)
    client.get(reverse("two_factor_setup"), **NAVIGATION)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    done = client.post(reverse("two_factor_setup"), {"token": next_code(device)}, **NAVIGATION)
    assert done["Location"] == reverse("two_factor_recovery_codes")
    page = client.get(done["Location"], **NAVIGATION).content.decode()
    return device, re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page)


def test_the_code_leads_to_the_page_asked_for_even_after_asset_requests():
    user, device = moderator_with_app()
    client = Client()
    sign_in(client, user)
    asked = client.get("/admin/pages/?ordering=title", **NAVIGATION)
    assert asked["Location"] == reverse("two_factor_verify")
    verify = client.get(asked["Location"], **NAVIGATION)
    # The page's own scripts fetch the icon sprite and the script translations: they get what they asked for
    # (not the code page, which the sprite loader used to paste into the page as a second form) ...
    sprite = client.get(reverse("wagtailadmin_sprite"), **FETCH)
    assert sprite.status_code == 200 and sprite["Content-Type"].startswith("image/svg+xml")
    assert client.get(reverse("wagtailadmin_javascript_catalog"), **FETCH).status_code == 200
    # ... and another script's request while unverified is sent to the code page without being remembered.
    assert client.get("/admin/pages/search/", **FETCH)["Location"] == reverse("two_factor_verify")
    assert verify.content.decode().count('name="token"') == 1  # the form, once
    done = client.post(reverse("two_factor_verify"), {"token": next_code(device)}, **NAVIGATION)
    assert done["Location"] == "/admin/pages/?ordering=title"
    assert client.get(done["Location"], **NAVIGATION).status_code == 200


def test_without_a_page_asked_for_the_code_leads_to_the_dashboard():
    user, device = moderator_with_app()
    client = Client()
    sign_in(client, user)
    client.get(reverse("wagtailadmin_sprite"), **FETCH)
    client.get("/admin/sprite/", **NAVIGATION)  # even opened by hand, the sprite is no page to return to
    done = client.post(reverse("two_factor_verify"), {"token": next_code(device)}, **NAVIGATION)
    assert done["Location"] == DASHBOARD
    dashboard = client.get(DASHBOARD, **NAVIGATION)
    assert dashboard.status_code == 200 and dashboard["Content-Type"].startswith("text/html")


def test_a_wrong_code_says_so_next_to_the_form():
    user, device = moderator_with_app()
    client = Client()
    sign_in(client, user)
    wrong_code = "000000" if next_code(device) != "000000" else "111111"
    wrong = client.post(reverse("two_factor_verify"), {"token": wrong_code}, **NAVIGATION)
    page = wrong.content.decode()
    assert wrong.status_code == 200
    assert re.search(r'role="alert">\s*<ul>\s*<li class="error">That code is not right', page)
    assert page.count('name="token"') == 1
    malformed = client.post(reverse("two_factor_verify"), {"token": "12345"}, **NAVIGATION).content.decode()
    assert "Enter the six digits your authenticator app shows." in malformed
    assert client.get(DASHBOARD, **NAVIGATION)["Location"] == reverse("two_factor_verify")


def test_enrolment_shows_a_qr_code_the_key_in_groups_and_recovery_codes_once():
    user = UserFactory(groups=["Site administrators"])
    client = Client()
    sign_in(client, user)
    assert client.get(DASHBOARD, **NAVIGATION)["Location"] == reverse("two_factor_setup")
    page = client.get(reverse("two_factor_setup"), **NAVIGATION).content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert re.search(r'<svg role="img" aria-labelledby="two-factor-qr-label"[^>]*class="two-factor-qr"', page)
    assert "<path" in page.split('class="two-factor-qr"')[1].split("</svg>")[0]
    key = re.search(r'<code class="two-factor-secret" dir="ltr">([A-Z2-7 ]+)</code>', page).group(1)
    assert all(len(group) <= 4 for group in key.split()) and b32decode(key.replace(" ", "")) == device.bin_key

    done = client.post(reverse("two_factor_setup"), {"token": next_code(device)}, **NAVIGATION)
    shown = client.get(done["Location"], **NAVIGATION).content.decode()
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", shown)
    assert len(codes) == 10
    assert sorted(codes) == sorted(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    again = client.get(reverse("two_factor_recovery_codes"), **NAVIGATION).content.decode()
    assert not any(code in again for code in codes) and "shown only once" in again
    assert client.get(DASHBOARD, **NAVIGATION).status_code == 200


def test_a_recovery_code_signs_in_once():
    user = UserFactory(groups=["Moderators"])
    client = Client()
    _device, codes = enrol(client, user)
    client.post(reverse("wagtailadmin_logout"))

    sign_in(client, user)
    used = client.post(reverse("two_factor_verify"), {"token": codes[0].upper()[:4] + "-" + codes[0][4:]})
    assert used["Location"] == DASHBOARD and client.get(DASHBOARD, **NAVIGATION).status_code == 200
    client.post(reverse("wagtailadmin_logout"))

    sign_in(client, user)
    again = client.post(reverse("two_factor_verify"), {"token": codes[0]}, **NAVIGATION)
    assert again.status_code == 200 and WRONG_CODE in again.content.decode()
    assert client.get(DASHBOARD, **NAVIGATION)["Location"] == reverse("two_factor_verify")
    assert StaticToken.objects.filter(device__user=user).count() == 9


def test_the_account_page_leads_to_new_recovery_codes_and_to_resetting_the_authenticator():
    user = UserFactory(groups=["Moderators"])
    client = Client()
    device, old_codes = enrol(client, user)
    account = client.get(reverse("wagtailadmin_account"), **NAVIGATION).content.decode()
    assert f'href="{reverse("two_factor_manage")}"' in account and "Manage two-factor authentication" in account
    manage = client.get(reverse("two_factor_manage"), **NAVIGATION).content.decode()
    assert "Two-factor authentication is on" in manage and "Recovery codes left: 10." in manage

    # New recovery codes, confirmed with a current code: the old ones stop working.
    renewed = client.post(reverse("two_factor_manage"), {"action": "recovery_codes", "confirmation": next_code(device)})
    assert renewed["Location"] == reverse("two_factor_recovery_codes")
    new_codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", client.get(renewed["Location"]).content.decode())
    assert len(new_codes) == 10 and not set(new_codes) & set(old_codes)

    # Removing the authenticator needs the password (or a code); a wrong one is refused with a message.
    refused = client.post(reverse("two_factor_manage"), {"action": "reset", "confirmation": "not-my-password"})
    assert refused.status_code == 200 and "neither your password nor a current code" in refused.content.decode()
    assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    reset = client.post(reverse("two_factor_manage"), {"action": "reset", "confirmation": PASSWORD})
    assert reset["Location"] == reverse("two_factor_setup")
    assert not TOTPDevice.objects.filter(user=user).exists() and not StaticToken.objects.filter(device__user=user)
    # The session no longer counts as verified: the moderator enrols the new phone before going on.
    assert client.get(DASHBOARD, **NAVIGATION)["Location"] == reverse("two_factor_setup")
    enrolled_again = client.get(reverse("two_factor_setup"), **NAVIGATION)
    assert "two-factor-qr" in enrolled_again.content.decode()


def test_an_editor_may_enrol_and_is_then_asked_for_the_code():
    user = UserFactory(groups=["Editors"])
    client = Client()
    sign_in(client, user)
    assert client.get(DASHBOARD, **NAVIGATION).status_code == 200  # not required
    assert "Two-factor authentication is off" in client.get(reverse("two_factor_manage")).content.decode()
    client.get(reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(user=user)
    client.post(reverse("two_factor_setup"), {"token": next_code(device)})
    client.post(reverse("wagtailadmin_logout"))
    sign_in(client, user)
    assert client.get(DASHBOARD, **NAVIGATION)["Location"] == reverse("two_factor_verify")


def test_guessing_codes_locks_the_account_out_like_wrong_passwords():
    user, device = moderator_with_app()
    client = Client()
    sign_in(client, user)
    wrong_code = "000000" if next_code(device) != "000000" else "111111"
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post(reverse("two_factor_verify"), {"token": wrong_code}).status_code == 200
    locked = client.post(reverse("two_factor_verify"), {"token": wrong_code}, **NAVIGATION)
    assert locked.status_code == 429
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    assert "Sign-in locked" in locked.content.decode() and f"Try again in {minutes} minutes." in locked.content.decode()
    assert "_auth_user_id" not in client.session  # signed out
    # The password alone no longer opens a session, so the guessing cannot go on.
    assert sign_in(client, user).status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_password_step_is_still_locked_after_repeated_failures():
    user = UserFactory(groups=["Moderators"])
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, user, "wrong-password")
    locked = sign_in(client, user)
    assert locked.status_code == 429 and "Sign-in locked" in locked.content.decode()
    assert "_auth_user_id" not in client.session
