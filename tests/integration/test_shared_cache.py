"""Two app servers (gunicorn, one worker each: two processes, as on two machines) sharing one Redis (``REDIS_URL``)
and the session's demo database: the search rate limit is one limit across both, a page one server rendered is
served by the other from the shared cache, and a publish made in a third process (this one, as an editor's app
server) purges it for both: each renders afresh once, then serves the other's rendering again.

Redis is the one the layer starts (tests/integration/conftest.py). The servers read the session's database: on
PostgreSQL the test database itself, on SQLite in memory a copy in a file (SQLite's backup API).
"""

import contextlib
import os
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from django.conf import settings as django_settings
from django.db import connections

from core.page_cache import CACHE_HEADER
from news.models import NewsPage
from tools.search_engine import run

pytestmark = pytest.mark.django_db
RATE_LIMIT = 4
GUNICORN_OPTIONS = ["--workers", "1", "--log-level", "warning"]
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never via a proxy


def fetch(url):
    try:
        with _OPENER.open(url, timeout=60) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def database_url(tmp_path):
    """What the servers connect to: the test database on PostgreSQL, a copy of the one in memory on SQLite."""
    connection = connections["default"]
    if connection.vendor == "sqlite":
        path = tmp_path / "site.sqlite3"
        connection.ensure_connection()
        with contextlib.closing(sqlite3.connect(path)) as target:
            connection.connection.backup(target)
        return f"sqlite:///{path}"
    params = connection.settings_dict
    url = f"postgres://{params['USER']}:{params['PASSWORD']}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}"
    return f"{url}/{params['NAME']}"


@pytest.fixture
def two_servers(tmp_path):
    url = database_url(tmp_path)
    environ = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": url,
        "REDIS_URL": django_settings.REDIS_URL_FOR_TESTS,
        "SEARCH_RATE_LIMIT": str(RATE_LIMIT),
        "PAGE_CACHE_SECONDS": "3600",
    }
    ports = [run.free_port(), run.free_port()]
    servers = [
        subprocess.Popen(  # noqa: S603 - a fixed local command
            [sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{port}", *GUNICORN_OPTIONS],
            env=environ,
            cwd=django_settings.BASE_DIR,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for port in ports
    ]
    bases = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        deadline = time.monotonic() + 120
        for server, base in zip(servers, bases, strict=True):
            while True:
                try:
                    if fetch(base + "/health/live/")[0] == 200:
                        break
                except OSError:
                    pass
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"gunicorn did not start: {server.stderr.read().decode()[-2000:]}")
                time.sleep(0.2)
        yield bases
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=30)


def test_two_servers_share_one_rate_limit_and_one_page_cache(two_servers, settings):
    first, second = two_servers
    # The limit counts per minute: start at the beginning of a minute rather than across its end.
    if time.time() % 60 > 50:
        time.sleep(61 - time.time() % 60)
    statuses = [fetch(base + "/en/search/?q=prevention")[0] for base in [first, second] * 3]
    assert statuses == [200] * RATE_LIMIT + [429] * (6 - RATE_LIMIT)

    page = NewsPage.objects.live().filter(locale__language_code="en").order_by("path").first()
    assert fetch(first + page.url)[1][CACHE_HEADER] == "miss"
    assert fetch(second + page.url)[1][CACHE_HEADER] == "hit"  # the first server's rendering, from Redis

    # This process publishes, as a third app server would: its purge goes to the same Redis.
    redis = {"BACKEND": "core.redis_cache.SharedRedisCache", "LOCATION": settings.REDIS_URL_FOR_TESTS}
    settings.CACHES = {"default": redis}
    settings.PAGE_CACHE_SECONDS = 3600
    page.save_revision().publish()
    assert fetch(first + page.url)[1][CACHE_HEADER] == "miss"  # purged by the publish in this process
    assert fetch(second + page.url)[1][CACHE_HEADER] == "hit"  # the first server's new rendering
