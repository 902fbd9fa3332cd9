"""Search at scale: ~100,000 generated practices in the real engine, against a 1,000-practice baseline of the same run.

    make bench-search BENCH_SEARCH_SCALE=100000               # build (tens of minutes), then query
    make bench-search BENCH_SEARCH_SCALE=100000 BENCH_SEARCH_ARGS=--queries-only     # query the kept build again
    SEARCH_ENGINE=opensearch3 .venv/bin/python bench/search_scale.py --n 100000 --baseline 1000 --rounds 5
    .venv/bin/python bench/search_scale.py --queries-only --rounds 5 --profile 3     # + where the time goes

**Build once, measure later.** A build (the default) keeps what is expensive to make in ``var/bench-search-scale/``
(``BENCH_SEARCH_SCALE_DIR``): the SQLite database (``db.sqlite3``), the engine node's home with its indexes
(``engine-<SEARCH_ENGINE>/``) and the build's figures (``kept.json``, written once the indexing is done). A build
replaces all three. ``--queries-only`` generates and indexes nothing: it starts the engine on the kept indexes
(the same production JVM settings, ~10-30 s) and runs the query rounds on them (well under two minutes for 5
rounds), printing the build's figures beside the new ones; that is the phase to run on a quiet machine.
``--profile RUNS`` then splits each query's time (see ``breakdown``). ``--database SECONDS`` then runs three queries
on the database backend, each abandoned after SECONDS; the first such run indexes the kept practices into the
database backend (in bulk, kept: 21 docs/s under a load of 14 here, so over an hour for 100,000 on a busy machine).
At 5,000 practices under that load none of the three finished in 20 s (``bench/search.py`` measured 9-24 s a query
at 10,000): the database backend is the fallback for a small site or an engine outage, not a backend at this size.

A build, in that database, loads the demo site (``--reuse-demo``: the copy the previous run kept of it), then
  1. generates the baseline's practices (half English, half Arabic; sample text, titled "Sample practice …", with
     pillars, themes, implementing and partner countries; the text is drawn as ``bench/scale_text.py`` says: the
     demo's own vocabulary with Zipf frequencies plus a generated tail, 6,000 words a language, and ~30% of each
     practice's words from the topic lists of one or two of its themes, so that a query matches a realistic share of
     the collection), rebuilds the English and Arabic indexes with
     ``update_index`` and runs the fixed query set of ``bench/search.py`` (15 English, 15 Arabic queries, 10 of them
     with facets) through the search page's own code (``search.queries.engine_search``: results, excerpts and facet
     counts), ``--rounds`` times after ``--warmup`` rounds (``WARMUP_ROUNDS``; the first one's figures are printed as
     the cold engine's);
  2. generates practices up to N in all, indexes the new ones and queries again;
and prints the generation and indexing times and rates (a progress line per 10,000 documents, with the load
average), query p50/p95/p99 and max with the engine's own ``took``, each fixed query's hit total and its share of
the language's documents (kept in ``kept.json``; ``--queries-only`` prints them for the build it queries, so an
older build shows its own), and the ratio of each figure at N to the baseline.

The first generator drew every word uniformly from ~56 domain words, so a practice held nearly all of them and the
median fixed query matched 91% of its language's 50,000 documents (min 0%, max 99%); with the text of
``bench/scale_text.py`` the median is ~10% (from 0.1% for a narrow query with facets to ~98% for ارهاب, which nearly
every practice on this platform mentions). The baseline's indexes are not kept apart: ``--queries-only`` measures N
only.

At scale the new practices are bulk-indexed straight into the live English and Arabic indexes (the backend's own
``add_items``: the same documents, 1,000 per bulk request, read with every related row prefetched and the labels
memoised: ~4 ms a document), then each index is force-merged into one segment as ``update_index`` does before a
rebuilt index serves (``LocaleBackendMixin.force_merge``; the bulk load leaves tens of segments), instead of an
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
import functools
import json
import logging
import os
import random
import shutil
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = Path(os.environ.get("BENCH_SEARCH_SCALE_DIR") or ROOT / "var" / "bench-search-scale").resolve()  # kept
sys.path.insert(0, str(ROOT))

from bench.scale_text import TITLE_TOPIC_SHARE, TextModel  # noqa: E402
from bench.search import ARABIC_QUERIES, ENGLISH_QUERIES, percentile  # noqa: E402
from tools.search_engine import run  # noqa: E402

LANGUAGES = ("en", "ar")
TITLE_PREFIX = {"en": "Sample practice", "ar": "ممارسة نموذجية"}
BATCH = 2000
BULK = 1000  # documents per bulk request at scale
PROGRESS = 10_000  # a progress line per that many documents generated or indexed
PRODUCTION_JVM = "-XX:TieredStopAtLevel=4 -XX:-UseSerialGC -XX:+UseG1GC"
# A freshly started engine's JVM compiles its search code over its first few hundred queries: at 100,000 practices the
# fixed set's mean ``took`` was 29.9 ms in its first ten passes and 12.5 ms in the next ten (Elasticsearch 7.10.2, a
# quiet machine). A serving engine has long been warm, so the measured rounds follow ten rounds (300 searches) of
# warm-up; the first round is still reported, as the cold engine's figures.
WARMUP_ROUNDS = 10


DATABASE = VAR / "db.sqlite3"
DEMO_SNAPSHOT = VAR / "demo.sqlite3"  # the database right after load_demo, for --reuse-demo
KEPT = VAR / "kept.json"  # what a finished build left for --queries-only: engine, sizes, build figures


def engine_home(engine):
    """The engine node's home (its index data) for this engine, kept between runs like the database."""
    return VAR / f"engine-{engine}"


