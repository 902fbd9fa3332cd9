"""Admin wiring for translators: the language guard on snippets, the way into the moderation workflow from the
translation editor, the translation status dashboard, the translator's panel on the admin's home page, and
right-to-left-friendly text inputs."""

from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets.button import Button
from wagtail.models import TranslatableMixin
from wagtail_localize import wagtail_hooks as localize_hooks

from accounts.refusals import render_refusal

from .dashboard import TranslatorWorkPanel
from .languages import may_change_locale, refusal_reason
from .localize_views import OVERRIDDEN_VIEWS, OVERRIDE_PREFIX
from .moderation import SubmitSnippetTranslationForModerationView, SubmitTranslationForModerationView, translation_of
from .unpublish import TranslatedPageViewSet
from .views import (
    ReusePreviousTranslationView,
    TranslationStatusCSVView,
    TranslationStatusView,
    may_see_dashboard,
)


@hooks.register("register_admin_urls", order=-1)
def serve_localize_forms_offering_only_what_the_user_may_do():
    """Our versions of wagtail-localize's translate and sync forms, at the package's own URLs (taken from its URL
    configuration, so they stay the same): registered ahead of the package's hook, so they match first."""
    (localize,) = localize_hooks.register_admin_urls()
    return [
        path(
            f"{localize.pattern}{pattern.pattern}",
            OVERRIDDEN_VIEWS[pattern.name].as_view(),
            name=f"{OVERRIDE_PREFIX}{pattern.name}",
        )
        for pattern in localize.url_patterns
        if pattern.name in OVERRIDDEN_VIEWS
    ]


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path(
            "translations/submit/<int:page_id>/",
            SubmitTranslationForModerationView.as_view(),
            name="translations_submit_for_moderation",
        ),
        path(
            "translations/submit/<str:app_label>/<str:model_name>/<str:pk>/",
            SubmitSnippetTranslationForModerationView.as_view(),
            name="translations_submit_snippet_for_moderation",
        ),
        path("translations/status/", TranslationStatusView.as_view(), name="translations_status"),
        path("translations/status/export.csv", TranslationStatusCSVView.as_view(), name="translations_status_csv"),
        path(
            "translations/<int:translation_id>/reuse/<int:segment_id>/",
            ReusePreviousTranslationView.as_view(),
            name="translations_reuse_previous",
        ),
    ]


def guard_snippet_language(request, instance):
    """A language-restricted translator may only change snippets in their own languages (runs before
    wagtail-localize's own hook, which would otherwise open its translation editor)."""
    if isinstance(instance, TranslatableMixin) and not may_change_locale(request.user, instance.locale):
        # A response rather than an exception: Wagtail's snippet views turn a refusal into a bare "permission
        # denied" redirect, without the reason.
        return render_refusal(request, refusal_reason(request.user, instance.locale))


hooks.register("before_edit_snippet", guard_snippet_language, order=-10)
hooks.register("before_delete_snippet", guard_snippet_language, order=-10)


@hooks.register("register_page_header_buttons")
def submit_translation_button(page, user, view_name=None, next_url=None):
    """On a translated page (the translation editor included): send the translation into moderation."""
    if page.is_root() or page.locale_id is None or not may_change_locale(user, page.locale):
        return
    if not page.permissions_for_user(user).can_edit() or translation_of(page) is None:
        return
    yield Button(
        _("Submit translation for moderation"),
        reverse("translations_submit_for_moderation", args=[page.pk]),
        icon_name="resubmit",
        priority=50,
    )


class TranslationStatusMenuItem(MenuItem):
    def is_shown(self, request):
        return may_see_dashboard(request.user)


@hooks.register("register_admin_menu_item")
def translation_status_menu_item():
    return TranslationStatusMenuItem(
        _("Translation status"),
        reverse("translations_status"),
        icon_name="wagtail-localize-language",
        name="translation-status",
        order=850,
    )


@hooks.register("insert_global_admin_css")
def bidi_admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("translations/css/admin-bidi.css"))


@hooks.register("construct_homepage_panels")
def translator_work_panel(request, panels):
    panels.append(TranslatorWorkPanel())


@hooks.register("register_admin_viewset")
def translated_page_viewset():
    # Registered after Wagtail's base page viewset (order -1), so it takes the place of that one for every page type.
    return TranslatedPageViewSet("translated_pages")
