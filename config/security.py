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

import re
import time

from csp.constants import NONCE, NONE, SELF
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.utils.translation import gettext as _

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
ADMIN_PREFIX = "/admin/"


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
        return parts


class SiteXFrameOptionsMiddleware(XFrameOptionsMiddleware):
    """``X-Frame-Options: DENY`` everywhere (settings.X_FRAME_OPTIONS), ``SAMEORIGIN`` on the admin's previews."""

    def get_xframe_options_value(self, request, response):
        if is_admin_preview(request):
            return "SAMEORIGIN"
        return super().get_xframe_options_value(request, response)


class SearchRateLimitMiddleware:
    """Public search costs a query on the search engine per request: each client address gets SEARCH_RATE_LIMIT
    searches a minute, then a 429 with a short message until the minute is over.

    Counts live in the default cache (per process with the local-memory cache; use a shared cache such as Redis
    to count across workers). The address is REMOTE_ADDR: behind a proxy, make the proxy set it to the client's."""

    SEARCH_PATH = re.compile(r"^/[a-z]{2}(?:-[a-z]+)?/search/(?:suggest/)?$")
    WINDOW_SECONDS = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self.SEARCH_PATH.match(request.path_info):
            window = int(time.time() // self.WINDOW_SECONDS)
            key = f"search-rate:{request.META.get('REMOTE_ADDR', '')}:{window}"
            cache.add(key, 0, self.WINDOW_SECONDS + 5)
            try:
                count = cache.incr(key)
            except ValueError:  # evicted between add and incr
                count = 1
            if count > settings.SEARCH_RATE_LIMIT:
                response = HttpResponse(
                    _("Too many searches from your address. Please wait a minute and try again."),
                    status=429,
                    content_type="text/plain; charset=utf-8",
                )
                response["Retry-After"] = str(self.WINDOW_SECONDS - int(time.time()) % self.WINDOW_SECONDS)
                return response
        return self.get_response(request)
