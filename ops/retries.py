"""A background task that fails on a database queue is tried again, a bounded number of times, with back-off.

``django-tasks`` has no retries of its own. When a worker (``manage.py db_worker``) records a failure, the
``task_finished`` signal puts the same task result back in the queue (``READY``) to run after a delay that doubles
each time (``TASK_RETRY``: 30 s, 1 min, 2 min, 4 min), until it has been attempted ``TASK_RETRY["ATTEMPTS"]`` times
in all; then it stays failed, listed under Reports → Background tasks with its error (``ops/task_report.py``), where
a site administrator can run it once more. Attempts are the workers that took the task (``worker_ids``: the
backend's own count), so a retried task keeps one row and one history.

A worker that is killed while it runs a task (or whose machine is lost) never records the end of it: the task would
stay running for ever. One still running ``TASK_RETRY["STALLED_AFTER_SECONDS"]`` after it started is "stalled":
``manage.py reclaim_stalled_tasks`` (run by the task timer) counts it as a failed attempt, with a ``WorkerLost`` error,
and puts it back in the queue at once, or leaves it failed after its last attempt, by the same rule.

This covers every task on a database backend, Wagtail's own (search and reference-index updates, file deletions,
front-cache purges) and ours (``books``). A search engine that does not answer is not a task failure: the index
backends record what it missed and replay it (``search/replay.py``). The immediate backend (development, tests)
runs a task inside the request that queued it, where waiting to retry is not an option: its failures are logged.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks.signals import task_finished
from django_tasks_db.backend import TaskResult as DatabaseTaskResult
from django_tasks_db.models import DBTaskResult

# Retrying cannot bring back an object deleted before its update ran (and nothing is then left to update).
NOT_RETRIED = (".DoesNotExist",)


def attempts_allowed():
    return settings.TASK_RETRY["ATTEMPTS"]


def delay_after(attempts):
    """The wait before the next attempt of a task that has failed ``attempts`` times."""
    return timedelta(seconds=settings.TASK_RETRY["FIRST_DELAY_SECONDS"] * 2 ** (attempts - 1))


def requeue(row, run_after):
    """Put a task result back in its queue. Its last error stays on the row until an attempt succeeds."""
    row.status = TaskResultStatus.READY
    row.run_after = run_after
    row.save(update_fields=["status", "run_after"])


@receiver(task_finished, dispatch_uid="ops-retry-failed-tasks")
def retry_failed_task(sender, task_result, **kwargs):
    if task_result.status != TaskResultStatus.FAILED or not isinstance(task_result, DatabaseTaskResult):
        return
    row = task_result.db_result
    attempts = len(row.worker_ids)
    if attempts >= attempts_allowed() or row.exception_class_path.endswith(NOT_RETRIED):
        return
    requeue(row, timezone.now() + delay_after(attempts))


def has_failed(row):
    """Failed for good, or waiting for its next attempt after a failure (a task that has not run yet takes its turn
    anyway)."""
    return row.status == TaskResultStatus.FAILED or (row.status == TaskResultStatus.READY and bool(row.worker_ids))


def retry_now(task_id):
    """A site administrator's "Retry now": a task that failed runs at the next free worker. Returns False for one
    that has not failed, is running, done or gone (pruned): nothing to retry."""
    with transaction.atomic():
        row = DBTaskResult.objects.select_for_update().filter(pk=task_id).first()
        if row is None or not has_failed(row):
            return False
        requeue(row, timezone.now())
    return True


class WorkerLost(Exception):  # noqa: N818 - named for what the report shows, like the errors tasks raise
    """The error recorded for a task whose worker stopped before the task ended."""


def stalled_since():
    """Tasks running since before this moment have lost their worker."""
    return timezone.now() - timedelta(seconds=settings.TASK_RETRY["STALLED_AFTER_SECONDS"])


def is_stalled(row):
    return row.status == TaskResultStatus.RUNNING and row.started_at is not None and row.started_at < stalled_since()


def reclaim_stalled():
    """Record a lost attempt on every stalled task, then queue it again (or leave it failed after its last attempt).
    Returns ``(requeued, failed)`` counts.

    Each row changes only if it is still the same run (status and start unchanged), so a worker that finishes the
    task meanwhile keeps its result, and two reclaims at once count an attempt once."""
    requeued = failed = 0
    now = timezone.now()
    minutes = settings.TASK_RETRY["STALLED_AFTER_SECONDS"] // 60
    error = f"{WorkerLost.__module__}.{WorkerLost.__qualname__}"
    stalled = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=stalled_since())
    for row in stalled.only("pk", "started_at", "worker_ids"):
        gives_up = len(row.worker_ids) >= attempts_allowed()
        changed = DBTaskResult.objects.filter(pk=row.pk, status=TaskResultStatus.RUNNING, started_at=row.started_at)
        outcome = {"status": TaskResultStatus.READY, "run_after": now}
        if gives_up:
            outcome = {"status": TaskResultStatus.FAILED}
        count = changed.update(
            **outcome,
            finished_at=now,
            exception_class_path=error,
            traceback=f"{error}: the worker running this task stopped; still running after {minutes} minutes\n",
        )
        if count and gives_up:
            failed += 1
        elif count:
            requeued += 1
    return requeued, failed
