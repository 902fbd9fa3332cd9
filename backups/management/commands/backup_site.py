"""manage.py backup_site FOLDER: the database and the uploaded media, with a manifest (see backups/backup.py)."""

from django.core.management.base import BaseCommand, CommandError

from backups.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database and the media files into a new folder."

    def add_arguments(self, parser):
        parser.add_argument("folder", help="a new (or empty) folder for the backup")

    def handle(self, *args, **options):
        try:
            manifest = backup(options["folder"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        counts = ", ".join(f"{count} {name}" for name, count in manifest["counts"].items())
        self.stdout.write(self.style.SUCCESS(f"Backed up to {options['folder']}: {counts}."))
