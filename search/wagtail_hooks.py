"""Admin wiring for search: the screen of pending index updates (Settings, for those who may replay them), the
editors' query report (Reports) and the search glossary (a translatable snippet)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .admin_views import PendingUpdatesView, QueryReportView, may_replay, may_see_queries
from .models import GlossaryEntry


class PendingUpdatesMenuItem(MenuItem):
    def is_shown(self, request):
        return may_replay(request.user)


class QueryReportMenuItem(MenuItem):
    def is_shown(self, request):
        return may_see_queries(request.user)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("search/pending-updates/", PendingUpdatesView.as_view(), name="search_pending_updates"),
        path("search/queries/", QueryReportView.as_view(), name="search_query_report"),
    ]


@hooks.register("register_settings_menu_item")
def pending_updates_menu_item():
    return PendingUpdatesMenuItem(
        _("Search index updates"),
        reverse("search_pending_updates"),
        icon_name="search",
        name="search-pending-updates",
        order=900,
    )


@hooks.register("register_reports_menu_item")
def query_report_menu_item():
    return QueryReportMenuItem(
        _("Search queries"), reverse("search_query_report"), icon_name="search", name="search-queries", order=800
    )


class GlossaryViewSet(SnippetViewSet):
    model = GlossaryEntry
    icon = "search"
    menu_label = _("Search glossary")
    list_display = ["term", "synonyms"]


register_snippet(GlossaryViewSet)
