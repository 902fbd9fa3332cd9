"""Search at scale: ~100,000 generated practices in the real engine, against a 1,000-practice baseline of the same run.

    make bench-search BENCH_SEARCH_SCALE=100000               # the engine SEARCH_ENGINE names (Elasticsearch 7)
    SEARCH_ENGINE=opensearch3 .venv/bin/python bench/search_scale.py --n 100000 --baseline 1000 --rounds 5

In a throwaway SQLite database (``var/bench-search-scale/db.sqlite3``, replaced at the start of each run) it loads
the demo site (``--reuse-demo``: the copy the previous run kept of it), then
  1. generates the baseline's practices (half English, half Arabic; sample text, titled "Sample practice …", with
     pillars, themes, implementing and partner countries), rebuilds the English and Arabic indexes with
     ``update_index`` and runs the fixed query set of ``bench/search.py`` (15 English, 15 Arabic queries, 10 of them
     with facets) through the search page's own code (``search.queries.engine_search``: results, excerpts and facet
     counts), ``--rounds`` times after a warm-up round;
  2. generates practices up to N in all, indexes the new ones and queries again;
and prints indexing time and rate, query p50/p95/p99 and max, and the ratio of each figure at N to the baseline.

At scale the new practices are bulk-indexed straight into the live English and Arabic indexes (the backend's own
``add_items``: the same documents, 1,000 per bulk request, read with every related row prefetched and the labels
memoised: ~4 ms a document) instead of an
``update_index`` rebuild of every page: a rebuild reads each page's labels one page at a time, ~50 ms a page on this
machine, over an hour for 100,000. ``--rebuild`` uses ``update_index`` at scale too.

The practices are written in bulk (the rows Wagtail's ``add_child`` would write, without a revision each), so that
100,000 of them take a minute or two rather than an hour; their text comes from a fixed seed, the same every run.
The engine is started with ``tools/search_engine/run.py`` (SEARCH_ENGINE) unless SEARCH_URL names a running one,
with the JVM as production runs it (``PRODUCTION_JVM``: the full JIT and G1, where the launcher's defaults stop the
JIT at its first tier for a quick start in tests, which makes every query several times slower at this size).
The database backend is left out here: ``bench/search.py`` compares it with the engine at 1,000 and 10,000.
"""

import argparse
import os
import random
import shutil
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench-search-scale"
sys.path.insert(0, str(ROOT))

from bench.search import ARABIC_QUERIES, ARABIC_WORDS, ENGLISH_QUERIES, ENGLISH_WORDS, percentile  # noqa: E402
from tools.search_engine import run  # noqa: E402

LANGUAGES = {"en": ENGLISH_WORDS, "ar": ARABIC_WORDS}
TITLE_PREFIX = {"en": "Sample practice", "ar": "ممارسة نموذجية"}
BATCH = 2000
BULK = 1000  # documents per bulk request at scale
PRODUCTION_JVM = "-XX:TieredStopAtLevel=4 -XX:-UseSerialGC -XX:+UseG1GC"


DATABASE = VAR / "db.sqlite3"
DEMO_SNAPSHOT = VAR / "demo.sqlite3"  # the database right after load_demo, for --reuse-demo


def setup_django(url, engine, reuse_demo):
    VAR.mkdir(parents=True, exist_ok=True)
    DATABASE.unlink(missing_ok=True)
    if reuse_demo and DEMO_SNAPSHOT.exists():
        shutil.copyfile(DEMO_SNAPSHOT, DATABASE)
    else:
        DEMO_SNAPSHOT.unlink(missing_ok=True)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        DATABASE_URL=f"sqlite:///{DATABASE}",
        SEARCH_BACKEND=engine,
        SEARCH_URL=url,
        SEARCH_INDEX_PREFIX="bench_scale_",
        SEARCH_TIMEOUT="30",
        LOG_LEVEL="ERROR",
    )
    import django

    django.setup()


