"""Replaying the index updates the engine missed, for the command and the admin's button alike."""

from dataclasses import dataclass

from modelsearch.backends import get_search_backends_with_name

from .locale_backends import LocaleBackendMixin, engine_errors
from .models import PendingIndexUpdate


@dataclass
class ReplayResult:
    backend_name: str
    replayed: int
    pending: int
    error: str = ""


def replay_pending_updates():
    """Each engine backend's pending updates, applied while its engine answers."""
    results = []
    for name, backend in get_search_backends_with_name():
        if not isinstance(backend, LocaleBackendMixin):
            continue
        try:
            replayed, pending = backend.replay_pending()
        except engine_errors() as error:
            pending = PendingIndexUpdate.objects.filter(backend_name=name).count()
            results.append(ReplayResult(name, 0, pending, str(error)))
            continue
        results.append(ReplayResult(name, replayed, pending))
    return results
