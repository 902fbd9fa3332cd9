"""Interface strings: every string in the code and templates is in the catalogues, translated.

``makemessages`` runs on a temporary copy of the project (the repository's own catalogues are not touched), so a
string added to a template or to Python (``gettext``, model and form labels, help texts, choices) without running
``make messages`` shows up as a new, untranslated entry. Every catalogue must be complete, whatever the string's
source: model labels and choices appear on the public site as well as in the admin. Each catalogue's plural rule
is the language's own, and each plural form keeps the numbers it needs.
"""

import re
import shutil
import subprocess
import sys
from gettext import c2py
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
SKIP_DIRS = {
    ".venv",
    "var",
    ".git",
    "tests",
    "bench",
    ".cache",
    ".pytest_cache",
    ".ruff_cache",
    "node_modules",
    "__pycache__",
}
LANGUAGES = ["ar", "fr", "es", "ru", "zh_Hans"]
# CLDR's cardinal rules as gettext writes them (Arabic: zero, one, two, few, many, other).
PLURAL_FORMS = {
    "ar": "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);",
    "fr": "nplurals=2; plural=(n > 1);",
    "es": "nplurals=2; plural=(n != 1);",
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "zh_Hans": "nplurals=1; plural=0;",
}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


@pytest.fixture(scope="module")
def refreshed_catalogues(tmp_path_factory):
    copy = tmp_path_factory.mktemp("catalogues") / "project"
    shutil.copytree(ROOT, copy, ignore=lambda directory, names: [n for n in names if n in SKIP_DIRS])
    languages = LANGUAGES
    command = [sys.executable, "manage.py", "makemessages", "--no-obsolete", "-v", "0"]
    command += [f"--locale={code}" for code in languages]
    environment = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    subprocess.run(command, cwd=copy, check=True, env=environment)  # noqa: S603 - our own manage.py
    return {code: polib.pofile(str(copy / "locale" / code / "LC_MESSAGES" / "django.po")) for code in languages}


def describe(entries):
    return [f"{entry.msgid!r} ({entry.occurrences[0][0] if entry.occurrences else '?'})" for entry in entries[:15]]


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_is_complete(refreshed_catalogues, language):
    catalogue = refreshed_catalogues[language]
    missing = [entry for entry in catalogue if not entry.obsolete and (not entry.translated() or entry.fuzzy)]
    assert not missing, f"{len(missing)} {language} entries untranslated or fuzzy: {describe(missing)}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_plural_forms_follow_the_language(refreshed_catalogues, language):
    """The header's rule is the language's; every plural form keeps the other placeholders (the query searched
    for), and the count itself wherever one form stands for several numbers (Arabic writes "نتيجتان", not
    "2 نتيجتان", but "3 نتائج" and "11 نتيجة")."""
    catalogue = refreshed_catalogues[language]
    assert catalogue.metadata["Plural-Forms"] == PLURAL_FORMS[language]
    plural = c2py(PLURAL_FORMS[language].split("plural=")[1].rstrip(";"))
    numbers_per_form = {}
    for n in range(1000):
        numbers_per_form.setdefault(plural(n), set()).add(n)
    wrong = []
    for entry in catalogue:
        if entry.obsolete or not entry.msgid_plural:
            continue
        names = set(PLACEHOLDER.findall(entry.msgid_plural))
        assert len(numbers_per_form) == len(entry.msgstr_plural), entry.msgid
        for form, text in entry.msgstr_plural.items():
            lost = names - set(PLACEHOLDER.findall(text))
            # A form for one number only may spell the number out (that is the count's placeholder, one at most).
            if len(lost) > (1 if len(numbers_per_form[form]) == 1 else 0):
                wrong.append(f"{entry.msgid!r}[{form}]: {text!r}")
    assert not wrong, f"{language} plural forms lose a placeholder: {wrong}"
