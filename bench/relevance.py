"""Search relevance on the judged query set: nDCG@10 and the zero-result rate per language, on the engine and on the
database backend, each with and without the search glossary, in the same run.

Builds a fresh SQLite copy of the demo site (``load_demo``, with its sample glossary), indexes every language into
the engine (one index per language) and the database backend, then runs each query of ``bench/judgements.json``
(40 English, 40 Arabic, 10 French, Spanish, Russian and Chinese queries with graded judgements written from the
sample content) through the search page's own code paths (``search.queries.engine_search`` / ``database_search``),
with the glossary's alternatives (``search.glossary.expand``) and without them (the baseline).

    make bench-search                 # this, then the latency benchmark
    .venv/bin/python bench/relevance.py

nDCG@10: DCG = sum over the first ten results of (2^grade - 1) / log2(rank + 1), divided by the DCG of the ideal
order of the judged pages (pages not judged count 0). The engine is started with ``tools/search_engine/run.py``
unless SEARCH_URL is set.
"""

import json
import math
import os
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench-relevance"
JUDGEMENTS = Path(__file__).resolve().parent / "judgements.json"
sys.path.insert(0, str(ROOT))
DEPTH = 10


def dcg(grades):
    return sum((2**grade - 1) / math.log2(rank + 2) for rank, grade in enumerate(grades[:DEPTH]))


def ndcg(ranked_grades, judged_grades):
    ideal = dcg(sorted(judged_grades, reverse=True))
    return dcg(ranked_grades) / ideal if ideal else 0.0


def setup_django(url):
    shutil.rmtree(VAR, ignore_errors=True)
    VAR.mkdir(parents=True)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        DATABASE_URL=f"sqlite:///{VAR / 'db.sqlite3'}",
        SEARCH_BACKEND="elasticsearch7",
        SEARCH_URL=url,
        SEARCH_INDEX_PREFIX="relevance_",
        SEARCH_TIMEOUT="60",  # relevance, not latency: a busy machine must not turn a slow answer into a failure
        LOG_LEVEL="ERROR",
    )
    import django

    django.setup()


def build():
    from django.conf import settings
    from django.core.management import call_command
    from django.test import override_settings

    call_command("migrate", verbosity=0)
    not_live = {
        name: options if name == "default" else {**options, "AUTO_UPDATE": False}
        for name, options in settings.WAGTAILSEARCH_BACKENDS.items()
    }
    with override_settings(WAGTAILSEARCH_BACKENDS=not_live), open(os.devnull, "w") as quiet:
        call_command("load_demo", no_pdf=True, stdout=quiet)
    for name in settings.WAGTAILSEARCH_BACKENDS:
        if name != "default":
            call_command("update_index", backend_name=name, verbosity=0)


def page_keys(language, slugs):
    """Judged page name -> translation key, and the locale's page id -> translation key."""
    from wagtail.models import Page

    english = {page.slug: page.translation_key for page in Page.objects.filter(locale__language_code="en")}
    missing = sorted(slug for slug in slugs.values() if slug not in english)
    if missing:
        raise SystemExit(f"Judged pages not in the demo: {', '.join(missing)}")
    keys = {name: english[slug] for name, slug in slugs.items()}
    ids = dict(Page.objects.filter(locale__language_code=language).values_list("pk", "translation_key"))
    return keys, ids


def evaluate(judgements):
    from django.test import RequestFactory
    from django.utils import translation
    from wagtail.models import Locale

    from search import glossary
    from search.facets import SearchFacets
    from search.queries import database_search, engine_search

    factory = RequestFactory()
    rows = {}
    for language, queries in judgements["queries"].items():
        keys, ids = page_keys(language, judgements["pages"])
        locale = Locale.objects.get(language_code=language)
        scores = {}
        with translation.override(language):
            for query, judged in queries:
                grades = {keys[name]: grade for name, grade in judged.items()}
                alternatives = glossary.expand(locale, query)
                for backend in ("engine", "database"):
                    for variant, extra in (("baseline", ()), ("glossary", alternatives)):
                        facets = SearchFacets(factory.get(f"/{language}/search/", {"q": query}))
                        if backend == "engine":
                            outcome = engine_search(language, locale, query, facets, 0, DEPTH, (), extra)
                        else:
                            outcome = database_search(locale, query, facets, 0, DEPTH, (), extra)
                        ranked = [grades.get(ids.get(page.pk), 0) for page in outcome.pages]
                        score = scores.setdefault((backend, variant), {"ndcg": [], "zero": 0, "failed": []})
                        value = ndcg(ranked, list(grades.values()))
                        score["ndcg"].append(value)
                        score["zero"] += outcome.total == 0
                        if value < 0.5:
                            score["failed"].append(query)
        rows[language] = (len(queries), scores)
    return rows


def report(rows, seconds):
    print(f"\nSearch relevance on the judged set (bench/judgements.json), nDCG@{DEPTH} and zero-result rate")
    print("baseline = the reader's words only; glossary = with the sample glossary's synonyms (query-time expansion)\n")
    header = f"{'language':<9}{'queries':>8}"
    columns = [(backend, variant) for backend in ("engine", "database") for variant in ("baseline", "glossary")]
    for backend, variant in columns:
        header += f"  {backend + ' ' + variant:>22}"
    print(header)
    print(" " * 17 + "  ".join(f"{'nDCG  zero':>22}" for _ in columns))
    for language, (count, scores) in rows.items():
        line = f"{language:<9}{count:>8}"
        for column in columns:
            score = scores[column]
            mean = sum(score["ndcg"]) / len(score["ndcg"])
            line += f"  {mean:>15.3f} {score['zero'] / count:>6.0%}"
        print(line)
    print("\nQueries with nDCG@10 < 0.5 on the engine with the glossary:")
    for language, (_count, scores) in rows.items():
        failed = scores[("engine", "glossary")]["failed"]
        print(f"  {language}: {', '.join(failed) if failed else '-'}")
    print(f"\n(set-up and queries: {seconds:.0f} s)")


def main():
    from tools.search_engine import run

    judgements = json.loads(JUDGEMENTS.read_text(encoding="utf-8"))
    started = time.perf_counter()
    url = os.environ.get("SEARCH_URL")
    handle = None
    if not url:
        url, handle = run.start()
    try:
        setup_django(url)
        build()
        rows = evaluate(judgements)
    finally:
        if handle is not None:
            run.stop(handle)
    report(rows, time.perf_counter() - started)


if __name__ == "__main__":
    main()