def load_site():
    """Migrate and load the demo (minutes on a busy machine), or take the snapshot of an earlier run's."""
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    call_command("migrate", verbosity=0)
    if DEMO_SNAPSHOT.exists():
        return
    engine_backends = settings.WAGTAILSEARCH_BACKENDS
    # The demo is loaded without indexing page by page: update_index builds the indexes afterwards.
    settings.WAGTAILSEARCH_BACKENDS = {
        name: {**options, "AUTO_UPDATE": False} for name, options in engine_backends.items()
    }
    with open(os.devnull, "w") as quiet:
        call_command("load_demo", no_pdf=True, stdout=quiet)
    settings.WAGTAILSEARCH_BACKENDS = engine_backends
    connections.close_all()
    shutil.copyfile(DATABASE, DEMO_SNAPSHOT)


class PracticeWriter:
    """Writes generated CaseStudyPage rows under a language's practice listing in batches: the page row and the
    practice row (multi-table inheritance, which ``bulk_create`` refuses), the tree path after the listing's last
    child, and the taxonomy and partner-country links."""

    def __init__(self, language, rng):
        from django.contrib.contenttypes.models import ContentType
        from wagtail.models import Locale

        from handbook.models import CaseStudyIndexPage, CaseStudyPage, Country, Term

        self.language = language
        self.rng = rng
        self.words = LANGUAGES[language]
        self.digits = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩") if language == "ar" else None
        self.model = CaseStudyPage
        self.parent = CaseStudyIndexPage.objects.get(locale__language_code=language)
        self.locale = Locale.objects.get(language_code=language)
        self.content_type = ContentType.objects.get_for_model(CaseStudyPage)
        english = Locale.objects.get(language_code="en")
        self.pillars = list(Term.objects.filter(vocabulary="pillar", locale=english))
        self.themes = list(Term.objects.filter(vocabulary="theme", locale=english))
        self.countries = list(Country.objects.all())
        self.written = 0
        self.new_ids = []  # the pages written since the last indexing

    def sentence(self, count):
        return " ".join(self.rng.choice(self.words) for _ in range(count))

    def write(self, count):
        from django.db import transaction
        from django.utils import timezone
        from wagtail.models import Page

        with transaction.atomic():
            parent = Page.objects.select_for_update().get(pk=self.parent.pk)
            last = parent.get_last_child()
            step = last._get_lastpos_in_path() if last else 0
            now = timezone.now()
            practices, links = [], []
            for i in range(count):
                number = self.written + i + 1
                year = str(self.rng.randint(1995, 2024))
                title = f"{TITLE_PREFIX[self.language]} {number}: {self.sentence(4)}"
                slug = f"sample-practice-{number}"
                practice = self.model(
                    title=title,
                    draft_title=title,
                    slug=slug,
                    locale=self.locale,
                    translation_key=uuid.uuid4(),
                    content_type=self.content_type,
                    path=Page._get_path(parent.path, parent.depth + 1, step + i + 1),
                    depth=parent.depth + 1,
                    numchild=0,
                    url_path=f"{parent.url_path}{slug}/",
                    live=True,
                    has_unpublished_changes=False,
                    first_published_at=now,
                    last_published_at=now,
                    summary=(self.sentence(25) + " " + (year.translate(self.digits) if self.digits else year))[:300],
                    approach=f"<p>{self.sentence(60)}</p>",
                    results=f"<p>{self.sentence(40)}</p>",
                    **{name: f"<p>{self.sentence(10)}</p>" for name in self.model.SAFEGUARD_FIELDS},
                    implementing_country=self.rng.choice(self.countries),
                )
                practices.append(practice)
                links.append(
                    (
                        self.rng.sample(self.pillars, self.rng.randint(1, 2)),
                        self.rng.sample(self.themes, self.rng.randint(1, 3)),
                        self.rng.sample(self.countries, self.rng.randint(0, 2)),
                    )
                )
            page_fields = [field for field in Page._meta.concrete_fields if not field.primary_key]
            pages = [Page(**{field.attname: getattr(p, field.attname) for field in page_fields}) for p in practices]
            Page.objects.bulk_create(pages, batch_size=500)
            for practice, page in zip(practices, pages, strict=True):
                practice.pk = practice.page_ptr_id = page.pk
            # bulk_create refuses multi-table inheritance; its own batched insert writes the child table's rows.
            self.model.objects.all()._batched_insert(practices, self.model._meta.local_concrete_fields, batch_size=500)
            for name, index in (("pillars", 0), ("themes", 1), ("partner_countries", 2)):
                through = self.model._meta.get_field(name).remote_field.through
                source, target = self.through_columns(through)
                rows = [
                    through(**{source: practice.pk, target: related.pk})
                    for practice, chosen in zip(practices, links, strict=True)
                    for related in chosen[index]
                ]
                through.objects.bulk_create(rows, batch_size=1000)
            Page.objects.filter(pk=parent.pk).update(numchild=parent.numchild + count)
        self.written += count
        self.new_ids.extend(page.pk for page in pages)

    def through_columns(self, through):
        source = target = None
        for field in through._meta.concrete_fields:
            if field.is_relation and field.related_model is self.model:
                source = field.attname
            elif field.is_relation:
                target = field.attname
        return source, target


