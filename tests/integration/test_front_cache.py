"""A real Varnish (Debian's ``varnishd``) with the project's VCL (``deploy/varnish/default.vcl``) in front of the live
server: it keeps an anonymous reader's page, and a publish purges exactly the pages the change shows, through
Wagtail's ``frontend_cache`` (HTTP PURGE), so the next reader through Varnish sees the change while an unrelated
page is still served from Varnish."""

import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings

from core.page_cache import CACHE_HEADER
from news.models import NewsPage
from tools.search_engine import run

pytestmark = pytest.mark.django_db
VARNISHD = shutil.which("varnishd") or "/usr/sbin/varnishd"
VCL = Path(django_settings.BASE_DIR) / "deploy" / "varnish" / "default.vcl"
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never via a proxy


@pytest.fixture
def varnish(site_url, live_database, tmp_path):
    """Varnish on a port of its own, with the project's VCL pointed at the live server; stopped before the test's
    database goes back (its open connections to the server hold request threads that use it)."""
    port = run.free_port()
    vcl = tmp_path / "default.vcl"
    vcl.write_text(VCL.read_text().replace('.port = "8000";', f'.port = "{urlsplit(site_url).port}";'))
    command = [VARNISHD, "-F", "-j", "none", "-n", str(tmp_path / "work"), "-a", f"127.0.0.1:{port}"]
    server = subprocess.Popen(  # noqa: S603 - a fixed local command
        [*command, "-f", str(vcl), "-s", "malloc,32m"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail(f"varnishd did not start: {server.stderr.read().decode()[-2000:]}")
            time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    server.terminate()
    server.wait(timeout=30)


def fetch(url):
    with _OPENER.open(url, timeout=30) as response:
        return response.headers, response.read().decode()


def test_a_publish_purges_the_pages_it_shows_from_varnish_and_no_other(varnish, live_database, settings):
    settings.PAGE_CACHE_SECONDS = 3600
    settings.WAGTAILFRONTENDCACHE = {
        "varnish": {"BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend", "LOCATION": varnish}
    }
    page, other = NewsPage.objects.live().filter(locale__language_code="en").order_by("path")[:2]
    for url in [page.url, other.url]:
        fetch(varnish + url)
        headers, _body = fetch(varnish + url)
        assert headers["X-Cache"] == "hit", url
        assert headers[CACHE_HEADER] == "miss"  # the app kept it too, when Varnish first asked

    title = page.title
    page.title = f"{title} (edited while cached)"
    page.save_revision().publish()

    def restore():
        page.title = title
        page.save_revision().publish()

    live_database.append(restore)
    headers, body = fetch(varnish + page.url)
    assert "(edited while cached)" in body
    assert headers["X-Cache"] == "miss"
    headers, body = fetch(varnish + page.get_parent().url)  # its listing
    assert "(edited while cached)" in body
    assert fetch(varnish + other.url)[0]["X-Cache"] == "hit"
