"""Search benchmark: the engine (Elasticsearch, one index per language) against the database backend, same run.

Builds a fresh SQLite copy of the demo site, adds N generated practice case studies (half English, half Arabic,
with pillars, themes and countries), then
  - indexes them with ``update_index`` into the engine's English and Arabic indexes and into the database
    backend, and prints documents per second for each;
  - runs a fixed set of 30 queries (15 Arabic, 15 English, 10 of them with facets) through the search page's own
    code paths (``search.queries.engine_search`` and ``database_search``: results, excerpts and facet counts),
    several rounds after a warm-up, and prints p50/p95 latency for each backend and the ratio.

    make bench-search                       # N=1000 and N=10000
    .venv/bin/python bench/search.py --n 1000 --rounds 5

The engine is started with ``tools/search_engine/run.py`` unless SEARCH_URL is set.
"""

import argparse
import os
import random
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench-search"
sys.path.insert(0, str(ROOT))

ENGLISH_WORDS = [
    "community",
    "police",
    "dialogue",
    "youth",
    "mentoring",
    "prevention",
    "rehabilitation",
    "reintegration",
    "prison",
    "probation",
    "victims",
    "support",
    "judicial",
    "training",
    "fair",
    "trial",
    "border",
    "security",
    "financing",
    "oversight",
    "parliament",
    "women",
    "leaders",
    "schools",
    "teachers",
    "online",
    "content",
    "moderation",
    "reporting",
    "returnees",
    "families",
    "counselling",
    "municipal",
    "councils",
    "evaluation",
    "networks",
    "cooperation",
    "regional",
    "exchange",
    "safeguards",
    "rights",
    "gender",
    "accountability",
    "resilience",
    "media",
    "literacy",
    "religious",
    "dialogue",
    "employment",
    "skills",
    "sport",
    "culture",
    "reconciliation",
    "mediation",
    "early",
    "warning",
]
ARABIC_WORDS = [
    "المجتمع",
    "الشرطة",
    "الحوار",
    "الشباب",
    "التوجيه",
    "الوقاية",
    "إعادة",
    "التأهيل",
    "الإدماج",
    "السجون",
    "الضحايا",
    "الدعم",
    "التدريب",
    "القضائي",
    "المحاكمة",
    "العادلة",
    "الحدود",
    "الأمن",
    "التمويل",
    "الرقابة",
    "البرلمان",
    "النساء",
    "القادة",
    "المدارس",
    "المعلمون",
    "المحتوى",
    "الإلكتروني",
    "الإبلاغ",
    "العائدون",
    "الأسر",
    "الإرشاد",
    "المجالس",
    "البلدية",
    "التقييم",
    "الشبكات",
    "التعاون",
    "الإقليمي",
    "الضمانات",
    "الحقوق",
    "المساواة",
    "المساءلة",
    "الصمود",
    "الإعلام",
    "الديني",
    "التشغيل",
    "المهارات",
    "الرياضة",
    "الثقافة",
    "المصالحة",
    "الوساطة",
    "الإنذار",
    "المبكر",
    "الإرهابية",
    "الجماعات",
    "التطرف",
    "العنيف",
    "مكافحة",
]

ENGLISH_QUERIES = [
    ("community dialogue", {}),
    ("prevention", {}),
    ("rehabilitating prisoners", {}),
    ("victims support", {}),
    ("judicial training", {"region": ["africa"]}),
    ("online content", {}),
    ("youth mentoring", {"pillar": ["I"]}),
    ("women leaders", {}),
    ("border security", {"type": ["practice"]}),
    ("parliament oversight", {}),
    ("families of returnees", {"region": ["middle-east", "africa"]}),
    ("early warning", {}),
    ("media literacy schools", {"pillar": ["IV"], "region": ["asia-pacific"]}),
    ("reconciliation", {}),
    ("evaluation of networks", {"country": ["SN"]}),
]
ARABIC_QUERIES = [
    ("الحوار المجتمعي", {}),
    ("الوقاية", {}),
    ("ارهاب", {}),
    ("الجماعات الإرهابية", {}),
    ("تدريب قضائي", {"region": ["africa"]}),
    ("المحتوى الالكتروني", {}),
    ("الشباب", {"pillar": ["I"]}),
    ("النساء القادة", {}),
    ("أمن الحدود", {"type": ["practice"]}),
    ("الرقابة البرلمانية", {}),
    ("أسر العائدين", {"region": ["middle-east"]}),
    ("الإنذار المبكر", {}),
    ("المصالحة", {"pillar": ["IV"]}),
    ("التطرف العنيف", {}),
    ("التقييم", {"country": ["MA"]}),
]


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def setup_django(url):
    shutil.rmtree(VAR, ignore_errors=True)
    VAR.mkdir(parents=True)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        DATABASE_URL=f"sqlite:///{VAR / 'db.sqlite3'}",
        SEARCH_BACKEND="elasticsearch7",
        SEARCH_URL=url,
        SEARCH_INDEX_PREFIX="bench_",
        LOG_LEVEL="ERROR",
    )
    import django

    django.setup()


