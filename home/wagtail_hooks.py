"""Admin hooks of the home app: the two-factor entry on the account page."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.views.account import BaseSettingsPanel

from home.two_factor import TwoFactorStatus


class TwoFactorSettingsPanel(BaseSettingsPanel):
    """Status of the user's second factor, with the way to its management page (the panel saves nothing itself)."""

    name = "two_factor"
    title = _("Two-factor authentication")
    order = 550
    template_name = "home/two_factor_account_panel.html"

    def get_form(self):
        return forms.Form()

    def get_context_data(self):
        return {"status": TwoFactorStatus(self.user)}


@hooks.register("register_account_settings_panel")
def two_factor_panel(request, user, profile):
    return TwoFactorSettingsPanel(request, user, profile)
