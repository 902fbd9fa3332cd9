"""Liveness and readiness probes for a load balancer.

``/health/live`` answers as long as the process serves requests. ``/health/ready`` checks what a request needs:
the database and the cache must answer (else 503, so the balancer stops sending readers here); the search engine
being down only makes the server "degraded" (200), because searches then fall back to the database. Neither names
a host, a URL or a credential.
"""

import secrets

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

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
    if checks["database"] != "ok" or checks["cache"] != "ok":
        status, code = "unavailable", 503
    elif checks["search_engine"] == "down":
        status, code = "degraded", 200
    else:
        status, code = "ok", 200
    return JsonResponse({"status": status, "checks": checks}, status=code)
