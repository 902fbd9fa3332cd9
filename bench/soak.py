"""``make soak``: the site under production settings and a steady load, while editors publish, the search engine goes
away and comes back, and the app servers are reloaded twice; then a table of what readers got.

What runs (everything on 127.0.0.1, in a temporary folder, stopped at the end):
- the site with ``config.settings.production`` (a throw-away SECRET_KEY, no HTTPS redirect), static files collected
  into var/static (kept between runs, as ``make bench`` does), the demo loaded and indexed; SQLite in the temporary
  folder, or the database DATABASE_URL names (it must be empty);
- Redis (Debian's redis-server) as the shared cache; the search engine from ``tools/search_engine`` (SEARCH_ENGINE);
- gunicorn with SOAK_WORKERS sync workers (default 4) and ``config/gunicorn.py``, TRUSTED_PROXIES=127.0.0.1: every
  request says it comes from one of many readers (X-Forwarded-For), as nginx and Varnish would;
- SOAK_CONNECTIONS (default 64) connections, each asking for the next request as soon as the last one is answered:
  pages, searches and search suggestions in English and Arabic;
- an editor process (``bench/soak_site.py edit``) publishing an edit every SOAK_PUBLISH_SECONDS (default 5) that adds a
  unique marker word to a news item's title, and production's task worker for Wagtail's queue (``db_worker``), which
  makes the index updates.

On a schedule in fractions of SOAK_SECONDS (default 600): the engine stopped at 20 % and started again at 45 % (same
data, same port); gunicorn reloaded with SIGHUP at 60 % and with the re-exec at 80 % (USR2 starts a new master and new
workers beside the old ones; once every new worker is ready, TERM makes the old master stop taking requests and
finish what it has: ``ops/gunicorn_reload.py``, what the app servers' systemd unit runs). The pause of a reload is
the longest time in the 30 s after the signal in which no response arrived; the report sets it beside the same
measure over steady serving (from 5 % of the run, before the engine stops).

At the end each marker must be found by a search in its page's language and be on the page itself (within
LATE_SECONDS: the task worker may still be busy with the last edits). The exit status
is 1 when any response was 500 or more, a request failed without one, or an edit was lost.
"""

import collections
import contextlib
import http.client
import json
import os
import random
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ops import gunicorn_reload  # noqa: E402
from tools.search_engine import run as engine  # noqa: E402

SECONDS = float(os.environ.get("SOAK_SECONDS", "600"))
CONNECTIONS = int(os.environ.get("SOAK_CONNECTIONS", "64"))
WORKERS = int(os.environ.get("SOAK_WORKERS", "4"))
PUBLISH_SECONDS = float(os.environ.get("SOAK_PUBLISH_SECONDS", "5"))
SEED = int(os.environ.get("SOAK_SEED", "1"))
PAUSE_WINDOW = 30.0
LATE_SECONDS = 120.0  # how long after the load an edit may take to reach search and its page
SEARCHES = {
    "en": ["terrorism", "prevention", "youth", "dialogue", "community engagement", "rehabilitation", "women", "Africa"],
    "ar": ["الإرهاب", "الشباب", "الحوار", "التطرف العنيف", "إعادة التأهيل", "المرأة", "أفريقيا", "المجتمع"],
}
PREFIXES = {"en": ["te", "pre", "you", "com", "reh"], "ar": ["الإ", "الش", "الح", "الم"]}
MIX = [("page", 6), ("search", 3), ("suggest", 1)]


def say(message):
    print(f"soak: {message}", file=sys.stderr, flush=True)


