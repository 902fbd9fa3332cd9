"""Wagtail's users app, with the user forms of accounts/account.py.

A module of its own: an AppConfig in accounts/apps.py would become the accounts app's own config."""

from wagtail.users.apps import WagtailUsersAppConfig


class UsersAppConfig(WagtailUsersAppConfig):
    user_viewset = "accounts.account.OptionalLastNameUserViewSet"
