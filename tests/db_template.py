"""A migrated SQLite database kept between test sessions, so that a session does not run every migration again;
and the fast layer's sample site built into it, so that each xdist worker does not build it again.

Running the project's and its packages' migrations costs each test session (each xdist worker, and the integration
layer) about half a minute of CPU. The first session to need them migrates its in-memory test database as usual and
saves a copy under ``var/test-db/``; later sessions create empty tables without migrations (quick) and then load
that copy over them with SQLite's backup API, which is what Django's own parallel runner does to clone an
in-memory database.

The copy is named by a fingerprint of everything that decides the migrated schema and its data rows: the
migration files of this project, the installed packages' names and versions (their migrations), and the settings
modules. Any change there gives a new name, so a stale copy is never used; ``make clean`` removes them all.

The fast layer's sample site (``tests/sample_site.py``, about 8 s of CPU per session) is kept the same way, one
step later: ``Template.site`` loads ``var/test-db/site-<fingerprint>.sqlite3`` when a session saved it, or builds
the site and saves it. Building runs the project's code (models' saves, signals, wagtail-localize, the search
index), so its fingerprint adds every Python file of the project (the test modules but ``sample_site.py`` aside)
and the catalogues. The factories' sequence counters, which the build advanced, are saved beside it and set again
on loading, so factory-made rows get the same names as after a build.

The integration layer's demo site (the real ``load_demo`` and the first view of every page, which makes the pictures'
renditions: over a minute of CPU) is kept the same way as ``demo-<fingerprint>.sqlite3``, with the media files it
wrote (``demo-<fingerprint>.media/``, copied back into the session's media folder where missing). Its fingerprint adds
to the site build's what else the demo reads: its content files, the templates (the renditions their pictures ask
for) and the build itself (tests/integration/demo_site.py). Each session still indexes the demo into its own engine.

Only in-memory SQLite test databases use it (the default of ``make test``); PostgreSQL runs keep Django's path.
"""

import contextlib
import fcntl
import hashlib
import importlib.metadata
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import factory
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connections

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "var" / "test-db"
# Not the project's code in general: only what decides the rows migrations write.
FINGERPRINTED = ("*/migrations/*.py", "config/settings/*.py", "accounts/roles.py")
# What a site build can run: the project's code and catalogues, not its other folders nor the other test modules.
NOT_BUILD_CODE = {".venv", "var", ".git", "node_modules", "__pycache__", "bench", "integration", "browser"}
BUILD_CODE_IN_TESTS = {"sample_site.py", "db_template.py"}
MIGRATED_LOCK = TEMPLATES / ".lock"
DEMO_INPUTS = ("demo/content/**/*.json", "*/templates/**/*.html", "tests/integration/demo_site.py")


def fingerprint(site_build=False, demo=False):
    digest = hashlib.sha256()
    for dist in sorted(importlib.metadata.distributions(), key=lambda dist: dist.metadata["Name"] or ""):
        digest.update(f"{dist.metadata['Name']}=={dist.version}\n".encode())
    paths = matching(FINGERPRINTED)
    if site_build:
        paths += build_code()
    if demo:
        paths += matching(DEMO_INPUTS)
    for path in paths:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:20]


def matching(patterns):
    """The project's files that match ``patterns`` (globs from the root), in a stable order."""
    return [path for pattern in patterns for path in sorted(ROOT.glob(pattern)) if ".venv" not in path.parts]


def build_code():
    """The project's Python files and catalogues, in a stable order."""
    found = []
    for folder, folders, files in os.walk(ROOT):
        folders[:] = sorted(name for name in folders if name not in NOT_BUILD_CODE and not name.startswith("."))
        in_tests = Path(folder).name == "tests" and Path(folder).parent == ROOT
        found += [
            Path(folder) / name
            for name in sorted(files)
            if (name.endswith(".py") and (not in_tests or name in BUILD_CODE_IN_TESTS)) or name.endswith(".po")
        ]
    return found


def factories():
    """Every factory class (the project's and wagtail-factories'), by dotted name."""
    found, pending = {}, [factory.base.BaseFactory]
    while pending:
        cls = pending.pop()
        found[f"{cls.__module__}.{cls.__qualname__}"] = cls
        pending += cls.__subclasses__()
    return found


def sequences():
    """The factories' next sequence numbers (those with a counter of their own that has been used)."""
    return {
        name: cls._meta._counter.seq
        for name, cls in factories().items()
        if cls._meta.counter_reference is cls._meta and cls._meta._counter is not None
    }


def tests_in_memory():
    """Whether the test sessions' database is in-memory SQLite (the default of ``make test``), the only kind the
    copies serve."""
    database = settings.DATABASES["default"]
    test_name = database.get("TEST", {}).get("NAME")
    return database["ENGINE"] == "django.db.backends.sqlite3" and not (test_name and "memory" not in test_name)


def migrated_path():
    """Where this schema's migrated copy is kept (named by the fingerprint of what decides it)."""
    return TEMPLATES / f"migrated-{fingerprint()}.sqlite3"


