"""Backup and restore of the whole site: the database (PostgreSQL custom-format dump, or a consistent SQLite copy)
and the uploaded media, in one folder with a manifest of what it holds.

    manage.py backup_site /backups/2026-11-29       # database.dump or database.sqlite3, media.tar.gz, manifest.json
    manage.py restore_site /backups/2026-11-29      # into an EMPTY database (and media storage), then checks counts

The media are read and written through the media storage, so a site whose media are on a bucket (core/storage.py)
is backed up and restored like one with local files (and a backup of one restores into the other).
"""

import json
import os
import posixpath
import shutil
import sqlite3
import subprocess  # runs pg_dump / pg_restore with fixed arguments  # nosec B404
import tarfile
import time
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Page, Revision
from wagtail_localize.models import StringTranslation, Translation

MANIFEST = "manifest.json"
MEDIA_ARCHIVE = "media.tar.gz"


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why."""


def content_counts():
    """What a restore must bring back: pages, revisions, translations, and the uploads."""
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "translations": Translation.objects.count(),
        "string_translations": StringTranslation.objects.count(),
        "images": Image.objects.count(),
        "documents": Document.objects.count(),
    }


def postgres_tool(name):
    """pg_dump/pg_restore: the newest installed server's own, else the one on PATH."""
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=lambda p: int(p.parts[-3]))
    if candidates:
        return str(candidates[-1])
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} is not installed (Debian package postgresql-client).")
    return found


def postgres_args(settings_dict):
    args = []
    if settings_dict.get("HOST"):
        args += ["--host", settings_dict["HOST"]]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", settings_dict["USER"]]
    return args


def postgres_env(settings_dict):
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    return env


def run(command, env):
    result = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603  # nosec B603
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()}")


def backup(destination):
    destination = Path(destination)
    destination.mkdir(parents=True, exist_ok=True)
    if any(destination.iterdir()):
        raise BackupError(f"{destination} is not empty; back up into a new folder.")
    connection.ensure_connection()
    vendor = connection.vendor
    if vendor == "postgresql":
        settings_dict = connection.settings_dict
        run(
            [
                postgres_tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                "--file",
                str(destination / "database.dump"),
                *postgres_args(settings_dict),
                settings_dict["NAME"],
            ],
            postgres_env(settings_dict),
        )
    elif vendor == "sqlite":
        # sqlite3's online backup: a consistent copy even while the site is serving (and of in-memory databases).
        target = sqlite3.connect(destination / "database.sqlite3")
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    else:
        raise BackupError(f"Backups of {vendor} databases are not supported.")
    archive_media(destination / MEDIA_ARCHIVE)
    manifest = {"created_at": timezone.now().isoformat(), "database": vendor, "counts": content_counts()}
    (destination / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def stored_files(storage, folder=""):
    """Every file's name in ``storage`` (local folder or bucket alike), folder by folder."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # a local media folder nothing was ever uploaded to
        return
    for name in files:
        yield posixpath.join(folder, name)
    for name in folders:
        yield from stored_files(storage, posixpath.join(folder, name))


def storage_place(storage):
    bucket = getattr(storage, "bucket_name", None)
    return f"bucket {bucket}" if bucket else f"folder {getattr(storage, 'location', '?')}"


def archive_media(path):
    """The media files, read through the storage (MEDIA_ROOT or the bucket: core/storage.py), into one archive."""
    written = int(time.time())
    with tarfile.open(path, "w:gz") as archive:
        for name in stored_files(default_storage):
            with default_storage.open(name) as file:
                member = tarfile.TarInfo(name)
                member.size, member.mtime = file.size, written
                archive.addfile(member, file)


def restore_media(path):
    """Writes an archive's files into the (empty) media storage under their own names."""
    with tarfile.open(path, "r:gz") as archive:
        for member in archive:
            # Older backups archived MEDIA_ROOT as "./…"; a name that leaves the media (absolute, "..") is refused.
            name = posixpath.normpath(member.name)
            if not member.isfile():
                continue
            if name.startswith("/") or name.split("/")[0] == ".." or "\\" in name:
                raise BackupError(f"The archive holds a file outside the media: {member.name!r}.")
            saved = default_storage.save(name, File(archive.extractfile(member), name=name))
            if saved != name:
                raise BackupError(f"The media storage renamed {name} to {saved}.")


def database_is_empty():
    return "wagtailcore_page" not in connection.introspection.table_names()


def restore(source):
    source = Path(source)
    manifest_path = source / MANIFEST
    if not manifest_path.exists():
        raise BackupError(f"{source} is not a backup folder (no {MANIFEST}).")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    vendor = connection.vendor
    if manifest["database"] != vendor:
        raise BackupError(f"This backup is of a {manifest['database']} database; the target is {vendor}.")
    if not database_is_empty():
        raise BackupError("The target database is not empty; restore into a new, empty database.")
    if next(stored_files(default_storage), None) is not None:
        raise BackupError(f"The media {storage_place(default_storage)} is not empty; restore into an empty one.")

    if vendor == "postgresql":
        settings_dict = connection.settings_dict
        connection.close()
        run(
            [
                postgres_tool("pg_restore"),
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--dbname",
                settings_dict["NAME"],
                *postgres_args(settings_dict),
                str(source / "database.dump"),
            ],
            postgres_env(settings_dict),
        )
    else:
        backup_copy = sqlite3.connect(source / "database.sqlite3")
        try:
            connection.ensure_connection()
            backup_copy.backup(connection.connection)
        finally:
            backup_copy.close()
    restore_media(source / MEDIA_ARCHIVE)
    connection.close()
    restored = content_counts()
    if restored != manifest["counts"]:
        raise BackupError(f"Restored content differs from the backup: {restored} != {manifest['counts']}")
    return manifest, restored
