"""The forum in the admin: a menu item that takes the forum's moderators to the moderation page (which is on the
front end, beside the threads it acts on)."""

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .access import is_moderator


class ForumModerationMenuItem(MenuItem):
    def is_shown(self, request):
        return is_moderator(request.user)


@hooks.register("register_admin_menu_item")
def register_forum_moderation_menu_item():
    # A lazy URL: reversed at each render, in the admin user's language.
    return ForumModerationMenuItem(
        _("Forum moderation"), reverse_lazy("forum_moderation"), icon_name="group", order=900
    )