def grow(writers, total):
    """Generate practices until there are `total` in all (half per language); return the seconds it took."""
    started = time.perf_counter()
    for writer in writers:
        remaining = total // len(writers) - writer.written
        while remaining > 0:
            batch = min(BATCH, remaining)
            writer.write(batch)
            remaining -= batch
    return time.perf_counter() - started


def rebuild():
    """update_index of the English and Arabic engine indexes: (seconds, documents in the two indexes)."""
    from django.core.management import call_command
    from modelsearch.backends import get_search_backend
    from wagtail.models import Page

    started = time.perf_counter()
    documents = 0
    for language in LANGUAGES:
        call_command("update_index", backend_name=f"engine-{language}", verbosity=0)
    seconds = time.perf_counter() - started
    for language in LANGUAGES:
        backend = get_search_backend(f"engine-{language}")
        documents += backend.es.count(index=backend.get_index_for_model(Page).name)["count"]
    return seconds, documents


def bulk_add(writers):
    """Index the practices written since the last indexing into their language's live index: (seconds, documents in
    the two indexes)."""
    from modelsearch.backends import get_search_backend
    from wagtail.models import Page

    from core.languages import memoised_translations
    from handbook.models import CaseStudyPage

    started = time.perf_counter()
    related = [relation.name for relation in CaseStudyPage._meta.many_to_many]
    with memoised_translations():  # the labels a page indexes, read once per language (as update_index does)
        for writer in writers:
            backend = get_search_backend(f"engine-{writer.language}")
            index = backend.get_index_for_model(CaseStudyPage)
            for start in range(0, len(writer.new_ids), BULK):
                pages = CaseStudyPage.objects.filter(pk__in=writer.new_ids[start : start + BULK])
                pages = pages.select_related("implementing_country__region", "locale").prefetch_related(*related)
                index.add_items(CaseStudyPage, list(pages))
            writer.new_ids = []
            index.refresh()
    seconds = time.perf_counter() - started
    documents = 0
    for language in LANGUAGES:
        backend = get_search_backend(f"engine-{language}")
        documents += backend.es.count(index=backend.get_index_for_model(Page).name)["count"]
    return seconds, documents


def query_latencies(rounds):
    """Milliseconds per query of the fixed set through the search page's engine path (with the glossary's other
    wordings, as the page runs it), the engine's own share of them (its ``took``), and the hits of one round."""
    from django.test import RequestFactory
    from django.utils import translation
    from wagtail.models import Locale

    from search import glossary, queries
    from search.facets import SearchFacets

    took = []
    run_query = queries._run

    def timed(backend, index_name, body):
        response = run_query(backend, index_name, body)
        took.append(response["took"])
        return response

    factory = RequestFactory()
    timings, engine, hits = [], [], 0
    queries._run = timed
    try:
        for round_number in range(rounds + 1):  # round 0 warms caches and is not counted
            for language, fixed in (("ar", ARABIC_QUERIES), ("en", ENGLISH_QUERIES)):
                with translation.override(language):
                    locale = Locale.objects.get(language_code=language)
                    for query, facets in fixed:
                        request = factory.get(f"/{language}/search/", {"q": query, **facets})
                        took.clear()
                        started = time.perf_counter()
                        alternatives = glossary.expand(locale, query)
                        outcome = queries.engine_search(
                            language, locale, query, SearchFacets(request), 0, 10, (), alternatives
                        )
                        elapsed = (time.perf_counter() - started) * 1000
                        if round_number:
                            timings.append(elapsed)
                            engine.append(sum(took))
                        else:
                            hits += outcome.total
    finally:
        queries._run = run_query
    return timings, engine, hits


