"""Admin access checks that Wagtail leaves to the caller, for every page type; the two-factor entry on the account
page; the editor's desk on the admin's home page (see ``dashboard``); programme staff's membership requests."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.account import BaseSettingsPanel

from . import membership_admin
from .dashboard import DESK_PANELS
from .two_factor import TwoFactorStatus

# Wagtail's own "Awaiting your review" lists the same task states as the desk's "Waiting for my review or
# approval"; one list is enough.
REPLACED_PANELS = {"workflow_objects_to_moderate"}


@hooks.register("before_move_page")
def refuse_move_confirmation_without_move_permission(request, page, destination):
    """Wagtail's move confirmation page checks permissions only when the move is posted; its GET would show any
    user with admin access the page and its translations. Refuse it up front, like the destination chooser does."""
    if not page.permissions_for_user(request.user).can_move_to(destination):
        raise PermissionDenied


@hooks.register("construct_homepage_panels")
def add_desk_panels(request, panels):
    panels[:] = [panel for panel in panels if getattr(panel, "name", "") not in REPLACED_PANELS]
    panels.extend(panel() for panel in DESK_PANELS)


class TwoFactorSettingsPanel(BaseSettingsPanel):
    """Status of the user's second factor, with the way to its management page (the panel saves nothing itself)."""

    name = "two_factor"
    title = _("Two-factor authentication")
    order = 550
    template_name = "accounts/two_factor_account_panel.html"

    def get_form(self):
        return forms.Form()

    def get_context_data(self):
        return {"status": TwoFactorStatus(self.user)}


@hooks.register("register_account_settings_panel")
def two_factor_panel(request, user, profile):
    return TwoFactorSettingsPanel(request, user, profile)


@hooks.register("register_admin_urls")
def membership_request_urls():
    return [path("membership-requests/", include(membership_admin.urlpatterns))]


class MembershipRequestsMenuItem(MenuItem):
    def is_shown(self, request):
        return membership_admin.may_decide(request.user)


@hooks.register("register_admin_menu_item")
def membership_requests_menu_item():
    return MembershipRequestsMenuItem(
        _("Membership requests"), reverse("membership_requests"), icon_name="user", order=260
    )
