"""Queue again (or leave failed, after their last attempt) the background tasks whose worker stopped while they ran:
run by ``deploy/systemd/sse-prune-tasks.timer`` every ten minutes (``ops/retries.py`` says when a task is stalled)."""

from django.core.management.base import BaseCommand

from ops.retries import reclaim_stalled


class Command(BaseCommand):
    help = "Queue again the background tasks still running long after their worker stopped (TASK_RETRY)."

    def handle(self, *args, **options):
        requeued, failed = reclaim_stalled()
        self.stdout.write(f"Stalled tasks: {requeued} queued again, {failed} failed after their last attempt.")
