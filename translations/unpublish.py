"""Unpublishing a page offers to unpublish its live translations too.

Wagtail's unpublish takes down one language version; its other languages stayed live and the confirmation did not
mention them. This view lists the live translations on the confirmation page and, when "Also unpublish the
translations" is ticked (the default: a page taken down is usually wrong in every language), unpublishes each one
the user may unpublish (Wagtail's unpublish action logs each one in the audit log). It is served for every page
type through a page viewset.
"""

from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from wagtail.admin.views.pages.unpublish import UnpublishView
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.models import Page

from .languages import language_names

FIELD = "unpublish_translations"


class UnpublishWithTranslationsView(UnpublishView):
    template_name = "translations/confirm_unpublish.html"

    @cached_property
    def live_translations(self):
        """The page's other live language versions, each with whether this user may unpublish it."""
        translations = self.object.get_translations().live().select_related("locale").order_by("locale__pk")
        return [(page, page.permissions_for_user(self.request.user).can_unpublish()) for page in translations]

    @cached_property
    def translations_to_unpublish(self):
        if self.request.method != "POST" or not self.request.POST.get(FIELD):
            return []
        return [page.specific for page, allowed in self.live_translations if allowed]

    def get_objects_to_unpublish(self):
        objects = super().get_objects_to_unpublish()
        pks = {page.pk for page in objects}
        return objects + [page for page in self.translations_to_unpublish if page.pk not in pks]

    def get_success_message(self):
        message = super().get_success_message()
        if self.translations_to_unpublish:
            languages = language_names({page.locale.language_code for page in self.translations_to_unpublish})
            message = _("%(message)s Its translations were unpublished too: %(languages)s.") % {
                "message": message,
                "languages": languages,
            }
        return message

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        allowed = [page for page, may in self.live_translations if may]
        context.update(
            {
                "translations_field": FIELD,
                "live_translation_names": language_names({page.locale.language_code for page in allowed}),
                "kept_translation_names": language_names(
                    {page.locale.language_code for page, may in self.live_translations if not may}
                ),
                # Wagtail's own sentence counts translations it would take down regardless; ours are optional.
                "translation_count": 0,
            }
        )
        return context


class TranslatedPageViewSet(PageViewSet):
    """Every page type's admin views, with the translation-aware unpublish."""

    model = Page
    unpublish_view_class = UnpublishWithTranslationsView