class Site:
    """The servers of one soak run, and their shared environment."""

    def __init__(self, folder):
        self.folder = folder
        self.processes = []
        self.engine = None
        self.port = engine.free_port()
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(40),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_HSTS_SECONDS": "0",
            "TRUSTED_PROXIES": "127.0.0.1",
            "WAGTAILADMIN_BASE_URL": f"http://127.0.0.1:{self.port}",
            "STATIC_ROOT": str(ROOT / "var" / "static"),  # kept between runs, as `make bench` keeps it
            "MEDIA_ROOT": str(folder / "media"),
            "DATABASE_URL": os.environ.get("DATABASE_URL") or f"sqlite:///{folder / 'soak.sqlite3'}",
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
        for name in ("SEARCH_BACKEND", "SEARCH_URL", "REDIS_URL", "FRONTEND_CACHE_URL"):
            self.env.pop(name, None)

    def manage(self, *args, env=None):
        began = time.monotonic()
        subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env or self.env, check=True)
        return time.monotonic() - began

    def site_command(self, *args, env=None):
        subprocess.run(
            [sys.executable, str(ROOT / "bench" / "soak_site.py"), *args], cwd=ROOT, env=env or self.env, check=True
        )

    def start_redis(self):
        port = engine.free_port()
        redis = shutil.which("redis-server") or "/usr/bin/redis-server"
        self.processes.append(
            subprocess.Popen(
                [redis, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"],
                stdout=subprocess.DEVNULL,
            )
        )
        self.env["REDIS_URL"] = f"redis://127.0.0.1:{port}/0"

    def start_engine(self, port=None):
        url, self.engine = engine.launch(port, data_dir=self.folder / "engine", clean=False)
        return url

    def stop_engine(self):
        engine.stop(self.engine)

    def start_gunicorn(self):
        self.log = self.folder / "gunicorn.log"
        self.pidfile = self.folder / "gunicorn.pid"
        command = [
            str(Path(sys.executable).parent / "gunicorn"),  # a script, so that USR2's re-exec runs it again
            "config.wsgi",
            "-c",
            "config/gunicorn.py",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(WORKERS),
            "--timeout",
            "60",
            "--graceful-timeout",
            "30",
            "--pid",
            str(self.pidfile),
            "--no-control-socket",  # its default path is one per user: another gunicorn may hold it
            "--error-logfile",
            str(self.log),
            "--log-level",
            "info",
        ]
        self.gunicorn = subprocess.Popen(command, cwd=ROOT, env=self.env)  # noqa: S603 - a fixed local command
        self.processes.append(self.gunicorn)
        self.wait_ready_workers(timeout=180)

    def ready_workers(self, master=None):
        """The workers that logged "Worker ready" (of ``master`` only, when given: its children)."""
        try:
            text = self.log.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:  # gunicorn has not opened it yet
            return set()
        pids = {int(pid) for pid in re.findall(r"Worker ready \(pid: (\d+)\)", text)}
        return {pid for pid in pids if master is None or parent_of(pid) == master}

    def wait_ready_workers(self, master=None, exclude=frozenset(), timeout=180):
        deadline = time.monotonic() + timeout
        while len(self.ready_workers(master) - exclude) < WORKERS:
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn workers not ready after {timeout:.0f} s (see {self.log})")
            time.sleep(0.1)

    def master_pid(self):
        """The master's pid from its pid file (0 while a re-exec renames it)."""
        try:
            return int(self.pidfile.read_text().strip())
        except (OSError, ValueError):
            return 0

    def reload_hup(self):
        """SIGHUP, then wait until the new workers are ready (so that the re-exec later starts from a settled
        server); returns the seconds that took."""
        master, began = self.master_pid(), time.monotonic()
        before = self.ready_workers(master)
        os.kill(master, signal.SIGHUP)
        self.wait_ready_workers(master, exclude=before)
        return time.monotonic() - began

    def reload_reexec(self):
        """The production reload (``ops/gunicorn_reload.py``, the app servers' ``ExecReload``): USR2, every new worker
        ready, then TERM to the old master; returns the seconds until the new workers were ready."""
        return gunicorn_reload.reload(str(self.pidfile))[1]

    def stop(self):
        master = self.master_pid() if getattr(self, "pidfile", None) else 0
        if master:  # after a re-exec, not a child of this process: waited for here
            with contextlib.suppress(ProcessLookupError):
                os.kill(master, signal.SIGTERM)
                deadline = time.monotonic() + 40
                while time.monotonic() < deadline:
                    os.kill(master, 0)
                    time.sleep(0.2)
        for process in reversed(self.processes):  # the editor, the app servers, then Redis
            if process.poll() is None:
                process.terminate()
            try:
                process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                process.kill()
        if self.engine is not None:
            engine.stop(self.engine)


class Load:
    """CONNECTIONS clients, each sending its next request as soon as the last is answered."""

    def __init__(self, port, pages):
        self.port = port
        self.pages = pages
        self.results = []  # (began, ended, status, kind)
        self.stopping = threading.Event()
        self.lock = threading.Lock()

    def request_for(self, rng):
        kind = rng.choices([k for k, _ in MIX], weights=[w for _, w in MIX])[0]
        language = rng.choice(["en", "ar"])
        if kind == "page":
            return kind, rng.choice(self.pages[language])
        if kind == "search":
            return kind, f"/{language}/search/?" + urllib.parse.urlencode({"q": rng.choice(SEARCHES[language])})
        return kind, f"/{language}/search/suggest/?" + urllib.parse.urlencode({"q": rng.choice(PREFIXES[language])})

    def client(self, number):
        rng = random.Random(SEED * 1000 + number)
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=90)
        mine = []
        while not self.stopping.is_set():
            kind, path = self.request_for(rng)
            # One of many readers behind the proxies (198.18.0.0/15, the benchmarking range): each reader's
            # search limit is its own.
            reader = f"198.18.{rng.randrange(16)}.{rng.randrange(1, 255)}"
            began = time.monotonic()
            try:
                connection.request("GET", path, headers={"X-Forwarded-For": reader})
                response = connection.getresponse()
                response.read()
                status = response.status
            except Exception as error:  # noqa: BLE001 - whatever went wrong, the table counts it
                status = f"failed ({type(error).__name__})"
                connection.close()
            mine.append((began, time.monotonic(), status, kind))
        with self.lock:
            self.results.extend(mine)

    def run_in_background(self):
        self.threads = [threading.Thread(target=self.client, args=(n,), daemon=True) for n in range(CONNECTIONS)]
        for thread in self.threads:
            thread.start()

    def stop(self):
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=120)


