"""The production topology on one machine: nginx in front of two app servers (gunicorn, one worker each: two
processes, as on two machines) sharing one Redis (``REDIS_URL``) and one database. Every request goes through nginx,
whose ``upstream`` sends them to the two servers in turn; each answer names the server that made it (``X-Upstream``),
and each test checks that both answered. Through it:

- the search rate limit is one limit across both servers, counted per client address: two clients are counted
  apart, and an ``X-Forwarded-For`` a client writes itself does not make it another client;
- the sign-in lockout (django-axes) counts the failures both servers saw, and both refuse the locked account;
- a session opened through the real sign-in form is honoured by both servers, and signing out ends it on both;
- a page one server rendered is served by the other from the shared cache, and a publish made in a third process
  (this one, as an editor's app server) purges it for both: each renders afresh once, then serves the other's.

nginx is Debian's, run by the test with a configuration of its own in a temporary folder, whose
``proxy_set_header`` lines are read from the shipped ``deploy/nginx/sse.conf``. The servers run the production
settings (static files from the source folders: collecting them costs a minute of CPU) with the proxies, hosts and
trusted origins of ``deploy/systemd/environment.example``; the test's clients send what a browser at
``https://<that host>/`` sends, to nginx on a spare port without TLS (the shipped config's ``X-Forwarded-Proto https``
tells the servers the request came over HTTPS). Each client connects from its own loopback address (Linux routes all
of 127.0.0.0/8 to the loopback), so nginx forwards a different client address for each.

Redis is the one the layer starts (tests/integration/conftest.py). The servers read the session's database: on
PostgreSQL the test database itself, on SQLite in memory a copy in a file (SQLite's backup API), made once for the
module before any test writes (the backup would wait for a test's open write transaction). The accounts the tests
sign in with are written where the servers read them, before they start: into the copy, or on PostgreSQL through a
connection of their own outside any test's transaction (which the servers would not see), deleted at the end with
what the servers wrote about them (their sign-in failures, the searches' query log).
"""

import contextlib
import http.client
import os
import re
import secrets
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import global_settings
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.db import connections
from django.db.models import Q
from django.test import override_settings

from accounts.factories import UserFactory
from core.page_cache import CACHE_HEADER
from news.models import NewsPage
from search.models import SearchQueryCount
from tools.search_engine import run

