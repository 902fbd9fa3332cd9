"""The sample translations into French, Spanish, Russian and Chinese (``demo/content/translations/<language>.json``)
and how they pair with the English files. Plain Python (no Django), so ``demo/check.py`` can check them by hand.

A translation file repeats the English files' keys with the language's text in place of each ``{"en": …}``
(records of a list are matched by their slug), and names in ``pages`` the pages it translates completely (by slug;
``home`` is the home page). The loader enters them through wagtail-localize as a translator's work would be.
"""

import json
from pathlib import Path

CONTENT = Path(__file__).resolve().parent / "content"
# Where each page's texts are in the English files: the page's slug → the nodes that hold them. Other slugs are
# chapters (handbook.chapters), practices (case_studies) or news items (news), found by slug.
PAGE_TEXTS = {
    "home": [("site", "home")],
    "handbook": [("site", "handbook"), ("handbook", "handbook")],
    "practices": [("site", "practices")],
    "news": [("site", "news")],
    "about": [("about",)],
    "coverage": [("site", "coverage")],
}
NOT_ON_THE_PAGE = {"sample_notice"}  # site.home's banner text comes from the interface catalogue


def load_translations(folder=CONTENT):
    """``{language: data}`` of the sample translations in ``demo/content/translations/<language>.json``: each file
    repeats the English files' keys (records matched by slug) with the language's text, and names in ``pages`` the
    pages (by slug; ``home``: the home page) it translates completely."""
    return {
        path.stem: json.loads(path.read_text(encoding="utf-8"))
        for path in sorted((folder / "translations").glob("*.json"))
    }


def overlay(source, translated, language, where=""):
    """Put each text of ``translated`` beside its English original in ``source`` (``{"en": …}`` gains
    ``language``), so the translation memory pairs them as it pairs the Arabic. A key or a slug the English files
    lack, or a list of another length, is an error in the translation file."""
    if isinstance(source, dict) and "en" in source:
        if type(source["en"]) is not type(translated):
            raise ValueError(f"{language}: {where} should be a {type(source['en']).__name__}")
        source[language] = translated
    elif isinstance(translated, dict) and isinstance(source, list):
        records = {item["slug"]: item for item in source}
        for slug, value in translated.items():
            if slug not in records:
                raise ValueError(f"{language}: {where}.{slug}: no such slug in the English file")
            overlay(records[slug], value, language, f"{where}.{slug}")
    elif isinstance(translated, dict):
        for key, value in translated.items():
            if key not in source:
                raise ValueError(f"{language}: {where}.{key}: no such key in the English file")
            overlay(source[key], value, language, f"{where}.{key}")
    elif isinstance(translated, list) and isinstance(source, list) and len(source) == len(translated):
        for index, (item, value) in enumerate(zip(source, translated, strict=True)):
            overlay(item, value, language, f"{where}[{index}]")
    else:
        raise ValueError(f"{language}: {where} does not match the English file")


def page_nodes(data, slug):
    """The parts of the English data (``{file name: data}``) whose texts make up the page with this slug."""
    if slug in PAGE_TEXTS:
        nodes = []
        for path in PAGE_TEXTS[slug]:
            node = data[path[0]]
            for key in path[1:]:
                node = node[key]
            nodes.append(node)
        return nodes
    for records in (data["handbook"]["chapters"], data["case_studies"], data["news"]):
        for record in records:
            if record.get("slug") == slug:
                return [record]
    return []


def untranslated(node, language, where=""):
    """Where a text of ``node`` has no ``language`` version."""
    if isinstance(node, dict) and "en" in node:
        return [] if isinstance(node.get(language), type(node["en"])) else [where]
    if isinstance(node, dict):
        return [
            gap
            for key, value in node.items()
            if key not in NOT_ON_THE_PAGE
            for gap in untranslated(value, language, f"{where}.{key}")
        ]
    if isinstance(node, list):
        return [gap for index, item in enumerate(node) for gap in untranslated(item, language, f"{where}[{index}]")]
    return []


def check_translations(data, folder=CONTENT):
    """Problems of the translation files against the English ``data`` (which gains each language's texts)."""
    problems = []
    for language, translated in load_translations(folder).items():
        for name, value in translated.items():
            if name in data:
                try:
                    overlay(data[name], value, language, name)
                except ValueError as error:
                    problems.append(str(error))
        for slug in translated.get("pages", []):
            nodes = page_nodes(data, slug)
            if not nodes:
                problems.append(f"{language}: pages: no page {slug!r} in the English files")
            for node in nodes:
                problems.extend(f"{language}: {slug}: untranslated {gap}" for gap in untranslated(node, language))
        if "people" in translated:  # the directories: every expert and centre, once a file translates any
            problems.extend(
                f"{language}: untranslated {gap}" for gap in untranslated(data["people"], language, "people")
            )
    return problems
