"""Two-factor authentication (TOTP and recovery codes, django-otp) for the admin.

After the password, a user who must use a second factor is sent to enrol an authenticator app (first time) or to
enter its six-digit code; until then every other admin page redirects there. Moderators, site administrators and
superusers must; anyone else who enrolled from their account page is asked too. Enrolment shows a QR code and the
key, then ten recovery codes, once; each recovery code signs in once instead of a code from the app.

Wrong codes count as failed sign-ins for django-axes, so the password step's lockout (AXES_FAILURE_LIMIT failures
for a user name or an address, for AXES_COOLOFF_TIME) also ends a guessing run at the code step: the session is
signed out and the lockout page shown. django-otp adds growing delays per device on top.
"""

import re
from base64 import b32encode
from functools import cached_property

import segno
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from axes.utils import reset as reset_axes_attempts
from django import forms
from django.contrib.auth import authenticate, logout, user_login_failed
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.admin.auth import require_admin_access

from core.paths import ADMIN_PATH, ADMIN_PREFIX

from .roles import TWO_FACTOR_GROUPS

RECOVERY_CODE_COUNT = 10
# Set only by page navigations (see is_page_navigation), read once after the code.
NEXT_SESSION_KEY = "two_factor_next"
# Recovery codes waiting to be shown, once, on the next page.
CODES_SESSION_KEY = "two_factor_recovery_codes"

WRONG_CODE = _("That code is not right or has expired. Check the time on your phone, wait for the next code and retry.")
TOO_FAST = _("Too many attempts in a row. Wait a few seconds, then enter the code your app shows now.")
WRONG_CONFIRMATION = _("That is neither your password nor a current code from your authenticator app.")

SIX_DIGITS = re.compile(r"^\d{6}$")
RECOVERY_CODE = re.compile(r"^[a-z2-7]{8}$")


def requires_two_factor(user):
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.groups.filter(name__in=TWO_FACTOR_GROUPS).exists():
        return True
    return authenticator_of(user) is not None


