"""Wagtail's ``update_index``, plus: the updates recorded while the engine was down are cleared once a backend
has been rebuilt (the rebuild contains them), and a summary line per backend.

Engine backends rebuild atomically: a new index is filled next to the live one, then the alias is switched to
it, so searches never see a half-built index. Run it twice and the second run builds the same documents.

An engine backend rebuilds only the indexes it holds (pages: ``LocaleBackendMixin.holds``), not one per indexed
model as Wagtail's command does, merges each new index into one segment before it serves
(``LocaleBackendMixin.force_merge``), and deletes the indexes under its prefix that it does not hold (empty image and
document indexes an earlier version created).
"""

from django.core.management.base import CommandError
from modelsearch.backends import get_search_backend
from modelsearch.management.commands.rebuild_modelsearch_index import Command as RebuildCommand
from modelsearch.management.commands.rebuild_modelsearch_index import group_models_by_index

from core.languages import memoised_translations
from search.locale_backends import LocaleBackendMixin, engine_errors
from search.models import PendingIndexUpdate

# Seconds an engine request of a rebuild may take. The site's SEARCH_TIMEOUT (3 s) is a reader's: a search that
# slow had better fall back to the database. A rebuild's bulk requests on a busy machine can take longer, and a
# timeout there would abort an operator's whole rebuild (seen in `make run` under load: "read timeout=3.0").
REBUILD_TIMEOUT = 120


class Command(RebuildCommand):
    help = "Rebuild the search indexes (atomically on an engine), with progress output."

    def update_backend(self, backend_name, **kwargs):
        cleared_before = PendingIndexUpdate.objects.filter(backend_name=backend_name).values_list("pk", flat=True)
        stale = list(cleared_before)
        backend = get_search_backend(backend_name)
        if isinstance(backend, LocaleBackendMixin):
            backend = get_search_backend(backend_name, TIMEOUT=max(backend.timeout, REBUILD_TIMEOUT))
        try:
            # The labels each page indexes (terms, experts, centres in its language) are read once per language.
            with memoised_translations():
                if isinstance(backend, LocaleBackendMixin):
                    self.update_engine_backend(backend_name, backend, **kwargs)
                else:
                    super().update_backend(backend_name, **kwargs)
        except engine_errors() as error:
            raise CommandError(
                f"{backend_name}: the search engine is unreachable or refused the rebuild: {error}"
            ) from error
        if stale and not kwargs.get("schema_only"):
            PendingIndexUpdate.objects.filter(pk__in=stale).delete()
            self.write(f"{backend_name}: {len(stale)} pending update(s) superseded by the rebuild")

    def update_engine_backend(self, backend_name, backend, schema_only=False, chunk_size=1000):
        """Wagtail's rebuild loop (``RebuildCommand.update_backend``) over the models the backend holds."""
        self.write(f"Updating backend: {backend_name}")
        for index, models in group_models_by_index(backend, backend.held_models()).items():
            self.write(f"{backend_name}: Rebuilding index {index.name}")
            rebuilder = backend.rebuilder_class(index)
            new_index = rebuilder.start()
            for model in models:
                new_index.add_model(model)
            count = 0
            for model in models if not schema_only else []:
                self.write(f"{backend_name}: {model._meta.label} ".ljust(35), ending="")
                chunks = self.queryset_chunks(model.get_indexed_objects().order_by("pk"), chunk_size)
                for chunk in self.print_iter_progress(chunks):
                    new_index.add_items(model, chunk)
                    count += len(chunk)
                self.print_newline()
            if count:
                backend.force_merge(new_index.name)
            rebuilder.finish()
            self.write(f"{backend_name}: indexed {count} objects")
        for name in backend.drop_unheld_indexes():
            self.write(f"{backend_name}: deleted index {name}, which holds nothing the site searches")