def setup_django(url, engine, reuse_demo, keep_database=False):
    VAR.mkdir(parents=True, exist_ok=True)
    if not keep_database:
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
    from django.conf import settings

    # Production runs without DEBUG: with it, Django keeps every SQL statement of the process, CPU a worker never
    # spends (the dev settings are only for their SQLite and engine wiring here).
    settings.DEBUG = False


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
        self.text = TextModel(language, rng)
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
                chosen = (
                    self.rng.sample(self.pillars, self.rng.randint(1, 2)),
                    self.rng.sample(self.themes, self.rng.randint(1, 3)),
                    self.rng.sample(self.countries, self.rng.randint(0, 2)),
                )
                topics = [theme.code for theme in chosen[1][: self.rng.randint(1, 2)]]
                sentence = functools.partial(self.text.sentence, topics=topics)
                title = f"{TITLE_PREFIX[self.language]} {number}: {sentence(4, share=TITLE_TOPIC_SHARE)}"
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
                    summary=(sentence(25) + " " + (year.translate(self.digits) if self.digits else year))[:300],
                    approach=f"<p>{sentence(60)}</p>",
                    results=f"<p>{sentence(40)}</p>",
                    **{name: f"<p>{sentence(10)}</p>" for name in self.model.SAFEGUARD_FIELDS},
                    implementing_country=self.rng.choice(self.countries),
                )
                practices.append(practice)
                links.append(chosen)
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
    done = 0
    for writer in writers:
        remaining = total // len(writers) - writer.written
        while remaining > 0:
            batch = min(BATCH, remaining)
            writer.write(batch)
            remaining -= batch
            done += batch
            if done % PROGRESS < BATCH:
                progress("generated", done, started)
    return time.perf_counter() - started