def migrate_early():
    """Make the migrated copy in a process of its own (``python -m tests.migrate_early``; why ``make test`` starts
    it with the sessions is said there): Django's test database creation, as a session makes it, then saved the
    same way. Nothing to do when the copy exists or the run is not on in-memory SQLite; a session that takes the
    lock first makes the copy itself."""
    if not tests_in_memory():
        return
    TEMPLATES.mkdir(parents=True, exist_ok=True)
    path = migrated_path()
    with open(MIGRATED_LOCK, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if path.exists():
            return
        connections["default"].creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        save(path, "migrated")


def saved_copy():
    """This schema's migrated copy, if a session saved one (a file: copy it before writing to it)."""
    path = migrated_path()
    return path if path.exists() else None


def migrated_file(path, environ):
    """A migrated SQLite database at ``path`` for a process started with ``environ`` (whose DATABASE_URL names it):
    a copy of the saved migrated schema when a session saved one (it spares half a minute), else ``manage.py
    migrate`` (a PostgreSQL run that no SQLite run preceded)."""
    migrated = saved_copy()
    if migrated is not None:
        shutil.copyfile(migrated, path)
        return
    subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=environ,
        check=True,
        timeout=300,
    )


class Template:
    """Decides, before pytest-django creates the test database, whether a saved copy can replace the migrations,
    and restores or saves the copy once the database exists."""

    def __init__(self):
        self.path = None
        self.lock = None

    def prepare(self):
        if not tests_in_memory():
            return
        TEMPLATES.mkdir(parents=True, exist_ok=True)
        self.path = migrated_path()
        # Two xdist workers start together: the first one migrates and saves while the other waits, then reads.
        # ``make test``'s early migration (``migrate_early``) holds the same lock while it makes the copy.
        self.lock = open(MIGRATED_LOCK, "w")  # noqa: SIM115 - held until ``finish``
        fcntl.flock(self.lock, fcntl.LOCK_EX)
        if self.path.exists():
            fcntl.flock(self.lock, fcntl.LOCK_UN)
            settings.DATABASES["default"].setdefault("TEST", {})["MIGRATE"] = False

    @property
    def restoring(self):
        return self.path is not None and settings.DATABASES["default"].get("TEST", {}).get("MIGRATE") is False

    def finish(self):
        """After the test database exists: load the saved copy into it, or save it for the next sessions."""
        if self.path is None:
            return
        if self.restoring:
            load(self.path)
            settings.DATABASES["default"]["TEST"]["MIGRATE"] = True
        else:
            # A test that asks for ``django_db_setup`` without ``db`` gets no test database: what is connected then is
            # the settings' own database, which must not become every later session's template.
            if not connections["default"].is_in_memory_db():
                raise RuntimeError("no test database was created: ask for the db fixture, not django_db_setup")
            save(self.path, "migrated")
            fcntl.flock(self.lock, fcntl.LOCK_UN)
        self.lock.close()

    def site(self, build, kind="site", media=None):
        """Fill the migrated database with ``build``, or load the copy of that build a session saved (with its
        factories' sequences, and the files it wrote in the ``media`` folder if given); PostgreSQL and file databases
        always build. ``kind``: "site" (the sample site) or "demo" (the demo site, whose fingerprint has more)."""
        if self.path is None:
            build()
            return
        path = TEMPLATES / f"{kind}-{fingerprint(site_build=True, demo=kind == 'demo')}.sqlite3"
        counters = path.with_suffix(".json")
        files = path.with_suffix(".media")
        # The first worker builds, the others wait and load; a lock per kind, so that the integration layer's
        # session (which only needs the migrated copy, then the demo) does not wait for the sample site's build.
        with open(TEMPLATES / f".{kind}-lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if path.exists() and counters.exists() and (media is None or files.is_dir()):
                if media is not None:
                    copy_missing(files, media)
                load(path)
                classes = factories()
                for name, value in json.loads(counters.read_text()).items():
                    if name in classes:
                        classes[name]._meta.reset_sequence(value)
            else:
                build()
                if media is not None:
                    shutil.rmtree(files, ignore_errors=True)
                    shutil.copytree(media, files)
                counters.write_text(json.dumps(sequences(), indent=1, sort_keys=True))
                save(path, kind)


def copy_missing(source, target):
    """Copy into ``target`` the files of ``source`` it lacks (a stored file is never rewritten under its name)."""
    for folder, _folders, names in os.walk(source):
        into = target / Path(folder).relative_to(source)
        into.mkdir(parents=True, exist_ok=True)
        for name in names:
            if not (into / name).exists():
                shutil.copy2(Path(folder) / name, into / name)


def load(path):
    """Replace the test database's content with the saved copy at ``path``."""
    connection = connections["default"]
    connection.ensure_connection()
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as saved:
        saved.backup(connection.connection)
    # Cached while the migration-less tables were filled: their ids are not the copy's.
    ContentType.objects.clear_cache()
    cache.clear()


def save(path, kind):
    """Save the test database at ``path``, and remove the older copies of that kind (never read again)."""
    connection = connections["default"]
    connection.ensure_connection()
    partial = path.with_suffix(".partial")
    with contextlib.closing(sqlite3.connect(partial)) as saved:
        connection.connection.backup(saved)
    partial.replace(path)
    for stale in TEMPLATES.glob(f"{kind}-*.*"):
        if stale.stem != path.stem:
            if stale.is_dir():  # a demo's media files
                shutil.rmtree(stale)
            else:
                stale.unlink()
