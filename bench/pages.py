"""Page-serving benchmark: the demo site under gunicorn as in production, measured with wrk.

Serves a fresh copy of the demo database with production settings (DEBUG off, 2 gunicorn workers, static files
through WhiteNoise), then measures requests/s and latency percentiles for the main page types and, as the
baseline in the same run, a static file. Prints each page's throughput as a ratio to the static file, and the
number of SQL queries each page costs (counted separately with Django's test client), and the gunicorn workers' CPU
milliseconds per request (user + system, from ``/proc/<pid>/stat`` before and after each wrk run) with its ratio to
the static file's: requests/s depend on what else the machine runs, CPU per request much less. Each page is measured
uncached (no page cache: every request renders) and cached (a second server with the anonymous page cache in Redis,
Debian's redis-server started here, as production runs it: core/page_cache.py).

    make bench            # or: .venv/bin/python bench/pages.py --duration 10
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ops import gunicorn_reload  # noqa: E402

VAR = ROOT / "var" / "bench"
PYTHON = sys.executable


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bench_env():
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="bench-only-" + "x" * 50,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        SECURE_HSTS_SECONDS="0",
        DATABASE_URL=f"sqlite:///{VAR / 'db.sqlite3'}",
        STATIC_ROOT=str(VAR / "static"),
        MEDIA_ROOT=str(VAR / "media"),
        SHOW_SAMPLE_NOTICE="true",
        # The benchmark measures serving, not the per-address limit that protects public search.
        SEARCH_RATE_LIMIT="100000000",
    )
    return env


def manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def prepare(env):
    shutil.rmtree(VAR, ignore_errors=True)
    VAR.mkdir(parents=True)
    manage(env, "migrate", "--no-input")
    manage(env, "load_demo")
    manage(env, "collectstatic", "--no-input")


def targets(env):
    """URLs to measure and their SQL query counts, found with Django's test client against the bench database."""
    script = r"""
import json, django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.templatetags.static import static
from handbook.models import CaseStudyIndexPage, CaseStudyPage, ChapterPage
listing = CaseStudyIndexPage.objects.get(locale__language_code="en")
urls = {
    "static file (baseline)": static("css/site.css"),
    "home page": "/en/",
    "chapter": ChapterPage.objects.live().filter(locale__language_code="en").first().url,
    "case study": CaseStudyPage.objects.live().filter(locale__language_code="en").first().url,
    "case study (Arabic)": CaseStudyPage.objects.live().filter(locale__language_code="ar").first().url,
    "filtered listing": listing.url + "?pillar=II&region=africa",
    "search": "/en/search/?q=community",
}
client = Client(HTTP_HOST="127.0.0.1")
result = {}
for name, url in urls.items():
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        status = client.get(url).status_code
    result[name] = {"url": url, "queries": len(captured.captured_queries), "status": status}
print(json.dumps(result))
"""
    output = subprocess.run([PYTHON, "-c", script], cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    return json.loads(output.stdout.strip().splitlines()[-1])


def wait_until_up(url, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - loopback only  # nosec B310
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"bench: gunicorn did not answer on {url} within {timeout}s")


def cache_status(url):
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback only  # nosec B310
        return response.headers.get("X-Page-Cache", "-")


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def workers_cpu_seconds(master):
    """User + system CPU seconds of the gunicorn master's live worker processes (Linux ``/proc``)."""
    ticks = sum(int(fields[11]) + int(fields[12]) for fields in gunicorn_reload.child_stats(master).values())
    return ticks / CLOCK_TICKS


def run_wrk(url, duration, connections):
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "-s", str(ROOT / "bench" / "percentiles.lua"), url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50, p95 = re.search(r"PERCENTILES p50=([\d.]+) p95=([\d.]+)", output).groups()
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    return rps, f"{p50}ms", f"{p95}ms", int(errors.group(1)) if errors else 0, requests


def gunicorn(env, workers, port):
    return subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "config.wsgi",
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{port}",
            "--access-logfile",
            "/dev/null",
            "--error-logfile",
            str(VAR / "gunicorn.log"),
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=8, help="seconds of load per URL")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("bench: wrk is not installed (Debian: apt-get install -y wrk)")

    env = bench_env()
    print("bench: preparing a fresh demo database and static files …", flush=True)
    prepare(env)
    pages = targets(env)
    redis_server = shutil.which("redis-server")
    if redis_server is None:
        raise SystemExit("bench: redis-server is not installed (Debian: apt-get install -y redis-server)")
    redis_port, uncached_port, cached_port = free_port(), free_port(), free_port()
    redis = subprocess.Popen(
        [redis_server, "--bind", "127.0.0.1", "--port", str(redis_port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    cached_env = {**env, "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0", "PAGE_CACHE_SECONDS": "3600"}
    servers = [gunicorn(env, args.workers, uncached_port), gunicorn(cached_env, args.workers, cached_port)]
    try:
        print(f"bench: gunicorn {args.workers} workers, wrk -t2 -c{args.connections} -d{args.duration}s\n")
        for label, port, server in [
            ("uncached", uncached_port, servers[0]),
            ("cached (page cache in Redis)", cached_port, servers[1]),
        ]:
            base = f"http://127.0.0.1:{port}"
            wait_until_up(base + pages["static file (baseline)"]["url"])
            print(label)
            last = "queries" if port == uncached_port else "cache"
            print(
                f"{'page':<24} {'req/s':>8} {'ratio':>7} {'p50':>9} {'p95':>9} {last:>8} {'non-2xx':>8}"
                f" {'CPU ms/req':>10} {'CPU ratio':>9}"
            )
            baseline = baseline_cpu = None
            for name, info in pages.items():
                cache_status(base + info["url"])  # the cached run measures a kept page, not the first rendering
                cpu_before = workers_cpu_seconds(server.pid)
                rps, p50, p95, errors, requests = run_wrk(base + info["url"], args.duration, args.connections)
                cpu_ms = (workers_cpu_seconds(server.pid) - cpu_before) * 1000 / requests
                baseline = baseline or rps
                # The static file's CPU over the page's: comparable to the req/s ratio on an idle machine.
                baseline_cpu = baseline_cpu or cpu_ms
                # Cached: what the page cache said to the last request (hit: no SQL at all).
                queries = info["queries"] if port == uncached_port else cache_status(base + info["url"])
                print(
                    f"{name:<24} {rps:>8.1f} {rps / baseline:>7.3f} {p50:>9} {p95:>9} {queries:>8} {errors:>8}"
                    f" {cpu_ms:>10.3f} {baseline_cpu / cpu_ms:>9.3f}",
                    flush=True,
                )
            print()
    finally:
        for process in [*servers, redis]:
            os.killpg(process.pid, signal.SIGTERM)
        for process in [*servers, redis]:
            try:
                process.wait(timeout=60)  # an uncached server may still be working through wrk's last requests
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


if __name__ == "__main__":
    main()
