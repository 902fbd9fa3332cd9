"""Submit a translated page or snippet into the moderation workflow (what wagtail-localize's editor lacks, its
issue 676).

The translation editor stores each translated string as the translator types; this turns the strings into a new
draft revision of the translated page (or snippet with drafts and a workflow: ``core.moderation``) and hands that
revision to its workflow, exactly as an editor's "Submit for moderation" does. Nothing is published here: moderators
approve, which publishes.
"""

from django.apps import apps
from django.contrib import messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import DraftStateMixin, Page, TranslatableMixin, WorkflowMixin, WorkflowState
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail_localize.models import Translation

from core.languages import language_name

from .languages import may_change_locale
from .status import SourceStrings

# First-strong isolates: a title in one script inside a sentence in another keeps its own direction and does not
# drag the punctuation and numbers around it (in the page's <title> and header, where <bdi> cannot be used).
FSI, PDI = "\u2068", "\u2069"


def translation_title(title, language_code):
    """ "Translation of “…” into Arabic", in the admin's language, the title isolated from the sentence around it."""
    return _("Translation of “%(title)s” into %(language)s") % {
        "title": FSI + str(title) + PDI,
        "language": language_name(language_code),
    }


def translation_of(obj):
    """The enabled wagtail-localize translation whose target is ``obj`` (a page or snippet), or None."""
    return (
        Translation.objects.filter(source__object_id=obj.translation_key, target_locale_id=obj.locale_id, enabled=True)
        .select_related("source", "target_locale")
        .first()
    )


def is_moderated_snippet(obj):
    return not isinstance(obj, Page) and isinstance(obj, WorkflowMixin) and isinstance(obj, TranslatableMixin)


def submit_url(obj):
    """Where the translation of ``obj`` is submitted for moderation (pages, and snippets with a workflow)."""
    if isinstance(obj, Page):
        return reverse("translations_submit_for_moderation", args=[obj.pk])
    if is_moderated_snippet(obj):
        meta = obj._meta
        return reverse(
            "translations_submit_snippet_for_moderation", args=[meta.app_label, meta.model_name, quote(obj.pk)]
        )
    return None


def save_translation_draft(translation, obj, user):
    """Save the translated strings as a draft revision of ``obj``.

    For a snippet, wagtail-localize writes the draft into the database row and takes the row offline
    (``live = False``): readers would lose the published translation until a moderator approves the new one. Wagtail
    keeps a live snippet's row as published and the draft in the revision; so does this."""
    if isinstance(obj, Page) or not isinstance(obj, DraftStateMixin) or not obj.live:
        translation.save_target(user=user, publish=False)
        return
    manager = type(obj)._default_manager
    published = manager.get(pk=obj.pk)
    with transaction.atomic():
        translation.save_target(user=user, publish=False)
        published.latest_revision_id = manager.values_list("latest_revision_id", flat=True).get(pk=obj.pk)
        published.has_unpublished_changes = True
        published.save()


def submit_translation_for_moderation(translation, page, user):
    """Save the translated strings as a draft revision of ``page`` (a page or moderated snippet) and put it into its
    workflow. Returns the workflow state. Raises ValidationError when the translation cannot be saved yet."""
    save_translation_draft(translation, page, user)
    page.refresh_from_db()
    state = page.current_workflow_state
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        state.resume(user)
        return state
    if state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS:
        return state  # already with the moderators; they now see the new revision
    workflow = page.get_workflow()
    if workflow is None:
        return None
    return workflow.start(page, user)


class SubmitTranslationForModerationView(WagtailAdminTemplateMixin, TemplateView):
    """GET: what will happen; POST "save" keeps a draft revision, POST "submit" sends it to moderation."""

    template_name = "translations/submit_for_moderation.html"
    page_title = gettext_lazy("Submit translation for moderation")
    header_icon = "wagtail-localize-language"

    def get_object(self, page_id):
        return get_object_or_404(Page, pk=page_id).specific

    def may_edit(self, user):
        return self.page.permissions_for_user(user).can_edit()

    def dispatch(self, request, *args, **kwargs):
        self.page = self.get_object(*args, **kwargs)
        if not self.may_edit(request.user) or not may_change_locale(request.user, self.page.locale):
            raise PermissionDenied
        self.translation = translation_of(self.page)
        if self.translation is None:
            raise Http404(_("This page is not a translation."))
        self.edit_url = AdminURLFinder(request.user).get_edit_url(self.page)
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return translation_title(self.title(), self.page.locale.language_code)

    def title(self):
        return self.page.get_admin_display_title() if isinstance(self.page, Page) else str(self.page)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": self.edit_url, "label": self.title()},
            {"url": "", "label": self.get_page_title(), "sublabel": self.page_title},
        ]

    def kind(self):
        """What is translated, in the admin's language ("news item or event", "expert (focal point)")."""
        model = self.page.specific_class if isinstance(self.page, Page) else type(self.page)
        return model._meta.verbose_name

    def get_context_data(self, **kwargs):
        # Progress in words, as the translation status dashboard counts them (the slug and other non-text aside),
        # not in wagtail-localize's strings: a two-word heading is not a paragraph's work.
        source, locale = self.translation.source, self.page.locale
        strings = SourceStrings([source], [locale])
        state = self.page.current_workflow_state
        return super().get_context_data(
            page=self.page,
            translation=self.translation,
            kind=self.kind(),
            words_total=strings.words(source),
            words_done=strings.translated_words(source, locale),
            language=language_name(self.page.locale.language_code),
            workflow=self.page.get_workflow(),
            in_moderation=state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS,
            edit_url=self.edit_url,
            title=self.title(),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        edit_url = self.edit_url
        title = self.title()
        try:
            if request.POST.get("action") == "save":
                save_translation_draft(self.translation, self.page, request.user)
                messages.success(request, _("Draft of '%(title)s' saved.") % {"title": title})
                return redirect(edit_url)
            state = submit_translation_for_moderation(self.translation, self.page, request.user)
        except ValidationError as error:
            # The translated strings stay stored in the translation editor: nothing is lost.
            messages.error(
                request,
                _("The translation of '%(title)s' cannot be saved yet: %(error)s")
                % {"title": title, "error": "; ".join(error.messages)},
            )
            return redirect(edit_url)
        if state is None:
            messages.warning(
                request,
                _("Draft of '%(title)s' saved; no workflow applies to this %(kind)s.")
                % {"title": title, "kind": self.kind()},
            )
        else:
            messages.success(
                request, _("The translation '%(title)s' has been submitted for moderation.") % {"title": title}
            )
        return redirect(edit_url)


class SubmitSnippetTranslationForModerationView(SubmitTranslationForModerationView):
    """The same for a translated snippet with drafts and a workflow (taxonomy terms, experts, centres)."""

    def get_object(self, app_label, model_name, pk):
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError as error:
            raise Http404 from error
        if not issubclass(model, WorkflowMixin) or not issubclass(model, TranslatableMixin):
            raise Http404
        return get_object_or_404(model, pk=unquote(pk))

    def may_edit(self, user):
        return ModelPermissionPolicy(type(self.page)).user_has_permission_for_instance(user, "change", self.page)
