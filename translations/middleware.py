"""Server-side guard that keeps language-restricted translators inside their own languages.

Wagtail's page permissions are per subtree and wagtail-localize's translation endpoints only ask "may this user
edit the target?", so a translator with "change page" could otherwise write into any language, the source
language included. This middleware looks at the admin URL being called and refuses (403) any change whose target
locale is not one of the translator's languages. Reading stays open: a translator needs to see the source.
"""

from django.core.exceptions import PermissionDenied
from django.urls import Resolver404, resolve
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale, Page
from wagtail_localize.models import Translation, TranslationSource

from core.paths import ADMIN_PREFIX

from .languages import is_language_restricted, may_change_locale, refusal_reason, translator_languages
from .localize_views import localize_view_name, may_publish_translations

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
# wagtail-localize views that only read: previews and the PO download.
READ_ONLY_LOCALIZE_VIEWS = {"wagtail_localize:preview_translation", "wagtail_localize:download_pofile"}
# Page views that change a page but not its content in a locale other than the page's own: handled separately.
SUBMIT_VIEWS = {"wagtail_localize:submit_page_translation", "wagtail_localize:submit_snippet_translation"}
PUBLISH_REFUSED = _(
    "Publishing every language from the sync form would bypass moderation: your account may not publish all of "
    "these translations. Sync without publishing, then submit each translation for moderation."
)
MACHINE_TRANSLATION_REFUSED = _(
    "Machine-translating every language from the sync form is not part of your role: translate in your own "
    "languages from the translation editor."
)


class TranslatorLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not request.path_info.startswith(ADMIN_PREFIX):
            return None
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
        name = localize_view_name(match.view_name)
        kwargs = match.kwargs
        if name == "wagtail_localize:update_translations" and request.method == "POST":
            self.check_may_publish_translations(request, user, kwargs["translation_source_id"])
        if not is_language_restricted(user):
            return None

        if name in SUBMIT_VIEWS:
            if request.method == "POST":
                self.check_submitted_locales(request, user)
            return None
        if name == "wagtail_localize:update_translations":
            # Syncing re-reads the source; publishing or machine-translating every language is not a
            # translator's call.
            if request.method == "POST" and request.POST.get("publish_translations"):
                raise PermissionDenied(PUBLISH_REFUSED)
            if request.method == "POST" and request.POST.get("use_machine_translation"):
                raise PermissionDenied(MACHINE_TRANSLATION_REFUSED)
            return None
        if request.method in SAFE_METHODS and name != "wagtailadmin_pages:edit":
            return None
        if name in READ_ONLY_LOCALIZE_VIEWS:
            return None

        locale = self.target_locale(kwargs)
        if locale is not False and not may_change_locale(user, locale):
            raise PermissionDenied(refusal_reason(user, locale))
        return None

    @staticmethod
    def target_locale(kwargs):
        """The locale the URL changes, or False when the URL names no page or translation."""
        if "translation_id" in kwargs:
            translation = Translation.objects.filter(pk=kwargs["translation_id"]).select_related("target_locale")
            return translation[0].target_locale if translation else None
        if "translation_source_id" in kwargs:
            source = TranslationSource.objects.filter(pk=kwargs["translation_source_id"]).select_related("locale")
            return source[0].locale if source else None
        for key in ("page_id", "parent_page_id"):
            if key in kwargs:
                page = Page.objects.filter(pk=kwargs[key]).select_related("locale").first()
                return page.locale if page else None
        return False

    @staticmethod
    def check_may_publish_translations(request, user, source_id):
        """wagtail-localize's "Sync translated pages" form offers "Publish immediately" without asking whether the
        user may publish: that would let an editor publish every language around the moderation workflow."""
        if not request.POST.get("publish_translations"):
            return
        source = TranslationSource.objects.filter(pk=source_id).first()
        if source is not None and not may_publish_translations(user, source):
            raise PermissionDenied(PUBLISH_REFUSED)

    @staticmethod
    def check_submitted_locales(request, user):
        allowed = translator_languages(user)
        chosen = Locale.objects.filter(pk__in=request.POST.getlist("locales"))
        for locale in chosen:
            if locale.language_code not in allowed:
                raise PermissionDenied(refusal_reason(user, locale))
