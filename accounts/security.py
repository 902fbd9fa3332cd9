"""Content-Security-Policy for the public site and the admin (``CONTENT_SECURITY_POLICY`` in settings/base.py).

The public site gets a strict, enforced policy: scripts only from our origin or carrying the per-request nonce
(``nonce="{{ request.csp_nonce }}"``), no inline scripts or styles, no plugins, no framing. Wagtail's admin is not
strict-CSP clean (inline scripts and styles, eval in some widgets), so under ``/admin/`` the strict policy is sent
report-only, and only the parts the admin is known to respect are enforced: no plugins, no <base> hijacking, framing
by our own origin only.

Wagtail renders a preview ("Preview" panel and tab, "View draft", a moderator's workflow preview) by passing a
dummy request for the page's *public* URL through the whole middleware chain, so it would get the public policy's
"no framing" and the panel's same-origin iframe would be refused. Those renderings, and only those, may be framed
by our own origin: Wagtail marks them ``request.is_dummy`` and ``request.is_preview``, attributes set in Python
that no client can send.

A response without a nonce or a policy of its own (``csp.decorators``) gets one of a few headers, which depend only on
the settings, the part of the site (public, admin, preview) and the media origin: each is built once per process and
kept (django-csp builds both policies for every response: a third of a cached page's cost), and forgotten when a
setting changes (``override_settings`` in tests).
"""

import http.client
from dataclasses import asdict

from csp.constants import HEADER, HEADER_REPORT_ONLY, NONCE, NONE, SELF
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed

from core.media import media_origin
from core.paths import ADMIN_PREFIX

PUBLIC_POLICY = {
    "default-src": [SELF],
    "script-src": [SELF, NONCE],
    "style-src": [SELF],
    "img-src": [SELF, "data:"],
    "font-src": [SELF],
    "connect-src": [SELF],
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
    "frame-ancestors": [NONE],
}
ADMIN_ENFORCED_POLICY = {
    "object-src": [NONE],
    "base-uri": [SELF],
    "frame-ancestors": [SELF],
}

PREVIEW_POLICY = {**PUBLIC_POLICY, "frame-ancestors": [SELF]}


# What a view can set on its response (csp.decorators) to get a policy of its own.
RESPONSE_POLICY_ATTRIBUTES = frozenset(
    f"_csp_{kind}{suffix}" for kind in ("config", "update", "replace") for suffix in ("", "_ro")
)
# (part of the site, media origin) -> the two headers' values, enforced and report-only ("" for none).
_built_policies = {}


def _forget_built_policies(**kwargs):
    _built_policies.clear()


setting_changed.connect(_forget_built_policies)


def is_admin_preview(request):
    """A page rendered for the admin's preview or "View draft", not a visit to the public site."""
    return getattr(request, "is_dummy", False) and getattr(request, "is_preview", False)


class SiteCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin's looser enforced policy and the strict one as report-only there;
    a preview keeps the public policy except that our own origin (the admin's preview panel) may frame it."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if parts.config is None:
            if request.path_info.startswith(ADMIN_PREFIX):
                parts.config = PUBLIC_POLICY if report_only else ADMIN_ENFORCED_POLICY
            elif not report_only and is_admin_preview(request):
                parts.config = PREVIEW_POLICY
        origin = media_origin()
        if origin:  # image renditions on an S3 bucket or its CDN (core/storage.py)
            parts.update = {**(parts.update or {}), "img-src": [*(parts.update or {}).get("img-src", ()), origin]}
        return parts

    def policies(self, request, response):
        """The two headers' values (enforced, report-only; "" for none): built for this response if it has a nonce or
        a policy of its own, else kept."""
        key = None
        if getattr(request, "_csp_nonce", None) is None and RESPONSE_POLICY_ATTRIBUTES.isdisjoint(vars(response)):
            # The facts get_policy_parts decides by.
            admin = request.path_info.startswith(ADMIN_PREFIX)
            key = ("admin" if admin else "preview" if is_admin_preview(request) else "public", media_origin())
            if key in _built_policies:
                return _built_policies[key]
        built = tuple(
            build_policy(
                **asdict(self.get_policy_parts(request=request, response=response, report_only=report_only)),
                report_only=report_only,
            )
            for report_only in (False, True)
        )
        if key is not None:
            _built_policies[key] = built
        return built

    def process_response(self, request, response):
        """django-csp 4.0's own, with the policies from ``policies`` (built once, not twice per response)."""
        if settings.DEBUG and response.status_code in (http.client.INTERNAL_SERVER_ERROR, http.client.NOT_FOUND):
            return response  # Django's debug pages have inline scripts and styles
        for policy, header, setting, exempt in zip(
            self.policies(request, response),
            (HEADER, HEADER_REPORT_ONLY),
            ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY"),
            ("_csp_exempt", "_csp_exempt_ro"),
            strict=True,
        ):
            if not policy or header in response or getattr(response, exempt, False):
                continue
            excluded = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
            if not request.path_info.startswith(tuple(excluded)):
                response[header] = policy
        if getattr(request, "_csp_nonce", None) is None:
            # As django-csp: a nonce asked for after the header was written would not be in it.
            request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response


class PreviewFramingMiddleware:
    """``X-Frame-Options: SAMEORIGIN`` on the admin's previews. It sits below Django's XFrameOptionsMiddleware in
    MIDDLEWARE, so it answers first and Django's middleware, which keeps a header already set, sends
    settings.X_FRAME_OPTIONS (DENY) on every other response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if is_admin_preview(request):
            response["X-Frame-Options"] = "SAMEORIGIN"
        return response
