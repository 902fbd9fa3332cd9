"""wagtail-localize's "Translate" and "Sync translated pages" forms, offering only what the user may complete.

Its translate form lists every language and its sync form offers "Publish immediately" to anyone who may submit
translations; ``middleware`` refuses a translator's other languages and an unauthorised publish, so the forms
offered choices that then ended in a refusal. These subclasses leave out those choices. They are served at
wagtail-localize's own URLs (``wagtail_hooks`` registers them ahead of the package's).
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page
from wagtail_localize.views.submit_translations import SubmitPageTranslationView, SubmitSnippetTranslationView
from wagtail_localize.views.update_translations import UpdateTranslationsView

from .languages import is_language_restricted, language_names, translator_languages


def may_publish_translations(user, source):
    """May ``user`` publish every translation of ``source`` (what "Publish immediately" on the sync form does)?"""
    if is_language_restricted(user):
        return False
    targets = Page.objects.filter(
        translation_key=source.object_id, locale__in=source.translations.values("target_locale")
    )
    return all(page.permissions_for_user(user).can_publish() for page in targets)


class OwnLanguagesMixin:
    """A language-restricted translator is offered only their own languages."""

    def get_form(self):
        form = super().get_form()
        user = self.request.user
        if is_language_restricted(user):
            field = form.fields["locales"]
            field.queryset = field.queryset.filter(language_code__in=translator_languages(user))
            if len(field.queryset) < 2:
                form.fields["select_all"].widget = forms.HiddenInput()
            if not field.queryset:
                field.help_text = _("It is already translated into your languages (%(languages)s).") % {
                    "languages": language_names(translator_languages(user))
                }
        return form


class SubmitPageTranslationInOwnLanguagesView(OwnLanguagesMixin, SubmitPageTranslationView):
    pass


class SubmitSnippetTranslationInOwnLanguagesView(OwnLanguagesMixin, SubmitSnippetTranslationView):
    pass


class UpdateTranslationsWithinPermissionsView(UpdateTranslationsView):
    """The sync form without "Publish immediately" (and machine translation of every language) for users who may
    not publish all the translations: syncing stays theirs, publishing goes through moderation."""

    def get_form(self):
        form = super().get_form()
        if not may_publish_translations(self.request.user, self.object):
            # Kept as an always-off hidden field: wagtail-localize reads ``cleaned_data["publish_translations"]``.
            form.fields["publish_translations"] = forms.BooleanField(
                required=False, disabled=True, widget=forms.HiddenInput
            )
            if is_language_restricted(self.request.user):
                form.fields.pop("use_machine_translation", None)
        return form


# wagtail-localize's URL names, and the view served in their place.
OVERRIDDEN_VIEWS = {
    "submit_page_translation": SubmitPageTranslationInOwnLanguagesView,
    "submit_snippet_translation": SubmitSnippetTranslationInOwnLanguagesView,
    "update_translations": UpdateTranslationsWithinPermissionsView,
}
OVERRIDE_PREFIX = "translations_"


def localize_view_name(url_name):
    """The wagtail-localize view name a URL name of ours stands in for (e.g. for the middleware's checks)."""
    name = url_name.removeprefix(OVERRIDE_PREFIX)
    return f"wagtail_localize:{name}" if name in OVERRIDDEN_VIEWS and name != url_name else url_name
