"""Wagtail's users app, with the user forms of home/account.py (a module of its own: an AppConfig in home/apps.py
would become the home app's own config)."""

from wagtail.users.apps import WagtailUsersAppConfig


class UsersAppConfig(WagtailUsersAppConfig):
    user_viewset = "home.account.OptionalLastNameUserViewSet"
