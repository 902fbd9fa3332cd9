"""Admin for the handbook: reference data (taxonomy terms, experts and centres as snippets, countries in modeladmin)
and the publishing guard of case studies."""

from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList, Panel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup
from wagtail_modeladmin.options import ModelAdmin, modeladmin_register

from translations.unpublish import TranslatedPageViewSet

from .admin_views import ReviewerRevisionsCompareView
from .models import CaseStudyPage, CentreOfExcellence, Country, Expert, Term
from .models.editing import ExpertForm, ReferenceDataForm
from .models.review import may_still_edit, safeguards_review_passed
from .reviewing import comment_without_editing


class TermViewSet(SnippetViewSet):
    model = Term
    icon = "tag"
    menu_label = _("Taxonomy terms")
    list_display = ["name", "code", "vocabulary", "locale"]
    list_filter = ["vocabulary", "locale"]
    search_fields = ["name", "code"]
    ordering = ["vocabulary", "sort_order"]


class ConsentHistoryPanel(Panel):
    """The expert's consent records, newest first: read-only, since the history is append-only."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "handbook/admin/consent_history.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            if self.instance.pk:
                context["records"] = self.instance.consent_history.select_related("recorded_by")
            return context


class ExpertViewSet(SnippetViewSet):
    """Experts: the profile, then the expert's decision on who may see it, recorded as consent (``ExpertForm``)."""

    model = Expert
    icon = "user"
    list_display = ["name", "role", "country", "visibility", "locale"]
    list_filter = ["locale", "visibility"]
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [FieldPanel(name) for name in ["name", "name_latin", "role", "organisation", "country", "languages"]],
                heading=_("Profile"),
            ),
            MultiFieldPanel(
                [FieldPanel(name) for name in ["pillars", "themes", "target_groups"]], heading=_("Expertise")
            ),
            FieldPanel("bio"),
            MultiFieldPanel([FieldPanel("email"), FieldPanel("account")], heading=_("Private: never published")),
            MultiFieldPanel(
                [FieldPanel("consent_visibility"), FieldPanel("consent_notice_version"), ConsentHistoryPanel()],
                heading=_("Consent"),
            ),
        ],
        base_form_class=ExpertForm,
    )


class CentreViewSet(SnippetViewSet):
    model = CentreOfExcellence
    icon = "site"
    list_display = ["name", "country", "locale"]
    list_filter = ["locale"]
    edit_handler = ObjectList(
        [
            FieldPanel(name)
            for name in [
                "name",
                "country",
                "city",
                "description",
                "pillars",
                "themes",
                "experts",
                "website",
                "contact_url",
                "contact_email",
            ]
        ],
        base_form_class=ReferenceDataForm,
    )


class ReferenceDataGroup(SnippetViewSetGroup):
    items = (TermViewSet, ExpertViewSet, CentreViewSet)
    menu_icon = "folder-open-inverse"
    menu_label = _("Reference data")
    menu_name = "reference-data"


register_snippet(ReferenceDataGroup)


class CountryAdmin(ModelAdmin):
    """Countries are plain reference data (ISO code and region); their names come from CLDR."""

    model = Country
    menu_icon = "globe"
    menu_label = _("Countries")
    menu_order = 210
    list_display = ["code", "name", "region"]
    list_filter = ["region"]
    search_fields = ["code"]
    add_to_settings_menu = False


modeladmin_register(CountryAdmin)


@hooks.register("before_publish_page")
def refuse_publishing_an_unreviewed_case_study(request, page):
    """The editor's "Publish" checks permission before it saves the new revision; this runs after, so a case study
    changed since its safeguards review is saved as a draft but not published (superusers excepted)."""
    if isinstance(page.specific, CaseStudyPage) and not request.user.is_superuser:
        page.refresh_from_db(fields=["latest_revision"])
        if not safeguards_review_passed(page):
            messages.error(
                request,
                _(
                    "Saved as a draft, not published: case studies are published after the human-rights safeguards "
                    "review of this version. Submit it for review."
                ),
            )
            return redirect("wagtailadmin_pages:edit", page.pk)
    return None


hooks.register("before_edit_page", comment_without_editing)


class CaseStudyPageViewSet(TranslatedPageViewSet):
    """Case studies' admin views: reviewers may compare the versions of a practice that awaits their review."""

    model = CaseStudyPage
    revisions_compare_view_class = ReviewerRevisionsCompareView
    # Only the page views: the explorer keeps Wagtail's listing of the practice listing's children.
    parent_models = []


@hooks.register("register_admin_viewset")
def case_study_page_viewset():
    return CaseStudyPageViewSet("case_study_pages")


@hooks.register("after_edit_page")
def leave_the_editor_after_the_last_decision_in_it(request, page):
    """A reviewer's decision in the editor ends their access to it; Wagtail would send them to the page explorer,
    which they cannot open, and they would read "Sorry, you do not have permission" under their success message.
    The dashboard, where their next review waits, is the place they can see."""
    if not may_still_edit(page, request.user):
        return redirect("wagtailadmin_home")
    return None
