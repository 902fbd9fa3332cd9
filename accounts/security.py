"""Content-Security-Policy for the public site and the admin (``CONTENT_SECURITY_POLICY`` in settings/base.py).

The public site gets a strict, enforced policy: scripts only from our origin or carrying the per-request nonce
(``nonce="{{ request.csp_nonce }}"``), no inline scripts or styles, no plugins, no framing. Wagtail's admin is not
strict-CSP clean (inline scripts and styles, eval in some widgets), so under ``/admin/`` the strict policy is sent
report-only, and only the parts the admin is known to respect are enforced: no plugins, no <base> hijacking, framing
by our own origin only (the page preview).
"""

from csp.constants import NONCE, NONE, SELF
from csp.middleware import CSPMiddleware

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


class SiteCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin's looser enforced policy and the strict one as report-only there."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if parts.config is None and request.path_info.startswith(ADMIN_PREFIX):
            parts.config = PUBLIC_POLICY if report_only else ADMIN_ENFORCED_POLICY
        return parts