def progress(what, done, started):
    """One line per PROGRESS documents on a long build, so that a log shows the rate and the load it ran under."""
    seconds = time.perf_counter() - started
    print(
        f"    {what} {done:>7} in {seconds:6.0f} s ({done / seconds:5.0f} docs/s; "
        f"load average {os.getloadavg()[0]:.1f})",
        flush=True,
    )


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
    done = 0
    with memoised_translations():  # the labels a page indexes, read once per language (as update_index does)
        for writer in writers:
            backend = get_search_backend(f"engine-{writer.language}")
            index = backend.get_index_for_model(CaseStudyPage)
            # No refresh between bulk requests (as a bulk load is done): one at the end makes them searchable.
            backend.es.indices.put_settings(index=index.name, body={"index": {"refresh_interval": "-1"}})
            for start in range(0, len(writer.new_ids), BULK):
                pages = CaseStudyPage.objects.filter(pk__in=writer.new_ids[start : start + BULK])
                pages = pages.select_related("implementing_country__region", "locale").prefetch_related(*related)
                index.add_items(CaseStudyPage, list(pages))
                done += len(writer.new_ids[start : start + BULK])
                if done % PROGRESS < BULK:
                    progress("indexed", done, started)
            writer.new_ids = []
            backend.es.indices.put_settings(index=index.name, body={"index": {"refresh_interval": None}})
            index.refresh()
            merging = time.perf_counter()
            backend.force_merge(index.name)  # as update_index does before a rebuilt index serves
            print(f"    {index.name} merged into one segment in {time.perf_counter() - merging:.0f} s", flush=True)
    seconds = time.perf_counter() - started
    documents = 0
    for language in LANGUAGES:
        backend = get_search_backend(f"engine-{language}")
        documents += backend.es.count(index=backend.get_index_for_model(Page).name)["count"]
    return seconds, documents


def query_latencies(rounds, warmup):
    """Milliseconds per query of the fixed set through the search page's engine path (with the glossary's other
    wordings, as the page runs it), the engine's own share of them (its ``took``), each query's hit total in
    the first round: (language, query, facets, total), and the first round's milliseconds per query (the cold
    engine's). ``warmup`` rounds run before the ``rounds`` measured."""
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
    timings, engine, hits, cold = [], [], [], []
    queries._run = timed
    try:
        for round_number in range(warmup + rounds):
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
                        if round_number == 0:
                            hits.append((language, query, facets, outcome.total))
                            cold.append(elapsed)
                        if round_number >= warmup:
                            timings.append(elapsed)
                            engine.append(sum(took))
    finally:
        queries._run = run_query
    return timings, engine, hits, cold


def language_documents():
    """Documents in each language's engine index: {language: count}."""
    from modelsearch.backends import get_search_backend
    from wagtail.models import Page

    counts = {}
    for language in LANGUAGES:
        backend = get_search_backend(f"engine-{language}")
        counts[language] = backend.es.count(index=backend.get_index_for_model(Page).name)["count"]
    return counts


