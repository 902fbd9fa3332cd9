"""Reports → Background tasks: the tasks of the database queues that failed for good or are still waiting to run
(queued, waiting to retry, running, stalled: its worker stopped), each with its subject, attempts and last error,
and "Retry now" (of a task that failed) for site administrators (``ops/retries.py`` says when tasks are retried by
themselves)."""

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max
from modelsearch.tasks import insert_or_update_object_task
from wagtail.models import Page
from wagtail.tasks import update_reference_index_task

from accounts.refusals import render_refusal
from accounts.roles import SITE_ADMINISTRATORS, group_names
from books.tasks import render_edition

from .retries import attempts_allowed, has_failed, is_stalled, retry_now

REFUSED = gettext_lazy("The background tasks are for site administrators.")
SHOWN = 100
# What the tasks the site queues are called here, and how to find what each is about from its arguments.
OBJECT_ARGUMENTS = ("app_label", "model_name", "pk")
KNOWN_TASKS = {
    insert_or_update_object_task.module_path: (gettext_lazy("Search index update"), OBJECT_ARGUMENTS),
    update_reference_index_task.module_path: (gettext_lazy("Reference index update"), OBJECT_ARGUMENTS),
    render_edition.module_path: (gettext_lazy("PDF edition"), ("pk",)),
}
STATUS_ORDER = [TaskResultStatus.FAILED, TaskResultStatus.RUNNING, TaskResultStatus.READY]


def may_manage_tasks(user):
    return user.is_active and (user.is_superuser or SITE_ADMINISTRATORS in group_names(user))


def subject_of(row):
    """``(model, pk)`` of the object a known task is about, or None."""
    _label, arguments = KNOWN_TASKS.get(row.task_path, (None, ()))
    args = row.args_kwargs.get("args", [])
    if not arguments or len(args) != len(arguments):
        return None
    named = dict(zip(arguments, args, strict=True))
    try:
        model = apps.get_model(named["app_label"], named["model_name"]) if "app_label" in named else Page
    except (LookupError, ValueError):
        return None
    return model, str(named["pk"])


def described(rows):
    """Each row with its task's name, its subject's title (one query per model) and what the report says of it."""
    subjects = {row.pk: subject_of(row) for row in rows}
    ids_by_model = {}
    for subject in filter(None, subjects.values()):
        ids_by_model.setdefault(subject[0], set()).add(subject[1])
    titles = {}
    for model, ids in ids_by_model.items():
        for pk, obj in model._default_manager.in_bulk(list(ids)).items():
            titles[(model, str(pk))] = str(obj)
    for row in rows:
        label = KNOWN_TASKS.get(row.task_path, (None,))[0]
        row.label = label or row.task_name
        subject = subjects[row.pk]
        row.subject = titles.get(subject, subject[1]) if subject else ""
        row.attempts = len(row.worker_ids)
        waits = row.status == TaskResultStatus.READY and row.run_after != get_date_max()
        row.next_attempt = row.run_after if waits else None
        row.error = row.traceback.strip().splitlines()[-1] if row.traceback.strip() else ""
        row.state = {
            TaskResultStatus.FAILED: _("Failed"),
            TaskResultStatus.RUNNING: _("Stalled") if is_stalled(row) else _("Running"),
            TaskResultStatus.READY: _("Waiting to retry") if row.attempts else _("Queued"),
        }[row.status]
        row.retriable = has_failed(row)
    return rows


class SiteAdministratorsOnly:
    def dispatch(self, request, *args, **kwargs):
        if not may_manage_tasks(request.user):
            return render_refusal(request, REFUSED)
        return super().dispatch(request, *args, **kwargs)


class TaskReportView(SiteAdministratorsOnly, TemplateView):
    template_name = "ops/task_report.html"

    def get_context_data(self, **kwargs):
        unfinished = DBTaskResult.objects.filter(status__in=STATUS_ORDER)
        failed = unfinished.filter(status=TaskResultStatus.FAILED)
        # Failed first (newest first), then what is running and waiting, in the order the workers will take it.
        rows = list(failed.order_by("-finished_at")[:SHOWN])
        rows += list(unfinished.exclude(status=TaskResultStatus.FAILED)[: SHOWN - len(rows)])
        return super().get_context_data(
            page_title=_("Background tasks"),
            tasks=described(rows),
            failed=failed.count(),
            waiting=unfinished.exclude(status=TaskResultStatus.FAILED).count(),
            shown=SHOWN,
            attempts=attempts_allowed(),
            stalled_minutes=settings.TASK_RETRY["STALLED_AFTER_SECONDS"] // 60,
            **kwargs,
        )


class RetryTaskView(SiteAdministratorsOnly, View):
    http_method_names = ["post"]

    def post(self, request, task_id):
        if retry_now(task_id):
            messages.success(request, _("The task will run at the next free worker."))
        else:
            messages.warning(request, _("This task is running, finished or no longer kept: there is nothing to retry."))
        return redirect("ops_task_report")