def publish(editor, edits, start):
    """Ask the editor for an edit every PUBLISH_SECONDS until SECONDS have passed; record each answer."""
    next_edit = start + PUBLISH_SECONDS
    while next_edit < start + SECONDS:
        time.sleep(max(0.0, next_edit - time.monotonic()))
        editor.stdin.write("publish\n")
        editor.stdin.flush()
        line = editor.stdout.readline()
        if not line:
            say("the editor process ended (its error is above)")
            return
        edits.append({**json.loads(line), "at": time.monotonic() - start})
        next_edit = max(next_edit + PUBLISH_SECONDS, time.monotonic())


def arrived(port, edit):
    """None when the edit's marker is found by a search in its language and shown on its page, else what is missing."""
    path = urllib.parse.urlsplit(edit["url"]).path
    query = urllib.parse.urlencode({"q": edit["marker"]})
    # The search page repeats the query: the page's own link among the results is what counts.
    found = f'href="{path}"' in get(port, f"/{edit['language']}/search/?{query}")[1]
    shown = edit["marker"] in get(port, path)[1]
    return None if found and shown else {**edit, "found by search": found, "on the page": shown}


def parent_of(pid):
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return int(stat.read().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return None


def quoted(path):
    """A path as it goes on the wire (Arabic slugs percent-encoded; what is encoded already stays)."""
    return urllib.parse.quote(path, safe="/%?=&")


def get(port, path):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", quoted(path), headers={"X-Forwarded-For": f"198.19.{random.randrange(256)}.1"})
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", errors="replace")
    finally:
        connection.close()


def site_pages(port):
    """The English and Arabic pages the sitemap lists, and the practice listing filtered."""
    status, body = get(port, "/sitemap.xml")
    if status != 200:
        raise RuntimeError(f"/sitemap.xml answered {status}")
    paths = {quoted(urllib.parse.urlsplit(url).path) for url in re.findall(r"<loc>([^<]+)</loc>", body)}
    pages = {language: sorted(p for p in paths if p.startswith(f"/{language}/")) for language in ("en", "ar")}
    for listed in pages.values():
        practices = [p for p in listed if p.rstrip("/").count("/") == 2 and "practice" in p]
        for listing in practices[:1]:
            listed += [f"{listing}?region=africa", f"{listing}?pillar=II", f"{listing}?page=2"]
    return pages


def pause_after(results, moment, window=PAUSE_WINDOW):
    """The longest time without any response arriving, in the window after ``moment``."""
    ends = sorted(ended for _, ended, _, _ in results if moment <= ended <= moment + window)
    points = [moment, *ends, min(moment + window, max(ends, default=moment))]
    return max(b - a for a, b in zip(points, points[1:], strict=False))


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


def step(label, action, *args, **kwargs):
    began = time.monotonic()
    action(*args, **kwargs)
    say(f"{label} ({time.monotonic() - began:.0f} s)")


def soak(folder):
    site = Site(folder)
    timings = {}
    try:
        began = time.monotonic()
        site.start_redis()
        url = site.start_engine()
        say(f"{WORKERS} workers, {CONNECTIONS} connections, {SECONDS:.0f} s; setting up in {folder}")
        # Static files are collected meanwhile (they need no database).
        collecting = subprocess.Popen(
            [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"], cwd=ROOT, env=site.env
        )
        step("migrate", site.manage, "migrate", "--no-input", "-v", "0")
        step("engine ready", engine.wait_ready, site.engine)
        site.env.update(SEARCH_BACKEND=site.engine.engine, SEARCH_URL=url, SEARCH_INDEX_PREFIX="soak_")
        # The whole rebuild in one process, with time to spare on a busy machine (the app servers keep 3 s).
        loading = {**site.env, "SEARCH_TIMEOUT": "60"}
        step("demo loaded and indexed", site.site_command, "load", f"http://127.0.0.1:{site.port}", env=loading)
        step("static files collected", collecting.wait)
        if collecting.returncode:
            raise RuntimeError("collectstatic failed")
        step("gunicorn ready", site.start_gunicorn)
        timings["set-up"] = time.monotonic() - began
        pages = site_pages(site.port)
        say(f"set up in {timings['set-up']:.0f} s; {sum(map(len, pages.values()))} pages; load starts")

        editor = subprocess.Popen(  # noqa: S603 - a fixed local command
            [sys.executable, str(ROOT / "bench" / "soak_site.py"), "edit"],
            cwd=ROOT,
            env=site.env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        site.processes.append(editor)
        # Production's task worker for Wagtail's queue (deploy/systemd/sse-worker@.service): the index updates and
        # front-cache purges of every publish. The PDF editions' queue has none here: renders are not under test.
        # It logs two lines per task: they go to a file, and the report counts them (the failed ones in full).
        worker_log = site.folder / "task-worker.log"
        with worker_log.open("w") as log:
            site.processes.append(
                subprocess.Popen(  # noqa: S603 - a fixed local command
                    [sys.executable, "manage.py", "db_worker", "--backend", "default", "--queue-name", "default"],
                    cwd=ROOT,
                    env=site.env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
        greeting = json.loads(editor.stdout.readline() or "{}")
        if "pages" not in greeting:
            raise RuntimeError(greeting.get("error", "the editor process ended (its error is above)"))
        load = Load(site.port, pages)
        start = time.monotonic()
        load.run_in_background()
        events, edits = [], []
        # Edits are published from a thread of their own: a slow publish must not hold up the schedule below.
        publisher = threading.Thread(target=publish, args=(editor, edits, start), daemon=True)
        publisher.start()
        schedule = [
            (0.20, "engine stopped", site.stop_engine),
            (0.45, "engine started", lambda: site.start_engine(site.engine.port)),
            (0.60, "reload: SIGHUP", site.reload_hup),
            (0.80, "reload: USR2, new workers ready, TERM to the old master", site.reload_reexec),
        ]
        engine_ready = threading.Thread(daemon=True)
        while time.monotonic() < start + SECONDS or schedule:
            now = time.monotonic()
            if schedule and now >= start + schedule[0][0] * SECONDS:
                _, label, action = schedule.pop(0)
                result = action()
                events.append((now, label, result))
                say(f"{now - start:6.1f} s  {label}")
                if label == "engine started":

                    def ready(at=now):
                        engine.wait_ready(site.engine)
                        events.append((time.monotonic(), f"engine ready ({time.monotonic() - at:.1f} s)", None))

                    engine_ready = threading.Thread(target=ready, daemon=True)
                    engine_ready.start()
            time.sleep(0.05)
        load.stop()
        elapsed = time.monotonic() - start
        publisher.join(timeout=120)
        editor.stdin.close()
        engine_ready.join(timeout=180)
        time.sleep(2)  # the engine's refresh interval (1 s) and a margin

        # The task worker may still be working through the last publishes: each edit gets up to LATE_SECONDS.
        waiting, deadline = list(edits), time.monotonic() + LATE_SECONDS
        while True:
            lost = [check for edit in waiting if (check := arrived(site.port, edit))]
            if not lost or time.monotonic() > deadline:
                break
            waiting = [edit for edit in waiting if any(edit["marker"] == check["marker"] for check in lost)]
            time.sleep(2)
        return report(load.results, events, edits, lost, elapsed, start, tasks(worker_log))
    finally:
        site.stop()


def tasks(worker_log):
    """How many background tasks the worker ran, and its lines about the ones that did not succeed."""
    lines = worker_log.read_text(errors="replace").splitlines()
    done = sum("state=SUCCESSFUL" in line for line in lines)
    failed = [line for line in lines if "state=FAILED" in line or "Traceback" in line]
    return done, failed


def report(results, events, edits, lost, elapsed, start, task_counts):
    done, failed = task_counts
    latencies = [ended - began for began, ended, _, _ in results]
    statuses = collections.Counter(status for _, _, status, _ in results)
    kinds = collections.Counter(kind for _, _, _, kind in results)
    bad = {status: n for status, n in statuses.items() if not (isinstance(status, int) and 200 <= status < 300)}
    errors = sum(n for status, n in bad.items() if not isinstance(status, int) or status >= 500)
    mix = ", ".join(f"{n} {kind}" for kind, n in kinds.items())
    rows = [
        ("duration", f"{elapsed:.0f} s ({CONNECTIONS} connections, {WORKERS} workers)"),
        ("requests", f"{len(results)} ({len(results) / elapsed:.1f}/s): {mix}"),
        (
            "latency p50 / p95 / p99 / max",
            " / ".join(f"{percentile(latencies, f) * 1000:.0f}" for f in (0.5, 0.95, 0.99, 1.0)) + " ms",
        ),
        ("non-2xx", ", ".join(f"{status}: {n}" for status, n in sorted(bad.items(), key=str)) or "none"),
        ("edits published", f"{len(edits)} (median {statistics.median([e['seconds'] for e in edits] or [0]):.2f} s)"),
        ("lost updates", str(len(lost))),
        ("background tasks", f"{done} successful, {len(failed)} failed"),
    ]
    # What a reload's pause compares with: the longest wait for a response while nothing happens (64 connections
    # on a few workers: a response every few milliseconds, and a slow page or search now and then), measured before
    # the first event, after the warm-up.
    steady = start + 0.05 * elapsed
    window = min(PAUSE_WINDOW, 0.15 * elapsed)
    rows.append(("steady serving", f"longest time without a response {pause_after(results, steady, window):.2f} s"))
    for moment, label, result in events:
        text = f"at {moment - start:.0f} s"
        if label.startswith("reload"):
            text += f", longest time without a response {pause_after(results, moment):.2f} s"
            if result is not None:
                text += f" (new workers ready after {result:.1f} s)"
        rows.append((label, text))
    width = max(len(name) for name, _ in rows)
    print("\n".join(f"| {name.ljust(width)} | {value} |" for name, value in rows), flush=True)
    for edit in lost:
        print(f"lost: {json.dumps(edit, ensure_ascii=False)}", flush=True)
    for line in failed:
        print(f"task worker: {line}", flush=True)
    return 1 if errors or lost else 0


def main():
    # A TERM (a CI time-out, kill) stops the servers as Ctrl-C does: without this, Redis and the engine outlive us.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    folder = Path(tempfile.mkdtemp(prefix="sse-soak-"))
    try:
        return soak(folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