def breakdown(repeats):
    """Where each query's time goes, the median of `repeats` runs of the fixed set: the whole call; the engine's own
    ``took`` for the page's request, and what the facet aggregations and the highlighting add to it (the same
    request without them, ``took`` again); the HTTP round trip and JSON beyond ``took``; the SQL queries (count and
    time); the rest, Python (building the request, the facets' options and counts, the glossary, hydration); and
    the CPU time this process spent on the whole call (what the site's Python costs a worker, whatever the load:
    the engine's time is another process's, and waiting on it or on a busy machine is not counted)."""
    from django.db import connection
    from django.test import RequestFactory
    from django.utils import translation
    from wagtail.models import Locale

    from search import glossary, queries
    from search.facets import SearchFacets

    run_query = queries._run
    calls = []  # (body, wall ms, took ms) of the engine requests of one search
    sql = []  # ms per SQL query of one search

    def recorded(backend, index_name, body):
        started = time.perf_counter()
        response = run_query(backend, index_name, body)
        calls.append((backend, index_name, body, (time.perf_counter() - started) * 1000, response["took"]))
        return response

    def timed_sql(execute, sql_text, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql_text, params, many, context)
        finally:
            sql.append((time.perf_counter() - started) * 1000)

    def took_without(backend, index_name, body, *keys):
        return run_query(backend, index_name, {k: v for k, v in body.items() if k not in keys})["took"]

    def one(language, locale, query, facets):
        """(total, took, facets, highlight, http, SQL queries, SQL ms, Python, engine requests, CPU ms) of one
        search."""
        request = factory.get(f"/{language}/search/", {"q": query, **facets})
        calls.clear()
        sql.clear()
        cpu = time.process_time()
        started = time.perf_counter()
        alternatives = glossary.expand(locale, query)
        queries.engine_search(language, locale, query, SearchFacets(request), 0, 10, (), alternatives)
        total = (time.perf_counter() - started) * 1000
        cpu = (time.process_time() - cpu) * 1000
        took = sum(call[4] for call in calls)
        wall = sum(call[3] for call in calls)
        no_aggs = sum(took_without(*call[:3], "aggs") for call in calls)
        no_highlight = sum(took_without(*call[:3], "highlight") for call in calls)
        return (
            total,
            took,
            took - no_aggs,
            took - no_highlight,
            wall - took,
            len(sql),
            sum(sql),
            total - wall - sum(sql),
            len(calls),
            cpu,
        )

    factory = RequestFactory()
    rows = []
    queries._run = recorded
    try:
        with connection.execute_wrapper(timed_sql):
            for language, fixed in (("ar", ARABIC_QUERIES), ("en", ENGLISH_QUERIES)):
                with translation.override(language):
                    locale = Locale.objects.get(language_code=language)
                    for query, facets in fixed:
                        one(language, locale, query, facets)  # warms caches
                        samples = [one(language, locale, query, facets) for _ in range(repeats)]
                        medians = [statistics.median(column) for column in zip(*samples, strict=True)]
                        rows.append((language, query, facets, medians))
    finally:
        queries._run = run_query
    print(
        "  where the time goes (ms, median of each query's runs; facets = took - took without the aggregations, "
        "highlight = took - took without highlighting):",
        flush=True,
    )
    print(
        f"    {'query':<34} {'total':>6} {'took':>5} {'facets':>6} {'highl.':>6} {'http':>5} {'sql':>9} {'python':>6} "
        f"{'cpu':>5}"
    )
    for language, query, facets, m in rows:
        label = f"{language} {query}" + (" +" + ",".join(facets) if facets else "") + (" (2 req.)" if m[8] > 1 else "")
        print(
            f"    {label[:34]:<34} {m[0]:6.1f} {m[1]:5.0f} {m[2]:6.0f} {m[3]:6.0f} {m[4]:5.1f} "
            f"{m[6]:5.1f}/{m[5]:<3.0f} {m[7]:6.1f} {m[9]:5.1f}"
        )
    means = [statistics.mean(m[3][i] for m in rows) for i in range(10)]
    print(
        f"    {'mean':<34} {means[0]:6.1f} {means[1]:5.1f} {means[2]:6.1f} {means[3]:6.1f} {means[4]:5.1f} "
        f"{means[6]:5.1f}/{means[5]:<3.0f} {means[7]:6.1f} {means[9]:5.1f}  (load average {os.getloadavg()[0]:.1f})",
        flush=True,
    )


DATABASE_QUERIES = [ENGLISH_QUERIES[0], ARABIC_QUERIES[0], ENGLISH_QUERIES[4]]  # two plain, one with a facet


def database_index():
    """Index the kept practices the database backend (``default``) does not hold yet, in bulk as the engine's were:
    (documents added, seconds). Kept with the database, so done once per build."""
    from django.contrib.contenttypes.models import ContentType
    from modelsearch.backends import get_search_backend
    from modelsearch.conf import get_app_config

    from core.languages import memoised_translations
    from handbook.models import CaseStudyPage

    IndexEntry = get_app_config().get_model("IndexEntry")  # noqa: N806 - a model (Wagtail's own app holds it)
    content_type = ContentType.objects.get_for_model(CaseStudyPage)
    held = set(IndexEntry.objects.filter(content_type=content_type).values_list("object_id", flat=True))
    missing = [pk for pk in CaseStudyPage.objects.values_list("pk", flat=True) if str(pk) not in held]
    index = get_search_backend("default").get_index_for_model(CaseStudyPage)
    related = [relation.name for relation in CaseStudyPage._meta.many_to_many]
    started = time.perf_counter()
    with memoised_translations():
        for start in range(0, len(missing), BULK):
            pages = CaseStudyPage.objects.filter(pk__in=missing[start : start + BULK])
            pages = pages.select_related("implementing_country__region", "locale").prefetch_related(*related)
            index.add_items(CaseStudyPage, list(pages))
            if (start + BULK) % PROGRESS < BULK:
                progress("database-indexed", start + BULK, started)
    return len(missing), time.perf_counter() - started


