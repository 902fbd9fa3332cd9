"""Background tasks on the database queues production runs (``django-tasks-db``), worked by ``manage.py db_worker``:
a publish's index update waits for the worker; a failed task is retried with back-off, a bounded number of times
(``TASK_RETRY``, ``ops/retries.py``); what failed for good is listed under Reports → Background tasks for site
administrators, who can retry it. Every other test keeps the immediate backend (``config/settings/base.py``)."""

import re
from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.management.commands import db_worker as db_worker_command
from django_tasks_db.models import DBTaskResult
from modelsearch.tasks import insert_or_update_object_task
from wagtail.users.models import UserProfile

from handbook.models import CaseStudyPage

from .conftest import VerifiedClient

pytestmark = pytest.mark.django_db
REPORT = "/admin/tasks/"


@task(takes_context=True)
def fails_on_first_attempt(context):
    if context.attempt < 2:
        raise RuntimeError("the first attempt fails")
    return "done"


@task()
def always_fails():
    raise RuntimeError("this sample task always fails")


@pytest.fixture
def database_queues(settings):
    """Every task backend a database queue, as in production (``config/settings/production.py``)."""
    settings.TASKS = {
        name: {**options, "BACKEND": "django_tasks_db.DatabaseBackend"} for name, options in settings.TASKS.items()
    }


@pytest.fixture
def no_delay(settings):
    """Retries due at once, so that one pass of the worker makes every attempt (the delays have their own test)."""
    settings.TASK_RETRY = {**settings.TASK_RETRY, "FIRST_DELAY_SECONDS": 0}


def work(backend="default"):
    """One pass of the production worker: every task that is due, then exit.

    The worker closes "old" database connections between tasks, as a long-running process should. Inside a test's
    transaction that would close the test's own connection on PostgreSQL (SQLite's in-memory test database ignores
    it), so that one call is made a no-op here; everything else the worker does is real."""
    with mock.patch.object(db_worker_command, "close_old_connections", lambda: None):
        call_command(
            "db_worker", "--batch", "--no-startup-delay", "--backend", backend, "--queue-name", "*", verbosity=0
        )


def row_of(result):
    return DBTaskResult.objects.get(pk=result.id)


def signed_in(username, **kwargs):
    client = VerifiedClient(**kwargs)
    client.force_login(get_user_model().objects.get(username=username))
    return client


def result_ids(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return [int(pk) for pk in re.findall(r'class="result" data-page-id="(\d+)"', response.content.decode())]


def test_a_publish_is_indexed_by_the_worker_not_by_the_request(client, database_queues):
    practice = CaseStudyPage.objects.filter(locale__language_code="en", live=True).first()
    practice.title = "Quokka island dialogue"
    practice.save_revision().publish()
    assert practice.pk not in result_ids(client, "/en/search/?q=quokka")  # queued, not done by the publish
    queued = signed_in("webmaster").get(REPORT).content.decode()
    assert re.search(r"<td>Search index update</td>\s*<td><bdi>Quokka island dialogue</bdi></td>\s*<td>Queued", queued)
    assert "Retry now</button>" not in queued  # nothing has failed: each task takes its turn

    work()

    assert practice.pk in result_ids(client, "/en/search/?q=quokka")
    assert not DBTaskResult.objects.exclude(status=TaskResultStatus.SUCCESSFUL).exists()


def test_a_failed_task_waits_longer_before_each_new_attempt_unless_retried_now(database_queues):
    result = always_fails.enqueue()
    work()
    row = row_of(result)
    assert (row.status, len(row.worker_ids)) == (TaskResultStatus.READY, 1)
    assert timedelta(seconds=25) < row.run_after - timezone.now() <= timedelta(seconds=30)

    work()  # not due yet
    assert len(row_of(result).worker_ids) == 1

    webmaster = signed_in("webmaster")
    listed = re.search(rf'<tr data-task-id="{row.pk}".*?</tr>', webmaster.get(REPORT).content.decode(), re.S).group(0)
    assert "Waiting to retry" in listed
    assert "RuntimeError: this sample task always fails" in listed
    webmaster.post(f"{REPORT}{row.pk}/retry/")
    work()
    row = row_of(result)
    assert len(row.worker_ids) == 2
    assert timedelta(seconds=55) < row.run_after - timezone.now() <= timedelta(seconds=60)


def test_a_task_that_fails_once_is_retried_and_succeeds(database_queues, no_delay):
    result = fails_on_first_attempt.enqueue()
    work()
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.attempts == 2
    assert result.return_value == "done"


def test_an_update_of_an_object_deleted_before_it_ran_is_not_retried(database_queues):
    result = insert_or_update_object_task.enqueue("handbook", "casestudypage", "999999")
    work()
    row = row_of(result)
    assert (row.status, len(row.worker_ids)) == (TaskResultStatus.FAILED, 1)
    assert row.exception_class_path.endswith("CaseStudyPage.DoesNotExist")


def test_a_task_that_always_fails_ends_failed_in_the_report_and_retry_queues_it_again(database_queues, no_delay):
    result = always_fails.enqueue()
    work()
    row = row_of(result)
    assert (row.status, len(row.worker_ids)) == (TaskResultStatus.FAILED, 5)

    webmaster = signed_in("webmaster")
    assert REPORT in webmaster.get("/admin/").content.decode()  # in the Reports menu
    body = webmaster.get(REPORT).content.decode()
    listed = re.search(rf'<tr data-task-id="{row.pk}" data-status="FAILED">(.*?)</tr>', body, re.S).group(1)
    assert "always_fails" in listed
    assert "<td>5</td>" in listed
    assert "RuntimeError: this sample task always fails" in listed
    assert "Retry now" in listed

    response = webmaster.post(f"{REPORT}{row.pk}/retry/", follow=True)
    assert "The task will run at the next free worker." in response.content.decode()
    assert row_of(result).status == TaskResultStatus.READY

    work()  # one more attempt, and no more retries of its own
    row = row_of(result)
    assert (row.status, len(row.worker_ids)) == (TaskResultStatus.FAILED, 6)

    profile = UserProfile.get_for_user(get_user_model().objects.get(username="webmaster"))
    profile.preferred_language = "ar"
    profile.save()
    arabic = webmaster.get(REPORT).content.decode()
    assert "المهام في الخلفية" in arabic
    assert "فشلت" in arabic
    assert "إعادة المحاولة الآن" in arabic


def test_the_report_is_for_site_administrators_only(database_queues, no_delay):
    result = always_fails.enqueue()
    work()
    retry = f"{REPORT}{result.id}/retry/"
    for username in ["editor", "moderator", "translator"]:
        user = signed_in(username)
        assert REPORT not in user.get("/admin/").content.decode()
        response = user.get(REPORT)
        assert response.status_code == 403
        assert "for site administrators" in response.content.decode()
        assert user.post(retry).status_code == 403
    assert signed_in("webmaster", enforce_csrf_checks=True).post(retry).status_code == 403  # no CSRF token
    assert row_of(result).status == TaskResultStatus.FAILED


def test_nothing_failed_or_waiting_says_so_and_a_stale_retry_is_explained(database_queues):
    webmaster = signed_in("webmaster")
    assert "No failed or waiting tasks" in webmaster.get(REPORT).content.decode()
    gone = f"{REPORT}00000000-0000-0000-0000-000000000000/retry/"  # pruned since the report was shown
    assert "there is nothing to retry" in webmaster.post(gone, follow=True).content.decode()
    assert webmaster.get(gone).status_code == 405


def report_row(body, pk):
    return re.search(rf'<tr data-task-id="{pk}".*?</tr>', body, re.S).group(0)


def killed_mid_task(result, minutes_ago, attempts=1):
    """What a worker killed while it ran ``result`` leaves behind: the row it claimed, running since then."""
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - timedelta(minutes=minutes_ago),
        worker_ids=[f"killed-worker-{n}" for n in range(attempts)],
    )


