"""The terminology list (docs/terminology.toml) is what the catalogues and the demo content say: no listed wrong
variant anywhere, and every catalogue entry whose English names a listed term uses one of the term's forms."""

import tomllib
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
TERMINOLOGY = tomllib.loads((ROOT / "docs" / "terminology.toml").read_text("utf-8"))
TERMS = TERMINOLOGY["term"]
CATALOGUES = {"ar": "ar", "fr": "fr", "es": "es", "ru": "ru", "zh": "zh_Hans"}
CONTENT = sorted((ROOT / "demo" / "content").rglob("*.json"))


def translations(language):
    """(English, translation) of each entry of ``language``'s catalogue, plural forms each on their own."""
    catalogue = polib.pofile(str(ROOT / "locale" / CATALOGUES[language] / "LC_MESSAGES" / "django.po"))
    for entry in catalogue:
        if entry.obsolete:
            continue
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            if text:
                yield f"{entry.msgctxt or ''} {entry.msgid} {entry.msgid_plural or ''}", text


def test_every_term_has_one_rendering_in_each_language():
    for term in TERMS:
        assert all(term.get(language) for language in ["en", *CATALOGUES]), term["en"]
        for language, forms in term.get("forms", {}).items():
            assert language in CATALOGUES and forms, term["en"]
    assert len({term["en"] for term in TERMS}) == len(TERMS)


@pytest.mark.parametrize("language", CATALOGUES)
def test_catalogues_use_the_listed_terms(language):
    problems = []
    for english, text in translations(language):
        for term in TERMS:
            for wrong in term.get("wrong", {}).get(language, []):
                if wrong in text:
                    problems.append(f"{wrong!r} (say {term[language]!r}) in {text!r}")
            if any(words.casefold() in english.casefold() for words in term["match"]):
                forms = term.get("forms", {}).get(language, [term[language]])
                if not any(form.casefold() in text.casefold() for form in forms):
                    problems.append(f"{english.strip()!r} names {term['en']!r}: say {term[language]!r} in {text!r}")
    assert not problems, "\n".join(problems)


def test_demo_content_uses_no_listed_wrong_variant():
    wrong = {variant: term for term in TERMS for variants in term.get("wrong", {}).values() for variant in variants}
    problems = [
        f"{path.relative_to(ROOT)}: {variant!r}"
        for path in CONTENT
        for variant in wrong
        if variant in path.read_text("utf-8")
        and variant not in TERMINOLOGY["verbatim"].get(str(path.relative_to(ROOT)), [])
    ]
    assert not problems, "\n".join(problems)