def database_queries(cap):
    """The database backend on the kept build: three queries of the set through the page's database path
    (``search.queries.database_search``, facets counted in the database), each stopped after `cap` seconds (SQLite
    is told to abandon the statement): the seconds each took, or None when it did not finish."""
    from django.db import DatabaseError, connection
    from django.test import RequestFactory
    from django.utils import translation
    from wagtail.models import Locale

    from search import glossary, queries
    from search.facets import SearchFacets

    added, seconds = database_index()
    if added:
        print(f"  database backend: {added} practices indexed in {seconds:.0f} s ({added / seconds:.0f} docs/s)")
    logging.getLogger("search.queries").setLevel(logging.CRITICAL)  # an abandoned statement is logged there
    connection.ensure_connection()
    factory = RequestFactory()
    for query, facets in DATABASE_QUERIES:
        language = "ar" if query in dict(ARABIC_QUERIES) else "en"
        deadline = time.perf_counter() + cap
        connection.connection.set_progress_handler(lambda end=deadline: time.perf_counter() > end, 10_000)
        started = time.perf_counter()
        try:
            with translation.override(language):
                locale = Locale.objects.get(language_code=language)
                request = factory.get(f"/{language}/search/", {"q": query, **facets})
                outcome = queries.database_search(
                    locale, query, SearchFacets(request), 0, 10, (), glossary.expand(locale, query)
                )
        except DatabaseError:
            outcome = None
        finally:
            connection.connection.set_progress_handler(None, 0)
        elapsed = time.perf_counter() - started
        label = f"{language} {query!r}" + (f" {facets}" if facets else "")
        if outcome is None or elapsed >= cap:
            print(f"  database backend: {label}: did not finish in {cap:.0f} s (stopped at {elapsed:.1f} s)")
        else:
            print(f"  database backend: {label}: {elapsed:.1f} s ({outcome.total} results)", flush=True)


def build(writers, total, bulk=False):
    """Generate practices up to `total` and index them: the build's figures."""
    generated = total - sum(writer.written for writer in writers)
    generation = grow(writers, total)
    if bulk:
        rate_documents = sum(len(writer.new_ids) for writer in writers)
        seconds, documents = bulk_add(writers)
    else:
        for writer in writers:
            writer.new_ids = []
        seconds, documents = rebuild()
        rate_documents = documents
    return {
        "practices": total,
        "documents": documents,
        "indexed": rate_documents,
        "how": f"{rate_documents} new docs bulk-added" if bulk else "rebuilt",
        "generation_s": generation,
        "generated": generated,
        "generation_docs_per_s": generated / generation,
        "indexing_s": seconds,
        "docs_per_s": rate_documents / seconds,
        "load_average": os.getloadavg()[0],
    }


def query_figures(rounds, warmup):
    timings, engine, hits, cold = query_latencies(rounds, warmup)
    documents = language_documents()
    return {
        "warmup_rounds": warmup,
        "cold_p50_ms": statistics.median(cold),
        "cold_p95_ms": percentile(cold, 0.95),
        "p50_ms": statistics.median(timings),
        "p95_ms": percentile(timings, 0.95),
        "p99_ms": percentile(timings, 0.99),
        "max_ms": max(timings),
        "engine_p50_ms": statistics.median(engine),
        "engine_p95_ms": percentile(engine, 0.95),
        "engine_p99_ms": percentile(engine, 0.99),
        "hits": sum(total for *_, total in hits),
        # The share of its language's documents each query's results are (the engine's hit total, facets applied).
        "matches": [
            {"language": lang, "query": query, "facets": facets, "total": total, "share": total / documents[lang]}
            for lang, query, facets, total in hits
        ],
        "documents_per_language": documents,
        "query_load_average": os.getloadavg()[0],
    }


