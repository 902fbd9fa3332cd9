"""Page permissions that know about translators' languages.

Wagtail grants page permissions per subtree, and every language's tree sits under the same root, so a translator's
"change page" would otherwise cover the source language too. Folding the language rule into the permission tester
makes the admin itself stop offering what the translator may not do (Edit, Add child page, Delete, Move … on pages
in other languages, in listings, headers, action menus and bulk actions), instead of offering it and refusing it
afterwards; ``middleware`` still refuses the URLs that do not ask the page's permissions.
"""

from wagtail.models import PagePermissionTester

from .languages import is_language_restricted, may_change_locale


class LanguagePagePermissionTester(PagePermissionTester):
    """A language-restricted translator has no page permissions on pages outside their languages (they still see
    them: reading the source is part of translating)."""

    def __init__(self, user, page):
        super().__init__(user, page)
        if is_language_restricted(user) and not may_change_locale(user, page.locale):
            self.permissions = set()


class LanguagePermissionsMixin:
    """For every page model: its permission tester applies the translators' language rule."""

    def permissions_for_user(self, user):
        return LanguagePagePermissionTester(user, self)
