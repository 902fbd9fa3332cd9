"""Reviewers comment on a page under review; they do not change it.

A reviewer reaches the page editor only through the workflow step waiting for them (the safeguards review), so
they can use Wagtail's comments: a comment anchored on a field (the safeguards section) that the editor then sees
in the same place. Wagtail's editor would save such a comment together with a new revision of the page, written
by the reviewer; with ``WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT`` that revision would make the review they are
about to approve stale (the workflow would come back to them), and it would let a reviewer change the text they
certify. So for users whose only way into the editor is the workflow step, a save keeps their comments and
nothing else, and a decision taken from the editor's action menu runs on the version they reviewed.
"""

import json

from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail.admin import messages
from wagtail.admin.views.pages.edit import EditView
from wagtail.models import Comment


def reviews_only(user, page):
    """May ``user`` open this page's editor only because its current workflow step waits for them?"""
    if user.is_superuser:
        return False
    permissions = page.permissions_for_user(user)
    if "change" in permissions.permissions or "add" in permissions.permissions and page.owner_id == user.pk:
        return False
    task = page.current_workflow_task
    return task is not None and task.user_can_access_editor(page, user)


def _save_comments(request, page):
    """Save the comment threads posted with the editor's form, without a new revision. Returns the form errors
    of the comments (an empty list when saved)."""
    latest = page.get_latest_revision_as_object()
    form_class = latest.get_edit_handler().get_form_class()
    form = form_class(
        request.POST, request.FILES, instance=latest, parent_page=page.get_parent(), for_user=request.user
    )
    comments = form.formsets.get("comments")
    if comments is None:
        return []
    if not comments.is_valid():
        return [error for errors in comments.errors for error in errors.values()] + list(comments.non_form_errors())
    comments.save()
    # The version the comment was made on (an update: Wagtail's ``Comment.save`` takes no ``update_fields``).
    Comment.objects.filter(pk__in=[comment.pk for comment in comments.new_objects]).update(
        revision_created=page.latest_revision
    )
    # Wagtail's editor logs each change to comments and notifies the page's subscribers; reuse its own code so
    # the history and the e-mails read the same as for an editor's comment.
    view = EditView()
    view.request, view.page, view.form = request, page, form
    changes = view.get_commenting_changes()
    view.log_commenting_changes(changes, page.latest_revision)
    view.send_commenting_notifications(changes)
    return []


def comment_without_editing(request, page):
    """``before_edit_page``: a reviewer's POST to the editor keeps their comments and never saves the page."""
    if request.method != "POST" or not reviews_only(request.user, page):
        return None
    if not request.accepts("text/html"):
        # The editor's autosave: refused with a reason (saving comments here too would save each new comment again
        # at the next save, as the autosave never learns their ids).
        message = _(
            "Not saved automatically: reviewers save their comments with “Save draft”; the page stays as submitted."
        )
        return JsonResponse({"success": False, "error_code": "blocked_by_hook", "error_message": message}, status=400)
    page = page.specific
    errors = _save_comments(request, page)
    if errors:
        for error in errors:
            messages.error(request, str(error))
        return redirect("wagtailadmin_pages:edit", page.pk)

    task = page.current_workflow_task
    action = request.POST.get("workflow-action-name")
    if request.POST.get("action-workflow-action") and action in [
        name for name, *_rest in task.get_actions(page, request.user)
    ]:
        try:
            extra = json.loads(request.POST.get("workflow-action-extra-data") or "{}")
        except ValueError:
            extra = {}
        # The same check as Wagtail's own workflow action view: the action's form (the safeguards checklist).
        form_class = task.get_form_for_action(action)
        form = form_class(extra if isinstance(extra, dict) else {}) if form_class else None
        if form is not None and not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect("wagtailadmin_pages:edit", page.pk)
        task.on_action(page.current_workflow_task_state, request.user, action, **(form.cleaned_data if form else {}))
        messages.success(
            request, _("Your decision on “%(title)s” is recorded.") % {"title": page.get_admin_display_title()}
        )
        return redirect("wagtailadmin_home")

    messages.success(
        request,
        _("Your comments on “%(title)s” are saved. Reviewers comment; the page itself is unchanged.")
        % {"title": page.get_admin_display_title()},
    )
    return redirect("wagtailadmin_pages:edit", page.pk)