def report(label, built, queried):
    if built:
        print(
            f"  {label:>9}: {built['generated']:>7} practices generated in {built['generation_s']:.0f} s "
            f"({built['generation_docs_per_s']:.0f}/s), {built['practices']} in all; "
            f"{built['documents']:>7} docs ({built['how']}) indexed in {built['indexing_s']:6.1f} s "
            f"({built['docs_per_s']:5.0f} docs/s; load average {built['load_average']:.1f} at its end)",
            flush=True,
        )
    if queried:
        print(
            f"  {label:>9}: queries p50 {queried['p50_ms']:5.1f} ms, p95 {queried['p95_ms']:5.1f} ms, "
            f"p99 {queried['p99_ms']:5.1f} ms, max {queried['max_ms']:5.1f} ms "
            f"(the engine's own took: p50 {queried['engine_p50_ms']:.0f} ms, p95 {queried['engine_p95_ms']:.0f} ms, "
            f"p99 {queried['engine_p99_ms']:.0f} ms; load average {queried['query_load_average']:.1f}; "
            f"{queried['hits']} hits per round)",
            flush=True,
        )
        if "cold_p50_ms" in queried:  # figures kept before the warm-up rounds were counted have none
            print(
                f"  {label:>9}: after {queried['warmup_rounds']} warm-up rounds; the first round, on the engine as it "
                f"started: p50 {queried['cold_p50_ms']:5.1f} ms, p95 {queried['cold_p95_ms']:5.1f} ms",
                flush=True,
            )
        print_matches(queried)


def print_matches(queried):
    """Each fixed query's hit total and its share of the language's documents (facets applied, as the page shows)."""
    if "matches" not in queried:  # a build kept before the shares were recorded
        return
    documents = ", ".join(f"{language} {count}" for language, count in queried["documents_per_language"].items())
    print(f"    matches per query (hit total / documents of the language: {documents}):")
    for row in queried["matches"]:
        label = f"{row['language']} {row['query']}" + (" +" + ",".join(row["facets"]) if row["facets"] else "")
        print(f"      {label[:40]:<40} {row['total']:>7} {100 * row['share']:5.1f}%")
    shares = sorted(row["share"] for row in queried["matches"])
    print(
        f"      share of the language's documents: median {100 * statistics.median(shares):.1f}%, "
        f"min {100 * shares[0]:.1f}%, max {100 * shares[-1]:.1f}%",
        flush=True,
    )


def start_engine(engine, keep):
    """The engine on this bench's kept node home (wiped first unless `keep`), with the JVM production runs, unless
    SEARCH_URL names a running one: (url, handle or None)."""
    url = os.environ.get("SEARCH_URL")
    if url:
        return url, None
    os.environ.setdefault("SEARCH_ENGINE_JVM_OPTIONS", PRODUCTION_JVM)
    home = engine_home(engine.name)
    if not keep:
        shutil.rmtree(home, ignore_errors=True)
    # clean=False: stop() leaves the node's data for the next --queries-only run.
    return run.start(engine=engine.name, heap=os.environ.get("SEARCH_ENGINE_HEAP", "1g"), data_dir=home, clean=False)