pytestmark = pytest.mark.django_db
NGINX = "/usr/sbin/nginx"
SHIPPED_NGINX = django_settings.BASE_DIR / "deploy" / "nginx" / "sse.conf"
EXAMPLE_ENVIRONMENT = django_settings.BASE_DIR / "deploy" / "systemd" / "environment.example"
RATE_LIMIT = 4
GUNICORN_OPTIONS = ["--workers", "1", "--log-level", "warning"]
# Each test's clients come from addresses of their own, so one test's limits and lockouts leave the others alone.
CLIENT_ADDRESSES = [f"127.0.0.{number}" for number in range(2, 7)]
SEARCHING, OTHER_SEARCHING, GUESSING, SIGNING_IN, READING = CLIENT_ADDRESSES
SEARCH_MARKER = "topologymarker"  # the query the rate-limit test sends, recorded by the servers' query log
LOCKED_EMAIL, SIGNED_IN_EMAIL = "topology.locked@example.org", "topology.session@example.org"
PASSWORD = "a-long-topology-passphrase"  # noqa: S105  # nosec B105 - test accounts only
SESSION_COOKIE = django_settings.SESSION_COOKIE_NAME
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# The servers' settings: production's, with static files served from the source folders.
SERVER_SETTINGS = """\
from config.settings.production import *  # noqa: F403
static_files = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
STORAGES = {**STORAGES, "staticfiles": static_files}  # noqa: F405
"""
# The environment variables of deploy/systemd/environment.example the servers take as production sets them.
FROM_EXAMPLE = ["ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "TRUSTED_PROXIES"]
# Variables of the developer's environment that would point the servers elsewhere than the session's services.
NOT_INHERITED = ["SEARCH_BACKEND", "SEARCH_URL", "FRONTEND_CACHE_URL", "AWS_STORAGE_BUCKET_NAME"]
NOT_INHERITED += ["SECURE_SSL_REDIRECT", "PAGE_CACHE_SECONDS"]  # production's defaults: HTTPS only, the cache on


def example_environment():
    lines = EXAMPLE_ENVIRONMENT.read_text().splitlines()
    pairs = (line.split("=", 1) for line in lines if "=" in line and not line.lstrip().startswith("#"))
    return {name.strip(): value.strip() for name, value in pairs}


def shipped_proxy_headers():
    """The ``proxy_set_header`` lines of the shipped nginx config, as written there."""
    lines = re.findall(r"^\s*(proxy_set_header\s[^;]*;)", SHIPPED_NGINX.read_text(), re.MULTILINE)
    assert lines, f"no proxy_set_header in {SHIPPED_NGINX}"
    return lines


PUBLIC_HOST = example_environment()["ALLOWED_HOSTS"].split(",")[0]


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    text: str

    @property
    def upstream(self):
        return self.headers["X-Upstream"]


class Client:
    """One browser at ``https://PUBLIC_HOST/``, connecting from ``address``: its cookies, and the ``Host`` and
    ``Origin`` it sends. Cookies are kept whatever their ``Secure`` flag: the browser's connection is HTTPS, which the
    test's nginx stands in for without TLS."""

    def __init__(self, port, address):
        self.port, self.address, self.cookies = port, address, {}

    def request(self, method, path, fields=None, headers=()):
        sent = {"Host": PUBLIC_HOST, **dict(headers)}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if fields is not None:
            body = urlencode(fields)
            sent.update({"Content-Type": "application/x-www-form-urlencoded", "Origin": f"https://{PUBLIC_HOST}"})
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60, source_address=(self.address, 0))
        try:
            connection.request(method, path, body, sent)
            response = connection.getresponse()
            answer = Answer(response.status, response.headers, response.read().decode())
        finally:
            connection.close()
        for header in answer.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0":  # Django's delete_cookie
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return answer

    def get(self, path, headers=()):
        return self.request("GET", path, headers=headers)

    def form_token(self, path):
        """The CSRF token of the form at ``path``, which the browser sends back with the form."""
        form = self.get(path)
        assert form.status == 200, (path, form.status)
        return CSRF_FIELD.search(form.text).group(1)

    def post(self, path, token, fields):
        return self.request("POST", path, {"csrfmiddlewaretoken": token, **fields})


def servers_database(folder):
    """The URL of the database the servers read, and the connection settings that reach it."""
    connection = connections["default"]
    params = dict(connection.settings_dict)
    if connection.vendor == "sqlite":
        path = folder / "site.sqlite3"
        connection.ensure_connection()
        with contextlib.closing(sqlite3.connect(path)) as target:
            connection.connection.backup(target)
        params["NAME"] = str(path)
        return f"sqlite:///{path}", params
    host = f"{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}"
    return f"postgres://{params['USER']}:{params['PASSWORD']}@{host}/{params['NAME']}", params


@contextlib.contextmanager
def writing_to(params):
    """While the block lasts, the ORM's ``default`` connection is one to the servers' database, in autocommit: what
    is written there is what the servers read (the tests' own queries stay in their transaction)."""
    connection = connections["default"]
    own = type(connection)(params, "default")
    connections["default"] = own
    try:
        yield
    finally:
        own.close()
        connections["default"] = connection


def start(command, log, **options):
    with open(log, "wb") as output:
        return subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, **options)  # noqa: S603


def wait_until_live(process, port, log, deadline):
    while True:
        with contextlib.suppress(OSError):
            if Client(port, "127.0.0.1").get("/health/live/").status == 200:
                return
        if process.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"{process.args[0]} did not start: {log.read_text()[-2000:]}")
        time.sleep(0.2)