def test_a_task_whose_worker_was_killed_is_queued_again_and_its_index_update_done(client, database_queues):
    practice = CaseStudyPage.objects.filter(locale__language_code="en", live=True).first()
    practice.title = "Quokka island dialogue"
    practice.save_revision().publish()
    updates = DBTaskResult.objects.filter(task_path=insert_or_update_object_task.module_path)
    update = updates.filter(args_kwargs__args=["handbook", "casestudypage", str(practice.pk)]).first()
    killed_mid_task(update, minutes_ago=16)
    busy = always_fails.enqueue()
    killed_mid_task(busy, minutes_ago=14)  # still within its time: another worker may be running it
    DBTaskResult.objects.exclude(pk__in=[update.pk, busy.id]).delete()  # the page's other updates: not under test

    webmaster = signed_in("webmaster")
    report = webmaster.get(REPORT).content.decode()
    assert "<td>Stalled</td>" in report_row(report, update.pk)
    assert "<td>Running</td>" in report_row(report, busy.id)
    assert "still running 15 minutes after it started is stalled" in report
    work()  # the workers take no task that is running
    assert practice.pk not in result_ids(client, "/en/search/?q=quokka")

    output = StringIO()
    call_command("reclaim_stalled_tasks", stdout=output)
    assert "1 queued again, 0 failed" in output.getvalue()
    assert row_of(busy).status == TaskResultStatus.RUNNING
    listed = report_row(webmaster.get(REPORT).content.decode(), update.pk)
    assert "Waiting to retry" in listed
    assert "WorkerLost: the worker running this task stopped" in listed

    DBTaskResult.objects.filter(pk=busy.id).delete()
    work()
    assert row_of(update).status == TaskResultStatus.SUCCESSFUL
    assert len(row_of(update).worker_ids) == 2
    assert practice.pk in result_ids(client, "/en/search/?q=quokka")


def test_a_stalled_task_on_its_last_attempt_stays_failed_and_can_be_retried(database_queues):
    result = always_fails.enqueue()
    killed_mid_task(result, minutes_ago=60, attempts=5)
    call_command("reclaim_stalled_tasks", stdout=StringIO())
    call_command("reclaim_stalled_tasks", stdout=StringIO())  # the timer again: the attempt counted once
    row = row_of(result)
    assert (row.status, len(row.worker_ids)) == (TaskResultStatus.FAILED, 5)
    listed = re.search(
        rf'<tr data-task-id="{row.pk}".*?</tr>', signed_in("webmaster").get(REPORT).content.decode(), re.S
    )
    assert "WorkerLost" in listed.group(0)
    assert "Retry now" in listed.group(0)