def generate(n, rng):
    from django.conf import settings
    from django.core.management import call_command
    from wagtail.models import Locale

    from handbook.models import CaseStudyIndexPage, CaseStudyPage, Country, Term

    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    engine_backends = settings.WAGTAILSEARCH_BACKENDS
    # No per-save indexing while generating: the benchmark indexes in bulk afterwards, as update_index does.
    settings.WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database", "AUTO_UPDATE": False}}
    english = Locale.objects.get(language_code="en")
    pillars = list(Term.objects.filter(vocabulary="pillar", locale=english))
    themes = list(Term.objects.filter(vocabulary="theme", locale=english))
    countries = list(Country.objects.all())
    started = time.perf_counter()
    for language, words in (("en", ENGLISH_WORDS), ("ar", ARABIC_WORDS)):
        parent = CaseStudyIndexPage.objects.get(locale__language_code=language)
        locale = Locale.objects.get(language_code=language)
        digits = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩") if language == "ar" else None

        def sentence(count, words=words):
            return " ".join(rng.choice(words) for _ in range(count))

        for i in range(n // 2):
            year = str(rng.randint(1995, 2024))
            page = CaseStudyPage(
                title=sentence(4).capitalize(),
                slug=f"bench-{language}-{i}",
                locale=locale,
                summary=(sentence(25) + " " + (year.translate(digits) if digits else year))[:300],
                approach=f"<p>{sentence(60)}</p>",
                results=f"<p>{sentence(40)}</p>",
                **{name: f"<p>{sentence(10)}</p>" for name in CaseStudyPage.SAFEGUARD_FIELDS},
                implementing_country=rng.choice(countries),
                live=True,
            )
            page.pillars = rng.sample(pillars, rng.randint(1, 2))
            page.themes = rng.sample(themes, rng.randint(1, 3))
            page.partner_countries = rng.sample(countries, rng.randint(0, 2))
            parent.add_child(instance=page)
    settings.WAGTAILSEARCH_BACKENDS = engine_backends
    return time.perf_counter() - started


def timed_update_index(backend_name):
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("update_index", backend_name=backend_name, verbosity=0)
    return time.perf_counter() - started


def indexed_documents(language):
    from modelsearch.backends import get_search_backend
    from wagtail.models import Page

    backend = get_search_backend(f"engine-{language}")
    return backend.es.count(index=backend.get_index_for_model(Page).name)["count"]


def run_queries(rounds):
    from django.test import RequestFactory
    from django.utils import translation
    from wagtail.models import Locale

    from search.facets import SearchFacets
    from search.queries import database_search, engine_search

    factory = RequestFactory()
    timings = {"engine": [], "database": []}
    hits = {"engine": 0, "database": 0}
    for round_number in range(rounds + 1):  # round 0 warms caches and is not counted
        for language, queries in (("ar", ARABIC_QUERIES), ("en", ENGLISH_QUERIES)):
            with translation.override(language):
                locale = Locale.objects.get(language_code=language)
                for query, facets in queries:
                    for backend in ("engine", "database"):
                        request = factory.get(f"/{language}/search/", {"q": query, **facets})
                        started = time.perf_counter()
                        selection = SearchFacets(request)
                        if backend == "engine":
                            outcome = engine_search(language, locale, query, selection, 0, 10)
                        else:
                            outcome = database_search(locale, query, selection, 0, 10)
                        elapsed = time.perf_counter() - started
                        if round_number:
                            timings[backend].append(elapsed * 1000)
                            hits[backend] += outcome.total
    return timings, hits


def bench(n, rounds):
    from tools.search_engine import run

    url = os.environ.get("SEARCH_URL")
    handle = None
    if not url:
        url, handle = run.start()
    try:
        setup_django(url)
        rng = random.Random(20261129)
        generation = generate(n, rng)
        from wagtail.models import Page

        pages = Page.objects.filter(locale__language_code__in=["en", "ar"]).count()
        engine_seconds = timed_update_index("engine-en") + timed_update_index("engine-ar")
        engine_docs = indexed_documents("en") + indexed_documents("ar")
        database_seconds = timed_update_index("default")
        timings, hits = run_queries(rounds)
    finally:
        if handle is not None:
            run.stop(handle)

    print(f"\nN = {n} generated case studies ({n // 2} English, {n // 2} Arabic), {pages} en+ar pages in all")
    print(f"  generation (ORM, not indexing): {generation:.1f} s")
    engine_rate = engine_docs / engine_seconds
    database_rate = pages / database_seconds
    print(f"  indexing   engine:   {engine_docs} docs in {engine_seconds:.1f} s = {engine_rate:.0f} docs/s")
    print(f"  indexing   database: {pages} en+ar pages (all 6 languages' pages and other models rebuilt) ", end="")
    print(f"in {database_seconds:.1f} s = {database_rate:.0f} docs/s")
    print(f"  indexing ratio engine/database: {engine_rate / database_rate:.2f}x")
    queries = len(ENGLISH_QUERIES) + len(ARABIC_QUERIES)
    print(
        f"  queries: {queries} (15 ar, 15 en; 10 with facets) x {rounds} rounds, each with results, excerpts and facets"
    )
    summary = {}
    for backend in ("engine", "database"):
        values = timings[backend]
        summary[backend] = (statistics.median(values), percentile(values, 0.95))
        p50, p95 = summary[backend]
        print(
            f"  query {backend:>8}: p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  (total hits over all rounds {hits[backend]})"
        )
    ratio50 = summary["database"][0] / summary["engine"][0]
    ratio95 = summary["database"][1] / summary["engine"][1]
    print(f"  query ratio database/engine: p50 {ratio50:.2f}x  p95 {ratio95:.2f}x")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, action="append", help="case studies to generate (repeatable)")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    sizes = args.n or [1000, 10000]
    if len(sizes) == 1:
        bench(sizes[0], args.rounds)
        return
    import subprocess

    for size in sizes:  # a fresh process (and Django) per size
        subprocess.run([sys.executable, __file__, "--n", str(size), "--rounds", str(args.rounds)], check=True)


if __name__ == "__main__":
    main()
