"""Root URLs: the admin outside the language prefix, the public site under /<language>/."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from django.views.decorators.cache import never_cache
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from accounts import members, two_factor
from accounts.account import OptionalLastNameAccountView
from books import views as books_views
from core import routing
from core import views as core_views
from core.paths import ADMIN_PATH, API_PATH, FORUM_PATH, GLOSSARY_PATH, MEMBERS_PATH, OPEN_DATA_PATH
from core.sitemaps import TranslatedPagesSitemap
from handbook import directory, own_profile
from handbook.feeds import PracticesFeed
from news.feeds import NewsFeed
from opendata import export
from opendata.api import api
from ops import health
from search import glossary_page
from search import views as search_views

urlpatterns = [
    *two_factor.urlpatterns,
    # Wagtail's account page, with the last name optional; wrapped as Wagtail wraps its own admin views.
    path(
        f"{ADMIN_PATH}account/",
        never_cache(require_admin_access(OptionalLastNameAccountView.as_view())),
        name="wagtailadmin_account",
    ),
    path(ADMIN_PATH, include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path(
        "sitemap.xml",
        sitemap,
        {
            "sitemaps": {
                "pages": TranslatedPagesSitemap,
                "directory": directory.DirectorySitemap,
                "glossary": glossary_page.GlossarySitemap,
            }
        },
        name="sitemap",
    ),
    path("robots.txt", core_views.robots_txt, name="robots_txt"),
    path("favicon.ico", core_views.favicon),
    path(API_PATH, api.urls),
    path("health/live/", health.live, name="health_live"),
    path("health/ready/", health.ready, name="health_ready"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += i18n_patterns(
    path("search/", search_views.search, name="search"),
    path("search/suggest/", search_views.suggest, name="search_suggest"),
    path(GLOSSARY_PATH, glossary_page.glossary, name="glossary"),
    path("feeds/news/", NewsFeed(), name="news_feed"),
    path("feeds/practices/", PracticesFeed(), name="practices_feed"),
    path("", include(directory.urlpatterns)),
    path("", include(own_profile.urlpatterns)),
    path("exchange/", include("exchange.urls")),
    path(MEMBERS_PATH, include(members.urlpatterns)),
    path(FORUM_PATH, include("forum.urls")),
    path(f"{OPEN_DATA_PATH}practices.csv", export.practices_csv, name="practices_csv"),
    path(f"{OPEN_DATA_PATH}practices.json", export.practices_json, name="practices_json"),
    # A page's PDF edition: its URL + ".pdf" (page slugs cannot hold a dot, so no page is hidden by this).
    re_path(r"^(?P<path>[^.]+)\.pdf$", books_views.page_pdf, name="page_pdf"),
    # Wagtail's page serving, with the page found in one query where a hint allows (core/routing.py); the same
    # pattern and name as Wagtail's own, which stays below for its other views.
    re_path(wagtail_urls.serve_pattern, routing.serve, name="wagtail_serve"),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)

# Refusals inside the admin are admin pages that say why; elsewhere Django's own 403.
handler403 = "accounts.refusals.permission_denied"