def authenticator_of(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def is_page_navigation(request):
    """Whether the browser is loading a page for the user to see, rather than fetching an icon sprite, a script or
    data for a page already open: only such a page is worth returning to after the code."""
    if request.method != "GET" or request.headers.get("x-requested-with") == "XMLHttpRequest":
        return False
    mode = request.headers.get("sec-fetch-mode")
    if mode is not None:  # every current browser sends the fetch metadata headers
        return mode == "navigate" and request.headers.get("sec-fetch-dest", "document") == "document"
    return "text/html" in request.headers.get("accept", "")


def _next_url(request):
    """The admin page the user was going to when the second factor was asked for, else the dashboard."""
    target = request.session.pop(NEXT_SESSION_KEY, "")
    inside_admin = target.startswith(ADMIN_PREFIX) and not target.startswith(exempt_prefixes())
    if inside_admin and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("wagtailadmin_home")


class TokenForm(forms.Form):
    """A six-digit code from the app, or a recovery code; spaces and hyphens are ignored."""

    token = forms.CharField(
        label=_("Code from your authenticator app, or a recovery code"),
        max_length=24,
        error_messages={"required": _("Enter the six digits your authenticator app shows.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false", "dir": "ltr"}
        ),
    )

    def __init__(self, *args, recovery_codes_accepted=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.recovery_codes_accepted = recovery_codes_accepted
        if not recovery_codes_accepted:
            self.fields["token"].label = _("Six-digit code from your authenticator app")
            self.fields["token"].widget.attrs["inputmode"] = "numeric"

    def clean_token(self):
        token = re.sub(r"[\s-]", "", self.cleaned_data["token"]).lower()
        if SIX_DIGITS.match(token) or (self.recovery_codes_accepted and RECOVERY_CODE.match(token)):
            return token
        raise forms.ValidationError(_("Enter the six digits your authenticator app shows."))


def verify_for_user(user, token):
    """The device that accepts ``token`` (the app's code, or a recovery code, which is then used up), or None.
    Second value: whether a device refused to check because of django-otp's delay after wrong codes."""
    devices = TOTPDevice.objects.filter(user=user, confirmed=True)
    if RECOVERY_CODE.match(token):
        devices = StaticDevice.objects.filter(user=user, confirmed=True)
    throttled = False
    for device in devices:
        throttled = throttled or not device.verify_is_allowed()[0]
        if device.verify_token(token):
            return device, False
    return None, throttled


def new_recovery_codes(user):
    """Replace the user's recovery codes by RECOVERY_CODE_COUNT new ones; returns them (shown once)."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def _grouped(secret):
    """The key in groups of four, so that it wraps on a phone and is easier to type."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _qr_svg(config_url):
    # segno writes the SVG itself from the otpauth:// URL; nothing in it comes from a user as markup.
    svg = segno.make(config_url, error="m").svg_inline(
        scale=5, dark="#000", light="#fff", svgclass="two-factor-qr", omitsize=True
    )
    svg = svg.replace("<svg ", '<svg role="img" aria-labelledby="two-factor-qr-label" ', 1)
    return mark_safe(svg)  # noqa: S308  # nosec B308 B703 - segno's own markup, see above


def _credentials(user):
    return {"username": user.get_username()}


def _record_failure(request):
    """Count a rejected code as a failed sign-in (django-axes); True when that locks the user out."""
    user_login_failed.send(sender=__name__, credentials=_credentials(request.user), request=request)
    return bool(getattr(request, "axes_locked_out", False))


def _locked_out(request):
    """Sign out and show the lockout page (the same as the password step's)."""
    credentials = _credentials(request.user)
    logout(request)
    return lockout_response(request, None, credentials)


def lockout_response(request, original_response, credentials):
    """django-axes' lockout page (AXES_LOCKOUT_CALLABLE), with 429: a page of the admin in the user's language, or
    of the public site for the members' sign-in (/<language>/members/login/)."""
    if original_response is not None and original_response.status_code == 429:
        return original_response  # the code step already answered with this page
    cool_off = get_cool_off(request)
    minutes = int(cool_off.total_seconds() // 60) if cool_off else None
    admin = request.path_info.startswith(ADMIN_PREFIX)
    template = "accounts/login_locked.html" if admin else "accounts/member_login_locked.html"
    return render(request, template, {"minutes": minutes}, status=429)


@never_cache
@require_admin_access
def setup(request):
    """Enrol a TOTP device: show its QR code and key, confirm it with a first code, then make recovery codes."""
    if authenticator_of(request.user) is not None:
        return redirect("two_factor_verify" if not request.user.is_verified() else "two_factor_manage")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="Authenticator app", confirmed=False)
    form = TokenForm(request.POST or None, recovery_codes_accepted=False)
    if request.method == "POST" and form.is_valid():
        allowed = device.verify_is_allowed()[0]
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            request.session[CODES_SESSION_KEY] = new_recovery_codes(request.user)
            return redirect("two_factor_recovery_codes")
        form.add_error("token", WRONG_CODE if allowed else TOO_FAST)
    context = {
        "form": form,
        "secret": _grouped(b32encode(device.bin_key).decode()),
        "config_url": device.config_url,
        "qr_code": _qr_svg(device.config_url),
    }
    return render(request, "accounts/two_factor_setup.html", context)


@never_cache
@require_admin_access
def recovery_codes(request):
    """Show the recovery codes just made, once; afterwards only the account page can make new ones."""
    codes = request.session.pop(CODES_SESSION_KEY, None)
    return render(request, "accounts/two_factor_recovery_codes.html", {"codes": codes, "next": _next_url(request)})


@never_cache
@require_admin_access
def verify(request):
    """Ask for the current code of the enrolled app, or a recovery code."""
    if authenticator_of(request.user) is None:
        return redirect("two_factor_setup")
    if AxesProxyHandler.is_locked(request, _credentials(request.user)):
        return _locked_out(request)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device, throttled = verify_for_user(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            reset_axes_attempts(username=request.user.get_username())
            return redirect(_next_url(request))
        if _record_failure(request):
            return _locked_out(request)
        form.add_error("token", TOO_FAST if throttled else WRONG_CODE)
    return render(request, "accounts/two_factor_verify.html", {"form": form})


class ConfirmForm(forms.Form):
    """The password or a current code, before recovery codes are replaced or the authenticator removed."""

    confirmation = forms.CharField(
        label=_("Your password, or a code from your authenticator app"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, request, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_confirmation(self):
        value = self.cleaned_data["confirmation"]
        user = self.request.user
        code = re.sub(r"\s", "", value)
        if SIX_DIGITS.match(code) and verify_for_user(user, code)[0] is not None:
            return value
        # authenticate() goes through django-axes, so guessing the password here counts towards its lockout.
        if authenticate(self.request, username=user.get_username(), password=value) == user:
            return value
        raise forms.ValidationError(WRONG_CONFIRMATION)


class TwoFactorStatus:
    """What the account page and the management page say about a user's second factor."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def authenticator(self):
        return authenticator_of(self.user)

    @cached_property
    def recovery_codes_left(self):
        return StaticToken.objects.filter(device__user=self.user, device__confirmed=True).count()


@never_cache
@require_admin_access
def manage(request):
    """The account page's two-factor entry: status, new recovery codes, remove the authenticator to enrol again."""
    action = request.POST.get("action")
    form = ConfirmForm(request, request.POST if action else None)
    status = TwoFactorStatus(request.user)
    if action in {"recovery_codes", "reset"} and status.authenticator is not None and form.is_valid():
        if action == "recovery_codes":
            request.session[CODES_SESSION_KEY] = new_recovery_codes(request.user)
            return redirect("two_factor_recovery_codes")
        TOTPDevice.objects.filter(user=request.user).delete()
        StaticDevice.objects.filter(user=request.user).delete()
        request.session.pop(DEVICE_ID_SESSION_KEY, None)
        return redirect("two_factor_setup")
    return render(request, "accounts/two_factor_manage.html", {"status": status, "form": form, "action": action})


urlpatterns = [
    path(f"{ADMIN_PATH}two-factor/", manage, name="two_factor_manage"),
    path(f"{ADMIN_PATH}two-factor/setup/", setup, name="two_factor_setup"),
    path(f"{ADMIN_PATH}two-factor/verify/", verify, name="two_factor_verify"),
    path(f"{ADMIN_PATH}two-factor/recovery-codes/", recovery_codes, name="two_factor_recovery_codes"),
]

# Admin URLs reachable before the second factor: the two-factor pages, signing in and out, and what Wagtail already
# serves to anonymous visitors (the login page's icon sprite and script translations).
EXEMPT_URL_NAMES = [
    "two_factor_setup",
    "two_factor_verify",
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_password_reset",
    "wagtailadmin_sprite",
    "wagtailadmin_javascript_catalog",
]


def exempt_prefixes():
    return tuple(reverse(name) for name in EXEMPT_URL_NAMES)


class AdminTwoFactorMiddleware:
    """Admin requests of users who must use a second factor, in a session not yet verified, go to the 2FA pages.
    Only a page navigation is remembered as where to go after the code (a fetch of the icon sprite must not be).

    Runs after django-otp's OTPMiddleware (which marks ``request.user.is_verified()``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if (
            path.startswith(ADMIN_PREFIX)
            and request.user.is_authenticated
            and not request.user.is_verified()
            and not path.startswith(exempt_prefixes())
            and requires_two_factor(request.user)
        ):
            if is_page_navigation(request):
                request.session[NEXT_SESSION_KEY] = request.get_full_path()
            step = "two_factor_verify" if authenticator_of(request.user) is not None else "two_factor_setup"
            return redirect(step)
        return self.get_response(request)
