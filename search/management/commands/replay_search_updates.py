"""Apply the search index updates recorded while the engine was unreachable."""

from django.core.management.base import BaseCommand, CommandError
from modelsearch.backends import get_search_backends_with_name

from search.locale_backends import LocaleBackendMixin, engine_errors


class Command(BaseCommand):
    help = "Replay the search index updates that failed while the search engine was down."

    def handle(self, **options):
        still_pending = 0
        for name, backend in get_search_backends_with_name():
            if not isinstance(backend, LocaleBackendMixin):
                continue
            try:
                replayed, pending = backend.replay_pending()
            except engine_errors() as error:
                raise CommandError(f"{name}: the search engine is unreachable ({error})") from error
            still_pending += pending
            self.stdout.write(f"{name}: {replayed} update(s) replayed, {pending} still pending")
        if still_pending:
            raise CommandError(f"{still_pending} update(s) could not be replayed: is the search engine up?")
