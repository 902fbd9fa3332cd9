"""The search engine's state for the readiness probe: whether an engine is configured and answers."""

from django.conf import settings

from .backends import engine_backend_name
from .locale_backends import engine_errors
from .models import PendingIndexUpdate
from .queries import engine_backend, engine_configured


def engine_state():
    """ "ok", "down" or "not configured" (the database backend answers searches then)."""
    language = settings.LANGUAGE_CODE
    if not engine_configured(language):
        return "not configured"
    try:
        # ping() reports a refused or timed-out request as False; the client may still raise on odd answers.
        answered = engine_backend(language).es.ping()
    except engine_errors():
        answered = False
    return "ok" if answered else "down"


def pending_updates():
    """Index updates recorded while the engine was unreachable and not yet replayed."""
    return PendingIndexUpdate.objects.filter(backend_name__startswith=engine_backend_name("")).count()
