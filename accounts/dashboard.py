"""The editor's desk: panels on the admin's home page that show each person the work waiting for them.

- *My drafts*: pages whose latest version is mine and is not live yet (new, or changed since publication), outside
  any moderation.
- *Changes requested of me*: pages I sent into moderation that came back, with the reviewer's comment.
- *Waiting for my review or approval*: workflow steps I can act on now (the safeguards review for reviewers, the
  moderators' approval for moderators), whatever the page's language.

Each panel lists only what its reader may open and act on; a panel with nothing in it is not shown.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component
from wagtail.models import Page, Revision, TaskState, WorkflowState, get_default_page_content_type

PANEL_LIMIT = 10  # the desk is a to-do list, not an archive: the rest is one click away in the page explorer


class DeskPanel(Component):
    """A dashboard panel whose rows are computed for the signed-in user."""

    order = 100
    heading = ""

    def rows(self, user):
        raise NotImplementedError

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        return {
            "rows": self.rows(request.user),
            "request": request,
            "heading": self.heading,
            "panel_id": self.name.replace("_", "-"),
        }


def _page_states(queryset):
    """Workflow states of pages only (snippets have none here) with their page loaded."""
    return queryset.filter(base_content_type_id=get_default_page_content_type().pk)


class MyDraftsPanel(DeskPanel):
    name = "desk_my_drafts"
    heading = _("My drafts")
    template_name = "accounts/dashboard/my_drafts.html"
    order = 100

    def rows(self, user):
        in_moderation = _page_states(WorkflowState.objects.active()).values_list("object_id", flat=True)
        pages = (
            Page.objects.filter(latest_revision__user=user, alias_of__isnull=True)
            .filter(Q(live=False) | Q(has_unpublished_changes=True))
            .exclude(pk__in=[int(pk) for pk in in_moderation])
            .select_related("locale")
            .order_by("-latest_revision_created_at")
        )
        rows = []
        for page in pages.specific(defer=True):
            if page.permissions_for_user(user).can_edit():
                rows.append({"page": page})
            if len(rows) == PANEL_LIMIT:
                break
        return rows


class ChangesRequestedPanel(DeskPanel):
    name = "desk_changes_requested"
    heading = _("Changes requested of me")
    template_name = "accounts/dashboard/changes_requested.html"
    order = 110

    def rows(self, user):
        states = (
            _page_states(WorkflowState.objects.filter(status=WorkflowState.STATUS_NEEDS_CHANGES))
            .filter(requested_by=user)
            .select_related("current_task_state", "current_task_state__finished_by", "current_task_state__task")
            .order_by("-current_task_state__finished_at")
        )
        rows = []
        for state in states:
            page = state.content_object
            if page is None or not page.permissions_for_user(user).can_edit():
                continue
            task_state = state.current_task_state
            rows.append(
                {
                    "page": page.specific_deferred,
                    "comment": task_state.comment if task_state else "",
                    "by": task_state.finished_by if task_state else None,
                    "at": task_state.finished_at if task_state else None,
                }
            )
            if len(rows) == PANEL_LIMIT:
                break
        return rows


class AwaitingMyReviewPanel(DeskPanel):
    name = "desk_awaiting_my_review"
    heading = _("Waiting for my review or approval")
    template_name = "accounts/dashboard/awaiting_my_review.html"
    order = 120

    @staticmethod
    def previous_revision(revision):
        """The version before the one under review, if any (the first version has none to compare with)."""
        if revision is None:
            return None
        try:
            return revision.get_previous()
        except Revision.DoesNotExist:
            return None

    def rows(self, user):
        states = (
            TaskState.objects.reviewable_by(user)
            .filter(workflow_state__base_content_type_id=get_default_page_content_type().pk)
            .select_related("task", "workflow_state__requested_by", "revision")
            .order_by("started_at")
        )
        rows = []
        for task_state in states:
            page = task_state.workflow_state.content_object
            if page is None:
                continue
            page = page.specific_deferred
            # Only what the reader can act on: the task offers them an action and they can open the editor.
            actions = task_state.task.specific.get_actions(page, user)
            if not actions or not page.permissions_for_user(user).can_edit():
                continue
            previous = self.previous_revision(task_state.revision)
            rows.append(
                {
                    "page": page,
                    "task": task_state.task.specific,
                    "task_state": task_state,
                    # Decided from the row, as on Wagtail's own panel (which this one replaces): each action's
                    # form opens over the dashboard and comes back to it.
                    "actions": actions,
                    "revision": task_state.revision,
                    "previous_revision": previous,
                    "by": task_state.workflow_state.requested_by,
                    "since": task_state.started_at,
                }
            )
            if len(rows) == PANEL_LIMIT:
                break
        return rows


DESK_PANELS = [MyDraftsPanel, ChangesRequestedPanel, AwaitingMyReviewPanel]