def nginx_config(folder, port, upstreams):
    paths = {name: folder / name for name in ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"]}
    servers = "\n".join(f"        server {upstream};" for upstream in upstreams)
    headers = "\n".join(f"            {line}" for line in shipped_proxy_headers())
    return f"""daemon off;
pid {folder / "nginx.pid"};
error_log {folder / "nginx-error.log"} warn;
worker_processes 1;
events {{ worker_connections 64; }}
http {{
    access_log {folder / "nginx-access.log"};
    client_body_temp_path {paths["client_body"]};
    proxy_temp_path {paths["proxy"]};
    fastcgi_temp_path {paths["fastcgi"]};
    uwsgi_temp_path {paths["uwsgi"]};
    scgi_temp_path {paths["scgi"]};
    upstream app_servers {{
{servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://app_servers;
{headers}
            add_header X-Upstream $upstream_addr always;
        }}
    }}
}}
"""


@dataclass
class Topology:
    port: int
    upstreams: set

    def client(self, address):
        return Client(self.port, address)


@pytest.fixture(scope="module")
def topology(tmp_path_factory, django_db_setup, django_db_blocker):
    if not os.path.exists(NGINX):
        pytest.fail(f"nginx not found at {NGINX}: run tools/install_test_deps.sh as root")
    folder = tmp_path_factory.mktemp("topology")
    (folder / "servers_settings.py").write_text(SERVER_SETTINGS)
    example = example_environment()
    environ = {name: value for name, value in os.environ.items() if name not in NOT_INHERITED}
    environ.update(
        {name: example[name] for name in FROM_EXAMPLE},
        DJANGO_SETTINGS_MODULE="servers_settings",
        PYTHONPATH=str(folder),
        SECRET_KEY=secrets.token_urlsafe(40),  # one for both: each reads the sessions and tokens the other signed
        REDIS_URL=django_settings.REDIS_URL_FOR_TESTS,
        SEARCH_RATE_LIMIT=str(RATE_LIMIT),
        MEDIA_ROOT=str(django_settings.MEDIA_ROOT),
    )
    processes = []
    usernames = {email: email.split("@")[0] for email in [LOCKED_EMAIL, SIGNED_IN_EMAIL]}
    with django_db_blocker.unblock():
        environ["DATABASE_URL"], params = servers_database(folder)
        # The accounts' passwords are hashed as production hashes them (the test settings' hasher is not among its).
        with writing_to(params), override_settings(PASSWORD_HASHERS=global_settings.PASSWORD_HASHERS):
            for email, username in usernames.items():
                user = UserFactory(username=username, email=email, password=PASSWORD)
                user.emailaddress_set.create(email=email, verified=True, primary=True)
        try:
            ports = [run.free_port(), run.free_port()]
            deadline = time.monotonic() + 120
            for number, port in enumerate(ports):
                command = [sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{port}"]
                log = folder / f"gunicorn-{number}.log"
                processes.append(start([*command, *GUNICORN_OPTIONS], log, env=environ, cwd=django_settings.BASE_DIR))
            # Both boot at once (seconds of Django's start-up each), then each is waited for.
            for number, (process, port) in enumerate(zip(processes, ports, strict=True)):
                wait_until_live(process, port, folder / f"gunicorn-{number}.log", deadline)
            upstreams = [f"127.0.0.1:{port}" for port in ports]
            port = run.free_port()
            (folder / "nginx.conf").write_text(nginx_config(folder, port, upstreams))
            log = folder / "nginx-error.log"
            command = [NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-e", str(log)]
            processes.append(start(command, folder / "nginx.log"))
            wait_until_live(processes[-1], port, log, deadline)
            yield Topology(port, set(upstreams))
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                process.wait(timeout=30)
            with writing_to(params):  # on PostgreSQL, the session's database: later tests expect the demo alone
                clients = Q(username__in=usernames.values()) | Q(ip_address__in=CLIENT_ADDRESSES)
                for model in [AccessAttempt, AccessFailureLog, AccessLog]:
                    model.objects.filter(clients).delete()
                get_user_model().objects.filter(username__in=usernames.values()).delete()
                SearchQueryCount.objects.filter(query=SEARCH_MARKER).delete()


def test_one_search_limit_per_client_across_both_servers(topology):
    searching = topology.client(SEARCHING)
    search = f"/en/search/?q={SEARCH_MARKER}"
    answers = [searching.get(search) for _ in range(RATE_LIMIT + 2)]
    assert [answer.status for answer in answers] == [200] * RATE_LIMIT + [429] * 2
    assert {answer.upstream for answer in answers[:RATE_LIMIT]} == topology.upstreams  # both counted for one limit
    # Another client has a limit of its own.
    assert topology.client(OTHER_SEARCHING).get(search).status == 200
    # A client that names another address in X-Forwarded-For is still counted as itself: nginx adds the address the
    # request came from, and the servers read the header from there.
    for spoofed in ["203.0.113.7", OTHER_SEARCHING, "127.0.0.1"]:
        assert searching.get(search, {"X-Forwarded-For": spoofed}).status == 429, spoofed


def test_the_sign_in_lockout_counts_the_failures_both_servers_saw(topology):
    guessing = topology.client(GUESSING)
    login = "/en/members/login/"
    token = guessing.form_token(login)  # one form, sent again and again: nginx sends each try to the next server
    tries = django_settings.AXES_FAILURE_LIMIT - 1  # the servers read LOGIN_FAILURE_LIMIT from the same environment
    failures = [guessing.post(login, token, {"login": LOCKED_EMAIL, "password": "wrong"}) for _ in range(tries)]
    assert [answer.status for answer in failures] == [200] * tries
    assert all("form-errors" in answer.text for answer in failures)
    assert {answer.upstream for answer in failures} == topology.upstreams
    # The next failure, wherever it lands, locks the account: the count is the two servers'.
    assert guessing.post(login, token, {"login": LOCKED_EMAIL, "password": "wrong"}).status == 429
    # Now even the right password is refused, by both servers.
    refused = [guessing.post(login, token, {"login": LOCKED_EMAIL, "password": PASSWORD}) for _ in range(2)]
    assert [answer.status for answer in refused] == [429, 429]
    assert {answer.upstream for answer in refused} == topology.upstreams
    assert SESSION_COOKIE not in guessing.cookies


def test_a_session_is_honoured_by_both_servers_and_signing_out_ends_it_on_both(topology):
    reader = topology.client(SIGNING_IN)
    login, status_page, logout = "/en/members/login/", "/en/members/", "/en/members/logout/"
    token = reader.form_token(login)
    signed_in = reader.post(login, token, {"login": SIGNED_IN_EMAIL, "password": PASSWORD})
    assert signed_in.status == 302 and SESSION_COOKIE in reader.cookies
    session = reader.cookies[SESSION_COOKIE]
    seen = [reader.get(status_page) for _ in range(2)]
    assert [answer.status for answer in seen] == [200, 200]
    assert all('data-membership="none"' in answer.text for answer in seen)  # the signed-in person's own page
    assert {answer.upstream for answer in seen} == topology.upstreams

    # Signed out through the form (the token changed when the person signed in).
    signed_out = reader.post(logout, reader.form_token(logout), {})
    assert signed_out.status == 302 and SESSION_COOKIE not in reader.cookies
    # The old session cookie, sent again, is refused by both servers: the session has ended, not just its cookie.
    reader.cookies[SESSION_COOKIE] = session
    ended = [reader.get(status_page) for _ in range(2)]
    assert [answer.status for answer in ended] == [302, 302]
    assert all(answer.headers["Location"].startswith(login) for answer in ended)
    assert {answer.upstream for answer in ended} == topology.upstreams


def test_a_page_one_server_rendered_is_served_by_the_other_until_a_publish_purges_it(topology, settings):
    reader = topology.client(READING)
    page = NewsPage.objects.live().filter(locale__language_code="en").order_by("path").first()
    first, second = reader.get(page.url), reader.get(page.url)
    assert (first.headers[CACHE_HEADER], second.headers[CACHE_HEADER]) == ("miss", "hit")
    assert {first.upstream, second.upstream} == topology.upstreams  # the hit is the other server's rendering

    # This process publishes, as a third app server would: its purge goes to the same Redis.
    redis = {"BACKEND": "core.redis_cache.SharedRedisCache", "LOCATION": settings.REDIS_URL_FOR_TESTS}
    settings.CACHES = {"default": redis}
    settings.PAGE_CACHE_SECONDS = 3600
    page.save_revision().publish()
    first, second = reader.get(page.url), reader.get(page.url)
    assert (first.headers[CACHE_HEADER], second.headers[CACHE_HEADER]) == ("miss", "hit")  # purged for both
    assert {first.upstream, second.upstream} == topology.upstreams
