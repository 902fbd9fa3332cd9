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
"""

from csp.constants import NONCE, NONE, SELF
from csp.middleware import CSPMiddleware

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
