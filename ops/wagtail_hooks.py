"""Admin wiring for operations: Reports → Background tasks, for site administrators."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .task_report import RetryTaskView, TaskReportView, may_manage_tasks


class TaskReportMenuItem(MenuItem):
    def is_shown(self, request):
        return may_manage_tasks(request.user)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("tasks/", TaskReportView.as_view(), name="ops_task_report"),
        path("tasks/<uuid:task_id>/retry/", RetryTaskView.as_view(), name="ops_retry_task"),
    ]


@hooks.register("register_reports_menu_item")
def task_report_menu_item():
    return TaskReportMenuItem(
        _("Background tasks"), reverse("ops_task_report"), icon_name="cogs", name="background-tasks", order=900
    )
