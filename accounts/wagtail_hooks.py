"""Admin access checks that Wagtail leaves to the caller, for every page type; the two-factor entry on the account
page."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.views.account import BaseSettingsPanel

from .two_factor import TwoFactorStatus


@hooks.register("before_move_page")
def refuse_move_confirmation_without_move_permission(request, page, destination):
    """Wagtail's move confirmation page checks permissions only when the move is posted; its GET would show any
    user with admin access the page and its translations. Refuse it up front, like the destination chooser does."""
    if not page.permissions_for_user(request.user).can_move_to(destination):
        raise PermissionDenied


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
