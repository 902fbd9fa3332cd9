"""Submit a translated page into the moderation workflow (what wagtail-localize's editor lacks, its issue 676).

The translation editor stores each translated string as the translator types; this turns the strings into a new
draft revision of the translated page and hands that revision to the page's workflow, exactly as an editor's
"Submit for moderation" does. Nothing is published here: moderators approve, which publishes.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Page, WorkflowState
from wagtail_localize.models import Translation

from core.languages import language_name

from .languages import may_change_locale

# First-strong isolates: a title in one script inside a sentence in another keeps its own direction and does not
# drag the punctuation and numbers around it (in the page's <title> and header, where <bdi> cannot be used).
FSI, PDI = "\u2068", "\u2069"


def translation_title(title, language_code):
    """ "Translation of “…” into Arabic", in the admin's language, the title isolated from the sentence around it."""
    return _("Translation of “%(title)s” into %(language)s") % {
        "title": FSI + str(title) + PDI,
        "language": language_name(language_code),
    }


def translation_of(page):
    """The enabled wagtail-localize translation whose target is ``page``, or None."""
    return (
        Translation.objects.filter(
            source__object_id=page.translation_key, target_locale_id=page.locale_id, enabled=True
        )
        .select_related("source", "target_locale")
        .first()
    )


def submit_translation_for_moderation(translation, page, user):
    """Save the translated strings as a draft revision of ``page`` and put it into the page's workflow.
    Returns the workflow state. Raises ValidationError when the translation cannot be saved yet."""
    translation.save_target(user=user, publish=False)
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

    def dispatch(self, request, page_id):
        self.page = get_object_or_404(Page, pk=page_id).specific
        if not self.page.permissions_for_user(request.user).can_edit() or not may_change_locale(
            request.user, self.page.locale
        ):
            raise PermissionDenied
        self.translation = translation_of(self.page)
        if self.translation is None:
            raise Http404(_("This page is not a translation."))
        return super().dispatch(request, page_id)

    def get_page_title(self):
        return translation_title(self.page.get_admin_display_title(), self.page.locale.language_code)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse("wagtailadmin_pages:edit", args=[self.page.pk]),
                "label": self.page.get_admin_display_title(),
            },
            {"url": "", "label": self.get_page_title(), "sublabel": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        total, done = self.translation.get_progress()
        state = self.page.current_workflow_state
        return super().get_context_data(
            page=self.page,
            translation=self.translation,
            strings_total=total,
            strings_done=done,
            language=language_name(self.page.locale.language_code),
            workflow=self.page.get_workflow(),
            in_moderation=state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS,
            edit_url=reverse("wagtailadmin_pages:edit", args=[self.page.pk]),
            **kwargs,
        )

    def post(self, request, page_id):
        edit_url = reverse("wagtailadmin_pages:edit", args=[self.page.pk])
        title = self.page.get_admin_display_title()
        try:
            if request.POST.get("action") == "save":
                self.translation.save_target(user=request.user, publish=False)
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
            messages.warning(request, _("Draft of '%(title)s' saved; this page has no workflow.") % {"title": title})
        else:
            messages.success(
                request, _("The translation '%(title)s' has been submitted for moderation.") % {"title": title}
            )
        return redirect(edit_url)
