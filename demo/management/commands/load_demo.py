"""manage.py load_demo: build (or complete) the sample site, in English and Arabic."""

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks.backends.immediate import ImmediateBackend

from books.publishing import deferred
from core.paths import ADMIN_PREFIX
from demo.loader import DEMO_PASSWORD, DemoBuilder


class Command(BaseCommand):
    help = "Build the sample South–South Exchange site (idempotent: existing content is left untouched)."

    def add_arguments(self, parser):
        parser.add_argument("--site-url", default="http://127.0.0.1:8000", help="Where the site will be served.")
        parser.add_argument(
            "--no-pdf",
            action="store_true",
            help="Do not render the PDF editions now (minutes for six languages): manage.py render_books does it.",
        )

    def handle(self, *args, **options):
        builder = DemoBuilder(stdout=self.stdout)
        try:
            # Each page's PDF edition is queued once, after the whole load, rather than at each publication.
            with deferred(enqueue=not options["no_pdf"]):
                created = builder.run()
        except FileNotFoundError as error:
            raise CommandError(f"Demo content file missing: {error.filename}") from error
        if not isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], ImmediateBackend):
            # Production settings queue index updates for a task worker (manage.py db_worker), which may not run
            # yet: the demo is searchable at once all the same (a benchmark serves it without a worker). The backend
            # itself, not ``default_task_backend``: that is a proxy, never an instance of a backend's class.
            self.stdout.write("Indexing the demo now (these settings queue index updates for a task worker).")
            call_command("update_index", verbosity=0)
        self.stdout.write(self.style.SUCCESS(f"Demo site ready ({created} objects created)."))
        self.stdout.write(f"Site:  {options['site_url']}/en/  (Arabic: {options['site_url']}/ar/)")
        self.stdout.write(f"Admin: {options['site_url']}{ADMIN_PREFIX}")
        for username, role, created_now in builder.accounts:
            state = f"password {DEMO_PASSWORD}" if created_now else "existing account, password unchanged"
            self.stdout.write(f"  {username:<11} {role:<20} {state}")
        self.stdout.write(
            "admin, moderator and webmaster set up two-factor authentication at their first sign-in: add the key"
            " shown to an authenticator app (or read codes with `oathtool --totp -b KEY`)."
        )
