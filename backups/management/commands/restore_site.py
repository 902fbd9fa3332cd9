"""manage.py restore_site FOLDER: restore a backup_site folder into an empty database and media folder."""

from django.core.management.base import BaseCommand, CommandError

from backups.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup made by backup_site into an empty database and an empty media folder."

    def add_arguments(self, parser):
        parser.add_argument("folder", help="a folder written by backup_site")

    def handle(self, *args, **options):
        try:
            manifest, restored = restore(options["folder"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        counts = ", ".join(f"{count} {name}" for name, count in restored.items())
        self.stdout.write(self.style.SUCCESS(f"Restored the backup of {manifest['created_at']}: {counts}."))
