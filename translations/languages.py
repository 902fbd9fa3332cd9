"""Which languages a translator may work in.

Design: the role and the languages are separate groups. The "Translators" group carries the permissions of the
role (admin access, change pages and reference data, submit translations; never publish). Membership of a
per-language group named "Translators: <language code>" (e.g. "Translators: ar", created by this app's migration
for every non-default language) says which languages that person translates into. An administrator manages both
in Wagtail's own Groups/Users screens; nothing else to learn.

A user is *language-restricted* when they are a translator and nothing more (not a superuser, editor or
moderator). Language-restricted users may only change content whose locale is one of their languages; that is
enforced server-side by ``permissions`` (the page permission tester, so the admin does not offer the other
languages' page actions), ``wagtail_hooks`` (snippet edit views) and ``middleware`` (wagtail-localize's translation
endpoints), so the source language (English) is read-only to them. A refusal says why (``refusal_reason``).
"""

from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import gettext as _

from accounts.refusals import NO_PERMISSION
from accounts.roles import LANGUAGE_GROUP_PREFIX, TRANSLATORS, WIDER_THAN_TRANSLATOR, group_names
from core.languages import join_list


def translatable_languages():
    """The language codes a translation can go into: every content language but the default (source) one."""
    return [code for code, _ in settings.WAGTAIL_CONTENT_LANGUAGES if code != settings.LANGUAGE_CODE]


def is_language_restricted(user):
    """True for a translator who holds no wider role: their changes are limited to their languages."""
    if not user.is_authenticated or user.is_superuser:
        return False
    names = group_names(user)
    return TRANSLATORS in names and not (names & WIDER_THAN_TRANSLATOR)


def translator_languages(user):
    """The language codes this user translates into (from their "Translators: xx" groups)."""
    return {
        name.removeprefix(LANGUAGE_GROUP_PREFIX) for name in group_names(user) if name.startswith(LANGUAGE_GROUP_PREFIX)
    }


def may_change_locale(user, locale):
    """May ``user`` change content in ``locale``? Everyone but a language-restricted translator may (their other
    permissions still apply); a language-restricted translator only in their own languages."""
    if not is_language_restricted(user):
        return True
    return locale is not None and locale.language_code in translator_languages(user)


def language_names(codes):
    """The languages' names, each in its own script, as the language switcher shows them."""
    names = dict(settings.WAGTAIL_CONTENT_LANGUAGES)
    return join_list(names[code] for code in names if code in codes)


def _refusal_text(user, locale=None):
    if is_language_restricted(user):
        mine = language_names(translator_languages(user)) or _("no language yet")
        if locale is not None:
            return _(
                "You translate into %(languages)s. Content in %(language)s can be read but not changed with your "
                "account."
            ) % {"languages": mine, "language": language_names({locale.language_code})}
        return _(
            "You translate into %(languages)s. Content in other languages can be read but not changed with your "
            "account."
        ) % {"languages": mine}
    return str(NO_PERMISSION)


# Why ``user`` is refused (in ``locale``, when the refusal concerns content in one language). Lazy: the reason is
# raised before the admin switches to the user's language and read once it has.
refusal_reason = lazy(_refusal_text, str)
