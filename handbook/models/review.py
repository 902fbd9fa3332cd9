"""The human-rights safeguards review: a workflow step every practice case study passes before publication.

A reviewer confirms a short checklist (legal basis, do-no-harm, data protection, gender) to approve, or requests
changes with a comment saying what has to change. The checklist answers are kept in the task state's comment, so
they show in the page's workflow history and audit log.
"""

from typing import NamedTuple

from django import forms
from django.db.models import CharField
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.models import AbstractGroupApprovalTask, Page, TaskState, Workflow, WorkflowState

from core.languages import join_list
from core.prepared import PreparedQuery
from translations.permissions import LanguagePagePermissionTester


class Safeguard(NamedTuple):
    """One item of the human-rights and gender safeguards: the editor writes it up in its own field of the case
    study, and the reviewer confirms it in the checklist. Both labels come from here."""

    name: str
    title: str
    statement: str  # what the reviewer confirms
    help_text: str  # what the editor is asked to write

    @property
    def field_name(self):
        return f"safeguards_{self.name}"

    @property
    def checklist_label(self):
        return format_lazy(_("{item}: {statement}"), item=self.title, statement=self.statement)


SAFEGUARDS = [
    Safeguard(
        "legal_basis",
        _("Legal basis"),
        _("the practice rests on domestic law consistent with international human rights law"),
        _("The laws and mandates the practice rests on, and how they meet international human rights law."),
    ),
    Safeguard(
        "do_no_harm",
        _("Do no harm"),
        _("publishing it cannot endanger participants, communities or staff"),
        _("Risks to participants, communities and staff, and how the practice and this page avoid them."),
    ),
    Safeguard(
        "data_protection",
        _("Data protection"),
        _("no personal data of participants or beneficiaries is disclosed"),
        _("How personal data of participants and beneficiaries is collected, kept and kept out of this page."),
    ),
    Safeguard(
        "gender",
        _("Gender"),
        _("gender dimensions and the effects on women and girls are addressed"),
        _("How the practice addresses gender dimensions and its effects on women and girls."),
    ),
]


class SafeguardsChecklistForm(forms.Form):
    """Approval: every item of the checklist must be confirmed."""

    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for safeguard in SAFEGUARDS:
            self.fields[safeguard.name] = forms.BooleanField(
                label=safeguard.checklist_label,
                required=True,
                error_messages={"required": _("Confirm this safeguard before approving.")},
            )
        self.order_fields([safeguard.name for safeguard in SAFEGUARDS] + ["comment"])


class SafeguardsRejectionForm(forms.Form):
    """Requesting changes needs a comment: the editor has to know what to fix."""

    comment = forms.CharField(
        label=_("What has to change"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Say what has to change before sending the page back.")},
    )


class SafeguardsReviewTask(AbstractGroupApprovalTask):
    """Members of the chosen groups (the "Reviewers") approve against the safeguards checklist or request changes."""

    def get_actions(self, obj, user):
        if user.is_superuser or self._user_in_groups(user):
            return [
                ("reject", _("Request changes"), True),
                ("approve", _("Confirm safeguards and approve"), True),
            ]
        return []

    def get_form_for_action(self, action):
        return SafeguardsChecklistForm if action == "approve" else SafeguardsRejectionForm

    def on_action(self, task_state, user, action_name, **kwargs):
        if action_name == "approve":
            confirmed = [str(safeguard.title) for safeguard in SAFEGUARDS if kwargs.pop(safeguard.name, False)]
            if len(confirmed) != len(SAFEGUARDS):
                # Only reachable by calling the task directly: the form already refuses an incomplete checklist.
                return None
            comment = kwargs.get("comment", "").strip()
            kwargs["comment"] = _("Safeguards confirmed: %(items)s.") % {"items": join_list(confirmed)} + (
                f" {comment}" if comment else ""
            )
        redirect_url = super().on_action(task_state, user, action_name, **kwargs)
        # The decision usually ends a reviewer's access to the page: send them where they can see (the dashboard,
        # with their next reviews) rather than back to an editor that would refuse them.
        if redirect_url is None and not may_still_edit(task_state.workflow_state.content_object, user):
            return reverse("wagtailadmin_home")
        return redirect_url

    @classmethod
    def get_description(cls):
        return _("Reviewers confirm the human-rights safeguards checklist before a case study can be published")

    class Meta:
        verbose_name = _("human-rights safeguards review")
        verbose_name_plural = _("human-rights safeguards reviews")


def _safeguards_reviews_query(page_id, content_type_id):
    # Workflow states name their page by a text object_id: one query, with the translations' ids as a subquery.
    translations = (
        Page.objects.filter(translation_key__in=Page.objects.filter(pk=page_id).values("translation_key"))
        .annotate(id_text=Cast("pk", CharField()))
        .values("id_text")
    )
    task_states = TaskState.objects.filter(
        status=TaskState.STATUS_APPROVED,
        task__in=SafeguardsReviewTask.objects.all(),
        workflow_state__base_content_type_id=content_type_id,
        workflow_state__object_id__in=translations,
    )
    return task_states.order_by("-finished_at").values("finished_at")[:1]


# Asked by every case study a reader opens: compiled once per process (core/prepared.py).
_SAFEGUARDS_REVIEWS = PreparedQuery(_safeguards_reviews_query)


def safeguards_review_date(page):
    """When the latest approved safeguards review of this practice (in any of its languages) finished, or None."""
    if not page.pk:  # a preview of a practice not yet saved: never reviewed
        return None
    rows = _SAFEGUARDS_REVIEWS(page_id=page.pk, content_type_id=page.get_base_content_type().pk)
    return rows[0]["finished_at"] if rows else None


def case_study_workflow():
    """The active workflow that contains the safeguards review (created by a data migration), or None if an
    administrator has deactivated it."""

    return (
        Workflow.objects.active()
        .filter(workflow_tasks__task__in=SafeguardsReviewTask.objects.filter(active=True))
        .order_by("pk")
        .first()
    )


def safeguards_review_passed(page):
    """Whether the page's latest workflow passed the safeguards review: still in progress after the review, or just
    approved (the moderators' approval publishes after the workflow state is marked approved)."""
    workflow_state = (
        WorkflowState.objects.for_instance(page)
        .filter(status__in=[WorkflowState.STATUS_IN_PROGRESS, WorkflowState.STATUS_APPROVED])
        .order_by("-created_at", "-pk")
        .first()
    )
    if workflow_state is None:
        return False
    # The review must have approved the very revision that is about to go live: an edit made after the review
    # (even by a moderator, even with the "Publish" button) needs a new review.
    return TaskState.objects.filter(
        workflow_state=workflow_state,
        status=TaskState.STATUS_APPROVED,
        task__in=SafeguardsReviewTask.objects.all(),
        revision_id=page.latest_revision_id,
    ).exists()


class CaseStudyPermissionTester(LanguagePagePermissionTester):
    """Publishing a case study needs a passed safeguards review, so a moderator's "Publish" button (or the bulk
    publish action) cannot skip it; the moderators' approval at the end of the workflow can publish. Superusers
    keep the emergency override. Unpublishing stays with moderators: taking a page down must never wait."""

    def can_publish(self):
        if not super().can_publish():
            return False
        return self.user.is_superuser or safeguards_review_passed(self.page)


def may_still_edit(page, user):
    """Whether ``user`` may still open the editor of ``page``, read afresh (a workflow decision changes it)."""
    fresh = Page.objects.filter(pk=page.pk).first()
    return fresh is not None and fresh.specific.permissions_for_user(user).can_edit()
