"""What a load balancer and an operator see on the health probes: liveness, and readiness with each component's
state, never a host name, URL or credential."""

import socket
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from search.backends import search_backends_from_env

pytestmark = pytest.mark.django_db


def closed_port():
    """A port nothing listens on: an engine that is down."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_liveness(client):
    response = client.get("/health/live/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_readiness_on_the_database_backend(client):
    response = client.get("/health/ready/")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {
            "database": "ok",
            "cache": "ok",
            "search_engine": "not configured",
            "search_pending_updates": 0,
            "task_queue": {"ready": 0, "running": 0, "oldest_ready_age_seconds": 0, "failed_last_hour": 0},
        },
    }


def test_readiness_with_the_engine_down_is_degraded_not_unavailable(client, settings):
    url = f"http://127.0.0.1:{closed_port()}"
    settings.WAGTAILSEARCH_BACKENDS = search_backends_from_env(
        {"SEARCH_BACKEND": "elasticsearch7", "SEARCH_URL": url, "SEARCH_TIMEOUT": "1"}
    )
    response = client.get("/health/ready/")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["checks"]["search_engine"] == "down"
    assert "127.0.0.1" not in response.content.decode()


def test_probes_answer_get_only(client):
    assert client.post("/health/ready/").status_code == 405


def task_row(status, minutes_ago=0, due_in=None, failed_minutes_ago=None, error=""):
    """A row of the database task queue as the workers leave it: enqueued ``minutes_ago``; ``due_in`` minutes (a
    retry's wait, negative once due); finished ``failed_minutes_ago`` with ``error``."""
    now = timezone.now()
    row = DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": [], "kwargs": {}},
        task_path="tests.test_background_tasks.always_fails",
        backend_name="default",
        run_after=get_date_max() if due_in is None else now + timedelta(minutes=due_in),
        exception_class_path=error,
        traceback=error,
        worker_ids=["w1"] if error else [],
        started_at=now if status == TaskResultStatus.RUNNING else None,
        finished_at=None if failed_minutes_ago is None else now - timedelta(minutes=failed_minutes_ago),
    )
    DBTaskResult.objects.filter(pk=row.pk).update(enqueued_at=now - timedelta(minutes=minutes_ago))  # auto_now_add


def test_readiness_reports_the_task_queue_and_a_long_one_keeps_the_node_ready(client):
    error = "builtins.RuntimeError"
    task_row(TaskResultStatus.READY, minutes_ago=90)  # queued an hour and a half ago, never taken: the oldest
    task_row(TaskResultStatus.READY, minutes_ago=1)
    task_row(TaskResultStatus.READY, minutes_ago=200, due_in=-5, failed_minutes_ago=6, error=error)  # a retry, due
    task_row(TaskResultStatus.READY, minutes_ago=3, due_in=2, failed_minutes_ago=1, error=error)  # a retry, not due
    task_row(TaskResultStatus.RUNNING, minutes_ago=2)
    task_row(TaskResultStatus.FAILED, minutes_ago=30, failed_minutes_ago=20, error=error)
    task_row(TaskResultStatus.FAILED, minutes_ago=300, failed_minutes_ago=120, error=error)  # over an hour ago
    task_row(TaskResultStatus.SUCCESSFUL, minutes_ago=5, failed_minutes_ago=4)

    response = client.get("/health/ready/")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"  # the workers' backlog, not this node's fault
    queue = body["checks"]["task_queue"]
    assert 90 * 60 <= queue.pop("oldest_ready_age_seconds") <= 90 * 60 + 5
    assert queue == {"ready": 3, "running": 1, "failed_last_hour": 3}
    assert "always_fails" not in response.content.decode()  # counts only: no task names or arguments
