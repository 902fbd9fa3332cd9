"""Admin wiring for search: the screen of pending index updates, under Settings for those who may replay them."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .admin_views import PendingUpdatesView, may_replay


class PendingUpdatesMenuItem(MenuItem):
    def is_shown(self, request):
        return may_replay(request.user)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("search/pending-updates/", PendingUpdatesView.as_view(), name="search_pending_updates")]


@hooks.register("register_settings_menu_item")
def pending_updates_menu_item():
    return PendingUpdatesMenuItem(
        _("Search index updates"),
        reverse("search_pending_updates"),
        icon_name="search",
        name="search-pending-updates",
        order=900,
    )
