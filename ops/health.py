"""Liveness and readiness probes for a load balancer.

``/health/live`` answers as long as the process serves requests. ``/health/ready`` checks what a request needs:
the database and the cache must answer (else 503, so the balancer stops sending readers here); the search engine
being down only makes the server "degraded" (200), because searches then fall back to the database. Readiness also
counts the background tasks' database queues (``task_queue``). Neither names a host, a URL or a credential.
"""

import secrets
from datetime import timedelta

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.db.models import Count, Min, Q
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from search.health import engine_state, pending_updates

CACHE_PROBE_KEY = "health:probe"


def database_state():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return "down"
    return "ok"


def cache_state():
    token = secrets.token_hex(8)
    try:
        cache.set(CACHE_PROBE_KEY, token, timeout=10)
        answered = cache.get(CACHE_PROBE_KEY) == token
    except Exception:  # noqa: BLE001 - any cache backend's failure means "down" to the balancer
        answered = False
    return "ok" if answered else "down"


def task_queue():
    """The background tasks' database queues, all backends together, in one query: tasks due to run now, tasks
    running, how long the oldest due task has waited (seconds; 0 when none), and attempts that failed in the last
    hour (failed for good, or waiting to retry)."""
    now = timezone.now()
    hour_ago = now - timedelta(hours=1)
    due = Q(status=TaskResultStatus.READY) & (Q(run_after=get_date_max()) | Q(run_after__lte=now))
    figures = DBTaskResult.objects.filter(
        Q(status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]) | Q(finished_at__gte=hour_ago)
    ).aggregate(
        ready=Count("pk", filter=due),
        running=Count("pk", filter=Q(status=TaskResultStatus.RUNNING)),
        failed_last_hour=Count(
            "pk",
            filter=Q(status__in=[TaskResultStatus.FAILED, TaskResultStatus.READY], finished_at__gte=hour_ago)
            & ~Q(exception_class_path=""),
        ),
        # A task waits from its enqueueing, or from the moment its retry became due.
        enqueued=Min("enqueued_at", filter=due & Q(run_after=get_date_max())),
        due_since=Min("run_after", filter=due & Q(run_after__lte=now)),
    )
    waiting_since = min(filter(None, [figures.pop("enqueued"), figures.pop("due_since")]), default=now)
    return {**figures, "oldest_ready_age_seconds": round((now - waiting_since).total_seconds())}


@never_cache
@require_GET
def live(request):
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def ready(request):
    checks = {"database": database_state(), "cache": cache_state(), "search_engine": engine_state()}
    if checks["database"] == "ok":
        checks["search_pending_updates"] = pending_updates()
        # Reported, never a reason to be unready: the queues are worked by the task workers, not by this web node,
        # and every node shares them, so taking this node out of the balancer would shorten no queue (and, with a
        # long queue, would take every node out at once). Alerting on them is the monitoring's job.
        checks["task_queue"] = task_queue()
    if checks["database"] != "ok" or checks["cache"] != "ok":
        status, code = "unavailable", 503
    elif checks["search_engine"] == "down":
        status, code = "degraded", 200
    else:
        status, code = "ok", 200
    return JsonResponse({"status": status, "checks": checks}, status=code)
