"""manage.py render_books: queue (or, with --now, render here) the PDF editions that are missing or out of date."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat

from books.editions import refresh_edition
from books.tasks import render_edition
from handbook.models import CaseStudyPage, HandbookPage


class Command(BaseCommand):
    help = "Render the PDF editions of the handbook (per language) and of the case studies that are missing or stale."

    def add_arguments(self, parser):
        parser.add_argument("--language", action="append", help="Only this language (repeatable), e.g. ar.")
        parser.add_argument("--handbook-only", action="store_true", help="Skip the case studies.")
        parser.add_argument("--force", action="store_true", help="Render even when nothing changed.")
        parser.add_argument(
            "--now", action="store_true", help="Render in this process and print time and size, not via the queue."
        )

    def handle(self, *args, language=None, handbook_only=False, force=False, now=False, **options):
        pages = list(HandbookPage.objects.live().public().select_related("locale").order_by("locale__language_code"))
        if not handbook_only:
            pages += CaseStudyPage.objects.live().public().select_related("locale").order_by("path")
        if language:
            pages = [page for page in pages if page.locale.language_code in language]
        try:
            self.render(pages, force, now)
        except KeyboardInterrupt:
            # Ctrl-C: each edition is stored whole once rendered, so what is done stays and the next run does the rest.
            raise CommandError(
                "interrupted; the editions not yet rendered are left for the next run", returncode=130
            ) from None
        if not now:
            self.stdout.write(f"{len(pages)} PDF editions queued.")

    def render(self, pages, force, now):
        for page in pages:
            if not now:
                render_edition.enqueue(page.pk, force=force)
                continue
            started = time.monotonic()
            edition = refresh_edition(page, force=force)
            if edition is None:
                self.stdout.write(f"{page.locale.language_code:8} {page.title}: up to date")
            else:
                self.stdout.write(
                    f"{page.locale.language_code:8} {page.title}: {edition.page_count} pages, "
                    f"{filesizeformat(edition.size)} ({edition.size} bytes), {time.monotonic() - started:.1f} s"
                )
