"""The admin's account page, where a last name is optional.

Django's user model allows a blank last name, and many people have a single name; Wagtail's account form requires
one, so a user without it could not save anything on the page, not even their admin language. Wagtail has no
setting for that form, hence this subclass of its view, mounted at the same URL (config/urls.py). The user
administration's forms get the same rule through WAGTAIL_USER_EDIT_FORM and WAGTAIL_USER_CREATION_FORM.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.account import NameEmailForm
from wagtail.admin.views.account import AccountView, NameEmailSettingsPanel
from wagtail.users.forms import UserCreationForm, UserEditForm

# Wagtail's own label, so its translations apply.
LAST_NAME = forms.CharField(required=False, label=_("Last Name"))


class OptionalLastNameForm(NameEmailForm):
    last_name = LAST_NAME


class OptionalLastNamePanel(NameEmailSettingsPanel):
    form_class = OptionalLastNameForm


class OptionalLastNameAccountView(AccountView):
    def get_panels(self):
        return [
            OptionalLastNamePanel(panel.request, panel.user, panel.profile)
            if type(panel) is NameEmailSettingsPanel
            else panel
            for panel in super().get_panels()
        ]


class OptionalLastNameUserEditForm(UserEditForm):
    last_name = LAST_NAME


class OptionalLastNameUserCreationForm(UserCreationForm):
    last_name = LAST_NAME