def measure(label, writers, total, rounds, bulk=False):
    generation = grow(writers, total)
    if bulk:
        before = sum(len(writer.new_ids) for writer in writers)
        seconds, documents = bulk_add(writers)
        rate_documents = before
    else:
        for writer in writers:
            writer.new_ids = []
        seconds, documents = rebuild()
        rate_documents = documents
    timings, engine, hits = query_latencies(rounds)
    figures = {
        "practices": total,
        "documents": documents,
        "generation_s": generation,
        "indexing_s": seconds,
        "docs_per_s": rate_documents / seconds,
        "p50_ms": statistics.median(timings),
        "p95_ms": percentile(timings, 0.95),
        "p99_ms": percentile(timings, 0.99),
        "max_ms": max(timings),
        "engine_p50_ms": statistics.median(engine),
        "engine_p95_ms": percentile(engine, 0.95),
        "hits": hits,
    }
    how = f"{rate_documents} new docs bulk-added" if bulk else "rebuilt"
    print(
        f"  {label:>9}: {total:>7} practices, {documents:>7} docs ({how}) indexed in {seconds:6.1f} s "
        f"({figures['docs_per_s']:5.0f} docs/s); queries p50 {figures['p50_ms']:5.1f} ms, "
        f"p95 {figures['p95_ms']:5.1f} ms, p99 {figures['p99_ms']:5.1f} ms, max {figures['max_ms']:5.1f} ms "
        f"(the engine's own took: p50 {figures['engine_p50_ms']:.0f} ms, p95 {figures['engine_p95_ms']:.0f} ms; "
        f"load average {os.getloadavg()[0]:.1f}) "
        f"({hits} hits per round; generated in {generation:.0f} s)",
        flush=True,
    )
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="practices in all at scale (default 100000)")
    parser.add_argument("--baseline", type=int, default=1000, help="practices of the baseline (default 1000)")
    parser.add_argument("--rounds", type=int, default=5, help="measured rounds of the query set (default 5)")
    parser.add_argument(
        "--reuse-demo", action="store_true", help="start from the demo database the previous run kept (saves minutes)"
    )
    parser.add_argument(
        "--rebuild", action="store_true", help="rebuild with update_index at scale too (instead of bulk-adding)"
    )
    args = parser.parse_args()
    if not 0 < args.baseline < args.n:
        parser.error("--baseline must be positive and smaller than --n")

    engine = run.engine_named()
    url = os.environ.get("SEARCH_URL")
    handle = None
    began = time.perf_counter()
    if not url:
        os.environ.setdefault("SEARCH_ENGINE_JVM_OPTIONS", PRODUCTION_JVM)
        url, handle = run.start(engine=engine.name, heap=os.environ.get("SEARCH_ENGINE_HEAP", "1g"))
    try:
        setup_django(url, engine.name, args.reuse_demo)
        load_site()
        rng = random.Random(20261201)
        writers = [PracticeWriter(language, rng) for language in LANGUAGES]
        queries = len(ENGLISH_QUERIES) + len(ARABIC_QUERIES)
        print(
            f"\n{engine.label} at {url}: {queries} queries (15 en, 15 ar, 10 with facets) x {args.rounds} rounds, "
            "results + excerpts + facet counts",
            flush=True,
        )
        base = measure("baseline", writers, args.baseline, args.rounds)
        scale = measure("scale", writers, args.n, args.rounds, bulk=not args.rebuild)
    finally:
        if handle is not None:
            run.stop(handle)
    growth = scale["documents"] / base["documents"]
    print(f"  ratio scale/baseline ({growth:.0f}x the documents):")
    print(
        f"    indexing time {scale['indexing_s'] / base['indexing_s']:.1f}x, "
        f"rate {scale['docs_per_s'] / base['docs_per_s']:.2f}x; "
        f"query p50 {scale['p50_ms'] / base['p50_ms']:.2f}x, p95 {scale['p95_ms'] / base['p95_ms']:.2f}x, "
        f"p99 {scale['p99_ms'] / base['p99_ms']:.2f}x"
    )
    print(f"  whole run {time.perf_counter() - began:.0f} s; the throwaway database is {VAR / 'db.sqlite3'}")


if __name__ == "__main__":
    main()
