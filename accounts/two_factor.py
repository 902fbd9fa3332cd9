"""Two-factor authentication (TOTP, django-otp) for the admin, required for moderators and administrators.

After the password, a user who must use a second factor is sent to enrol an authenticator app (first time) or to
enter its six-digit code; until then every other admin URL redirects there. Editors, translators and reviewers
may enrol too but are not required to. Wrong codes are throttled by django-otp (growing delays per device).
"""

from base64 import b32encode

from django import forms
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.paths import ADMIN_PATH, ADMIN_PREFIX

from .roles import TWO_FACTOR_GROUPS

WRONG_CODE = _("That code is not right or has expired. Check the time on your phone, wait for the next code and retry.")


def requires_two_factor(user):
    if not user.is_authenticated:
        return False
    return user.is_superuser or user.groups.filter(name__in=TWO_FACTOR_GROUPS).exists()


class TokenForm(forms.Form):
    token = forms.RegexField(
        label=_("Six-digit code from your authenticator app"),
        regex=r"^\s*\d{6}\s*$",
        max_length=12,
        error_messages={"invalid": _("Enter the six digits your authenticator app shows.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


def _next_url(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    return target if target.startswith(ADMIN_PREFIX) and not target.startswith("//") else reverse("wagtailadmin_home")


@never_cache
def setup(request):
    """Enrol a TOTP device: show its secret (and otpauth:// link), confirm it with a first code."""
    if not request.user.is_authenticated:
        return redirect("wagtailadmin_login")
    if user_has_device(request.user):
        return redirect(reverse("two_factor_verify") + f"?next={_next_url(request)}")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="Authenticator app", confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].strip()):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return redirect(_next_url(request))
        form.add_error("token", WRONG_CODE)
    context = {
        "form": form,
        "secret": b32encode(device.bin_key).decode(),
        "config_url": device.config_url,
        "next": _next_url(request),
    }
    return render(request, "accounts/two_factor_setup.html", context)


@never_cache
def verify(request):
    """Ask for the current code of an enrolled device."""
    if not request.user.is_authenticated:
        return redirect("wagtailadmin_login")
    if not user_has_device(request.user):
        return redirect(reverse("two_factor_setup") + f"?next={_next_url(request)}")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"].strip()
        for device in TOTPDevice.objects.filter(user=request.user, confirmed=True):
            if device.verify_token(token):
                otp_login(request, device)
                return redirect(_next_url(request))
        form.add_error("token", WRONG_CODE)
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": _next_url(request)})


urlpatterns = [
    path(f"{ADMIN_PATH}two-factor/setup/", setup, name="two_factor_setup"),
    path(f"{ADMIN_PATH}two-factor/verify/", verify, name="two_factor_verify"),
]


class AdminTwoFactorMiddleware:
    """Admin requests of users who must use a second factor, in a session not yet verified, go to the 2FA pages.

    Runs after django-otp's OTPMiddleware (which marks ``request.user.is_verified()``)."""

    EXEMPT_PREFIXES = tuple(f"{ADMIN_PREFIX}{step}/" for step in ("two-factor", "login", "logout", "password_reset"))

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if (
            path.startswith(ADMIN_PREFIX)
            and not path.startswith(self.EXEMPT_PREFIXES)
            and requires_two_factor(request.user)
            and not request.user.is_verified()
        ):
            step = "two_factor_verify" if user_has_device(request.user) else "two_factor_setup"
            return redirect(reverse(step) + f"?next={path}")
        return self.get_response(request)
