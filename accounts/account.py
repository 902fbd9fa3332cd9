"""The admin's account page, where a last name is optional.

Django's user model allows a blank last name, and many people have a single name; Wagtail's account form requires
one, so a user without it could not save anything on the page, not even their admin language. Wagtail has no
setting for that form, hence this subclass of its view, mounted at the same URL (config/urls.py). The user
administration's forms get the same rule through Wagtail's documented way of customising them: a viewset named by
the users app's config (``UsersAppConfig``, in INSTALLED_APPS instead of ``wagtail.users``).
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.account import NameEmailForm
from wagtail.admin.views.account import AccountView, NameEmailSettingsPanel
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import UserViewSet

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


class OptionalLastNameUserViewSet(UserViewSet):
    def get_form_class(self, for_update=False):
        return OptionalLastNameUserEditForm if for_update else OptionalLastNameUserCreationForm
