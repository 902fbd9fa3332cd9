"""Rendering benchmark: CPU milliseconds per uncached request, in one process, for the pages readers come for.

The throughput benchmark (``bench/pages.py``) serves pages through gunicorn and wrk, so its figures move with the
machine's load; this one measures only the Python that builds a response. It serves the demo site (loaded once into
``var/bench-render/``; ``--fresh`` reloads it) with production settings and the page cache off, calls Django's WSGI
handler directly N times per page, and prints the process CPU time per request. ``robots.txt`` (a tiny view through
the same middleware) and a news item are the baselines measured in the same run.

    .venv/bin/python bench/render.py                       # or: make bench-render
    .venv/bin/python bench/render.py --requests 200
    .venv/bin/python bench/render.py --profile "case study"  # cProfile of that page, top functions by own time
"""

import argparse
import cProfile
import io
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench-render"
PYTHON = sys.executable


def bench_env():
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "bench-only-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "DATABASE_URL": f"sqlite:///{VAR / 'db.sqlite3'}",
        "STATIC_ROOT": str(VAR / "static"),
        "MEDIA_ROOT": str(VAR / "media"),
        "SHOW_SAMPLE_NOTICE": "true",
        "PAGE_CACHE_SECONDS": "0",
        "SEARCH_RATE_LIMIT": "100000000",
    }


def prepare(env):
    shutil.rmtree(VAR, ignore_errors=True)
    VAR.mkdir(parents=True)
    for args in (["migrate", "--no-input"], ["load_demo", "--no-pdf"], ["collectstatic", "--no-input"]):
        subprocess.run(  # nosec B603 - our own manage.py
            [PYTHON, "manage.py", *args], cwd=ROOT, env={**os.environ, **env}, check=True, stdout=subprocess.DEVNULL
        )


def pages():
    from handbook.models import CaseStudyPage, ChapterPage
    from news.models import NewsPage

    def first(model, language):
        return model.objects.live().filter(locale__language_code=language).order_by("path").first().url

    return {
        "robots.txt (baseline)": "/robots.txt",
        "news item (baseline)": first(NewsPage, "en"),
        "case study": first(CaseStudyPage, "en"),
        "chapter": first(ChapterPage, "en"),
        "case study (Arabic)": first(CaseStudyPage, "ar"),
    }


def request(handler, url):
    path, _, query = url.partition("?")
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SCRIPT_NAME": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_USER_AGENT": "bench",
        "HTTP_ACCEPT": "text/html",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    statuses = []
    body = b"".join(handler(environ, lambda status, headers, exc_info=None: statuses.append(status)))
    if not statuses[0].startswith("200"):
        raise SystemExit(f"bench: {url} answered {statuses[0]}")
    return body


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100, help="requests per page, over all rounds")
    parser.add_argument("--rounds", type=int, default=5, help="turns the pages take (best round shown)")
    parser.add_argument("--fresh", action="store_true", help="reload the demo database first")
    parser.add_argument("--profile", metavar="PAGE", help="profile this page (a name from the table) instead")
    parser.add_argument("--top", type=int, default=40, help="functions listed by --profile")
    parser.add_argument("--save", metavar="DIR", help="write each page's HTML there (to diff before and after)")
    args = parser.parse_args()

    env = bench_env()
    if args.fresh or not (VAR / "db.sqlite3").exists():
        print("bench: loading the demo site into var/bench-render/ …", flush=True)
        prepare(env)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django  # app loading: settings come from the environment set just above

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler  # app loading: needs the configured settings

    handler = WSGIHandler()
    urls = pages()
    for _ in range(5):
        for url in urls.values():
            request(handler, url)

    if args.profile:
        url = urls[args.profile]
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.requests):
            request(handler, url)
        profiler.disable()
        profiler.dump_stats(str(VAR / "profile.pstats"))
        stats = pstats.Stats(profiler).strip_dirs()
        print(f"{args.profile} {url}: {args.requests} requests")
        stats.sort_stats("tottime").print_stats(args.top)
        stats.sort_stats("cumulative").print_stats(args.top)
        return

    if args.save:
        Path(args.save).mkdir(parents=True, exist_ok=True)
        for name, url in urls.items():
            slug = name.split(" (")[0].replace(" ", "-") + ("-ar" if "Arabic" in name else "")
            (Path(args.save) / f"{slug}.html").write_bytes(request(handler, url))
    # Pages take turns, a round at a time, and each page's figure is its best round: the machine's other load only
    # ever adds time, so the least a round took is the closest to what the page itself costs.
    rounds = {name: [] for name in urls}
    for _ in range(args.rounds):
        for name, url in urls.items():
            start = time.process_time()
            for _ in range(args.requests // args.rounds):
                request(handler, url)
            rounds[name].append((time.process_time() - start) * 1000 / (args.requests // args.rounds))
    print(f"{'page':<24} {'CPU ms/request':>15} {'median':>8} {'vs news item':>13}   url")
    news = min(rounds["news item (baseline)"])
    for name, url in urls.items():
        best, median = min(rounds[name]), statistics.median(rounds[name])
        print(f"{name:<24} {best:>15.2f} {median:>8.2f} {best / news:>13.2f}   {url}")


if __name__ == "__main__":
    main()
