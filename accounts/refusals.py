"""Refusals inside the admin: a page of the admin that says why, in the user's admin language, still answered with
status 403. Without this, a ``PermissionDenied`` raised before Wagtail's own view wrapper (the translators'
language guard, for instance) reaches Django's bare "403 Forbidden"."""

from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import defaults
from wagtail.admin.localization import get_localized_response

from core.paths import ADMIN_PREFIX

TEMPLATE = "accounts/refused.html"
NO_PERMISSION = gettext_lazy(
    "Your account does not have permission for this. If your work needs it, ask a site administrator."
)


def back_url(request):
    """The admin page the user came from (a way back from the refusal), when it is this site's and not this URL."""
    referer = request.headers.get("referer", "")
    if not url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    if referer == request.build_absolute_uri() or ADMIN_PREFIX not in referer:
        return None
    return referer


def render_refusal(request, reason=None):
    """The admin's refusal page; ``reason`` (lazy, so it reads in the user's admin language) says why."""

    def page(request):
        return render(
            request,
            TEMPLATE,
            {"reason": str(reason or NO_PERMISSION), "title": _("You cannot do this"), "back_url": back_url(request)},
            status=403,
        )

    return get_localized_response(page, request)


def permission_denied(request, exception=None):
    """``handler403``: an admin page for signed-in admin users, with the reason the refusal carries; Django's own
    answer elsewhere (the public site, the admin's scripts, which want no HTML)."""
    user = getattr(request, "user", None)
    if (
        request.path_info.startswith(ADMIN_PREFIX)
        and user is not None
        and user.has_perm("wagtailadmin.access_admin")
        and request.headers.get("x-requested-with") != "XMLHttpRequest"
    ):
        reason = exception.args[0] if exception is not None and exception.args else None
        return render_refusal(request, reason)
    return defaults.permission_denied(request, exception)
