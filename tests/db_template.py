"""A migrated SQLite database kept between test sessions, so that a session does not run every migration again.

Running the project's and its packages' migrations costs each test session (each xdist worker, and the integration
layer) about half a minute of CPU. The first session to need them migrates its in-memory test database as usual and
saves a copy under ``var/test-db/``; later sessions create empty tables without migrations (quick) and then load
that copy over them with SQLite's backup API, which is what Django's own parallel runner does to clone an
in-memory database.

The copy is named by a fingerprint of everything that decides the migrated schema and its data rows: the
migration files of this project, the installed packages' names and versions (their migrations), and the settings
modules. Any change there gives a new name, so a stale copy is never used; ``make clean`` removes them all.

Only in-memory SQLite test databases use it (the default of ``make test``); PostgreSQL runs keep Django's path.
"""

import contextlib
import fcntl
import hashlib
import importlib.metadata
import sqlite3
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connections

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "var" / "test-db"
# Not the project's code in general: only what decides the rows migrations write.
FINGERPRINTED = ("*/migrations/*.py", "config/settings/*.py", "accounts/roles.py")


def fingerprint():
    digest = hashlib.sha256()
    for dist in sorted(importlib.metadata.distributions(), key=lambda dist: dist.metadata["Name"] or ""):
        digest.update(f"{dist.metadata['Name']}=={dist.version}\n".encode())
    for pattern in FINGERPRINTED:
        for path in sorted(ROOT.glob(pattern)):
            if ".venv" not in path.parts:
                digest.update(str(path.relative_to(ROOT)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:20]


def saved_copy():
    """This schema's migrated copy, if a session saved one (a file: copy it before writing to it)."""
    path = TEMPLATES / f"migrated-{fingerprint()}.sqlite3"
    return path if path.exists() else None


class Template:
    """Decides, before pytest-django creates the test database, whether a saved copy can replace the migrations,
    and restores or saves the copy once the database exists."""

    def __init__(self):
        self.path = None
        self.lock = None

    def prepare(self):
        database = settings.DATABASES["default"]
        test_name = database.get("TEST", {}).get("NAME")
        if database["ENGINE"] != "django.db.backends.sqlite3" or (test_name and "memory" not in test_name):
            return
        TEMPLATES.mkdir(parents=True, exist_ok=True)
        self.path = TEMPLATES / f"migrated-{fingerprint()}.sqlite3"  # as in ``saved_copy``
        # Two xdist workers start together: the first one migrates and saves while the other waits, then reads.
        self.lock = open(TEMPLATES / ".lock", "w")  # noqa: SIM115 - held until ``finish``
        fcntl.flock(self.lock, fcntl.LOCK_EX)
        if self.path.exists():
            fcntl.flock(self.lock, fcntl.LOCK_UN)
            database.setdefault("TEST", {})["MIGRATE"] = False

    @property
    def restoring(self):
        return self.path is not None and settings.DATABASES["default"].get("TEST", {}).get("MIGRATE") is False

    def finish(self):
        """After the test database exists: load the saved copy into it, or save it for the next sessions."""
        if self.path is None:
            return
        connection = connections["default"]
        connection.ensure_connection()
        if self.restoring:
            with contextlib.closing(sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)) as saved:
                saved.backup(connection.connection)
            # Cached while the migration-less tables were filled: their ids are not the copy's.
            ContentType.objects.clear_cache()
            cache.clear()
            settings.DATABASES["default"]["TEST"]["MIGRATE"] = True
        else:
            partial = self.path.with_suffix(".partial")
            with contextlib.closing(sqlite3.connect(partial)) as saved:
                connection.connection.backup(saved)
            partial.replace(self.path)
            for stale in TEMPLATES.glob("migrated-*.sqlite3"):  # older schemas are never read again
                if stale != self.path:
                    stale.unlink()
            fcntl.flock(self.lock, fcntl.LOCK_UN)
        self.lock.close()