def queries_only(engine, rounds, warmup, profile=0, database=0):
    """Start the engine on the data a finished build kept and only run the query rounds."""
    if not KEPT.exists() or not DATABASE.exists():
        sys.exit(f"nothing kept in {VAR}: build it first (without --queries-only)")
    kept = json.loads(KEPT.read_text())
    if kept["engine"] != engine.name:
        sys.exit(f"{VAR} holds {kept['engine']}'s data, not {engine.name}'s: set SEARCH_ENGINE={kept['engine']}")
    began = time.perf_counter()
    url, handle = start_engine(engine, keep=True)
    try:
        setup_django(url, engine.name, reuse_demo=False, keep_database=True)
        print(
            f"\n{engine.label} at {url} (started in {time.perf_counter() - began:.0f} s) on the build of "
            f"{kept['built_at']}: {kept['scale']['practices']} practices; "
            f"{len(ENGLISH_QUERIES) + len(ARABIC_QUERIES)} queries x {rounds} rounds",
            flush=True,
        )
        report("baseline", kept["baseline"], kept.get("baseline_queries"))
        report("scale", kept["scale"], None)
        report("scale", None, query_figures(rounds, warmup))
        if profile:
            breakdown(profile)
        if database:
            database_queries(database)
    finally:
        if handle is not None:
            run.stop(handle)
    print(f"  whole run {time.perf_counter() - began:.0f} s")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="practices in all at scale (default 100000)")
    parser.add_argument("--baseline", type=int, default=1000, help="practices of the baseline (default 1000)")
    parser.add_argument("--rounds", type=int, default=5, help="measured rounds of the query set (default 5)")
    parser.add_argument(
        "--warmup",
        type=int,
        default=WARMUP_ROUNDS,
        help=f"rounds of the query set run before the measured ones (default {WARMUP_ROUNDS}); the first one's figures "
        "are printed as the cold engine's",
    )
    parser.add_argument(
        "--reuse-demo", action="store_true", help="start from the demo database the previous run kept (saves minutes)"
    )
    parser.add_argument(
        "--rebuild", action="store_true", help="rebuild with update_index at scale too (instead of bulk-adding)"
    )
    parser.add_argument(
        "--queries-only",
        action="store_true",
        help=f"no generating or indexing: start the engine on the data the last build kept in {VAR} and query it",
    )
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="RUNS",
        help="with --queries-only: after the rounds, where each query's time goes (engine, facets, highlighting, "
        "HTTP, SQL, Python), the median of RUNS runs",
    )
    parser.add_argument(
        "--database",
        type=float,
        default=0,
        metavar="SECONDS",
        help="with --queries-only: then three queries on the database backend, each stopped after SECONDS (the "
        "first time, the kept practices are indexed into it first: minutes)",
    )
    args = parser.parse_args()
    engine = run.engine_named()
    if args.queries_only:
        queries_only(engine, args.rounds, args.warmup, args.profile, args.database)
        return
    if not 0 < args.baseline < args.n:
        parser.error("--baseline must be positive and smaller than --n")

    began = time.perf_counter()
    KEPT.unlink(missing_ok=True)
    url, handle = start_engine(engine, keep=False)
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
        base = build(writers, args.baseline)
        base_queries = query_figures(args.rounds, args.warmup)
        report("baseline", base, base_queries)
        scale = build(writers, args.n, bulk=not args.rebuild)
        report("scale", scale, None)
        kept = {
            "engine": engine.name,
            "built_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "baseline": base,
            "baseline_queries": base_queries,
            "scale": scale,
        }
        # Written before the query rounds: a build cut off while querying is still there for --queries-only.
        KEPT.write_text(json.dumps(kept, indent=2))
        scale_queries = query_figures(args.rounds, args.warmup)
        report("scale", None, scale_queries)
    finally:
        if handle is not None:
            run.stop(handle)
    growth = scale["documents"] / base["documents"]
    print(f"  ratio scale/baseline ({growth:.0f}x the documents):")
    print(
        f"    indexing rate {scale['docs_per_s'] / base['docs_per_s']:.2f}x; "
        f"query p50 {scale_queries['p50_ms'] / base_queries['p50_ms']:.2f}x, "
        f"p95 {scale_queries['p95_ms'] / base_queries['p95_ms']:.2f}x, "
        f"p99 {scale_queries['p99_ms'] / base_queries['p99_ms']:.2f}x"
    )
    print(
        f"  whole run {time.perf_counter() - began:.0f} s; the database and the engine's data are kept in {VAR} "
        "(--queries-only queries them again)"
    )


if __name__ == "__main__":
    main()
