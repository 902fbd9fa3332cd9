"""Site-wide files that crawlers and browsers ask for at fixed addresses: robots.txt and favicon.ico."""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_GET

from core.paths import ADMIN_PREFIX


@require_GET
def robots_txt(request):
    """Crawl everything public except the admin and the search results (endless query combinations, rate-limited
    per address), and find the pages through the sitemap."""
    disallowed = [ADMIN_PREFIX]
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            disallowed.append(reverse("search"))
    lines = [
        "User-agent: *",
        *(f"Disallow: {path}" for path in disallowed),
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_GET
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says; the icons live with the other static files."""
    return redirect(static("icons/favicon.ico"), permanent=True)
