"""Interface strings: every string in the code and templates is in the catalogues, translated.

``makemessages`` runs on a temporary copy of the project (the repository's own catalogues are not touched), so a
string added to a template without running ``make messages`` shows up as a new, untranslated entry. Arabic must be
complete (public site and the project's admin strings); French, Spanish, Russian and Chinese must be complete for
everything the public sees (the site's templates).
"""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
SKIP_DIRS = {".venv", "var", ".git", "tests", "bench", ".cache", ".pytest_cache", ".ruff_cache", "node_modules"}
PUBLIC_LANGUAGES = ["fr", "es", "ru", "zh_Hans"]


@pytest.fixture(scope="module")
def refreshed_catalogues(tmp_path_factory):
    copy = tmp_path_factory.mktemp("catalogues") / "project"
    shutil.copytree(ROOT, copy, ignore=lambda directory, names: [n for n in names if n in SKIP_DIRS])
    languages = ["ar", *PUBLIC_LANGUAGES]
    command = [sys.executable, "manage.py", "makemessages", "--no-obsolete", "-v", "0"]
    command += [f"--locale={code}" for code in languages]
    environment = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    subprocess.run(command, cwd=copy, check=True, env=environment)  # noqa: S603 - our own manage.py
    return {code: polib.pofile(str(copy / "locale" / code / "LC_MESSAGES" / "django.po")) for code in languages}


def describe(entries):
    return [f"{entry.msgid!r} ({entry.occurrences[0][0] if entry.occurrences else '?'})" for entry in entries[:15]]


def is_public(entry):
    """Used in a public template (not the admin's)."""
    return any(path.endswith(".html") and not path.startswith("translations/") for path, _ in entry.occurrences)


def test_arabic_catalogue_is_complete(refreshed_catalogues):
    catalogue = refreshed_catalogues["ar"]
    missing = [entry for entry in catalogue if not entry.obsolete and (not entry.translated() or entry.fuzzy)]
    assert not missing, f"{len(missing)} Arabic entries untranslated or fuzzy: {describe(missing)}"


@pytest.mark.parametrize("language", PUBLIC_LANGUAGES)
def test_public_chrome_is_translated(refreshed_catalogues, language):
    catalogue = refreshed_catalogues[language]
    missing = [e for e in catalogue if not e.obsolete and is_public(e) and (not e.translated() or e.fuzzy)]
    assert not missing, f"{len(missing)} {language} public entries untranslated or fuzzy: {describe(missing)}"
