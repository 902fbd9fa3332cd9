"""Apply the search index updates recorded while the engine was unreachable."""

from django.core.management.base import BaseCommand, CommandError

from search.replay import replay_pending_updates


class Command(BaseCommand):
    help = "Replay the search index updates that failed while the search engine was down."

    def handle(self, **options):
        still_pending = 0
        for result in replay_pending_updates():
            if result.error:
                raise CommandError(f"{result.backend_name}: the search engine is unreachable ({result.error})")
            still_pending += result.pending
            self.stdout.write(
                f"{result.backend_name}: {result.replayed} update(s) replayed, {result.pending} still pending"
            )
        if still_pending:
            raise CommandError(f"{still_pending} update(s) could not be replayed: is the search engine up?")
