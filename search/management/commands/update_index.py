"""Wagtail's ``update_index``, plus: the updates recorded while the engine was down are cleared once a backend
has been rebuilt (the rebuild contains them), and a summary line per backend.

Engine backends rebuild atomically: a new index is filled next to the live one, then the alias is switched to
it, so searches never see a half-built index. Run it twice and the second run builds the same documents.
"""

from django.core.management.base import CommandError
from modelsearch.management.commands.rebuild_modelsearch_index import Command as RebuildCommand

from search.locale_backends import engine_errors
from search.models import PendingIndexUpdate


class Command(RebuildCommand):
    help = "Rebuild the search indexes (atomically on an engine), with progress output."

    def update_backend(self, backend_name, **kwargs):
        cleared_before = PendingIndexUpdate.objects.filter(backend_name=backend_name).values_list("pk", flat=True)
        stale = list(cleared_before)
        try:
            super().update_backend(backend_name, **kwargs)
        except engine_errors() as error:
            raise CommandError(
                f"{backend_name}: the search engine is unreachable or refused the rebuild: {error}"
            ) from error
        if stale and not kwargs.get("schema_only"):
            PendingIndexUpdate.objects.filter(pk__in=stale).delete()
            self.write(f"{backend_name}: {len(stale)} pending update(s) superseded by the rebuild")
