"""Backup and restore: the demo site backed up, restored into an empty database by the command, and found whole:
the same pages, revisions and translations, and the media files (on SQLite and, in CI, on PostgreSQL)."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

pytestmark = pytest.mark.django_db
BASE_DIR = Path(__file__).resolve().parents[2]


def fingerprint():
    """Everything a restore must bring back, in a form two databases can be compared by."""
    from wagtail.models import Page, Revision
    from wagtail_localize.models import StringTranslation, Translation

    return {
        "pages": sorted(
            [str(p.translation_key), p.locale.language_code, p.url_path, p.title, p.live]
            for p in Page.objects.select_related("locale")
        ),
        "revisions": sorted([r.object_id, r.created_at.isoformat(), r.object_str] for r in Revision.objects.all()),
        "translations": sorted(
            [str(t.source.object_id), t.target_locale.language_code]
            for t in Translation.objects.select_related("source", "target_locale")
        ),
        "string_translations": sorted(
            [s.locale.language_code, s.data] for s in StringTranslation.objects.select_related("locale")
        ),
    }


def empty_database_url(tmp_path):
    """A new, empty database on the same engine as the test database."""
    if connection.vendor == "sqlite":
        return f"sqlite:///{tmp_path / 'restored.sqlite3'}", None
    params = connection.settings_dict
    name = f"sse_restore_{uuid.uuid4().hex[:8]}"
    conninfo = {"host": params["HOST"] or None, "port": params["PORT"] or None, "user": params["USER"] or None}
    with psycopg.connect(dbname="postgres", autocommit=True, password=params["PASSWORD"] or None, **conninfo) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(
            dbname="postgres", autocommit=True, password=params["PASSWORD"] or None, **conninfo
        ) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    user = params["USER"] or ""
    password = f":{params['PASSWORD']}" if params["PASSWORD"] else ""
    return f"postgres://{user}{password}@{params['HOST']}:{params['PORT']}/{name}", drop


def manage(*args, database_url, media_root):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url,
        "TEST_MEDIA_ROOT": str(media_root),
    }
    return subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=300
    )


def test_backup_restores_into_an_empty_database_with_the_same_pages_revisions_and_translations(tmp_path):
    probe = Path(settings.MEDIA_ROOT) / "documents" / "backup-probe.txt"
    probe.parent.mkdir(parents=True, exist_ok=True)
    probe.write_text("a file editors uploaded\n", encoding="utf-8")
    try:
        call_command("backup_site", str(tmp_path / "backup"), stdout=open(os.devnull, "w"))  # noqa: SIM115
    finally:
        probe.unlink()
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["counts"]["pages"] > 20 and manifest["counts"]["translations"] > 10

    database_url, drop = empty_database_url(tmp_path)
    try:
        media = tmp_path / "restored-media"
        # The command and then the reading of what it restored, in one manage.py process (each costs seconds of
        # Django's start-up): call_command parses the folder argument as the command line does.
        script = (
            "import json; from django.core.management import call_command;"
            " from tests.integration.test_backup import fingerprint;"
            f" call_command('restore_site', {str(tmp_path / 'backup')!r}); print(json.dumps(fingerprint()))"
        )
        result = manage("shell", "-c", script, database_url=database_url, media_root=media)
        assert result.returncode == 0, result.stderr
        assert "Restored the backup of" in result.stdout
        assert (media / "documents" / "backup-probe.txt").read_text(encoding="utf-8") == "a file editors uploaded\n"
        assert json.loads(result.stdout.strip().splitlines()[-1]) == json.loads(json.dumps(fingerprint()))

        # A restore into a database that is not empty is refused: here the session's (the command checks the
        # database before it writes anything), in this process rather than in a manage.py process of its own.
        with pytest.raises(CommandError, match="The target database is not empty; restore into a new, empty database"):
            call_command("restore_site", str(tmp_path / "backup"))
    finally:
        if drop is not None:
            drop()


def test_backup_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "old.txt").write_text("x", encoding="utf-8")
    with pytest.raises(CommandError, match="is not empty; back up into a new folder"):
        call_command("backup_site", str(tmp_path))


def test_restore_refuses_a_folder_that_is_not_a_backup(tmp_path):
    with pytest.raises(CommandError, match=r"is not a backup folder \(no manifest.json\)"):
        call_command("restore_site", str(tmp_path))
