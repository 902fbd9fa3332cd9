"""``make run``'s launcher (``tools/run_site.py``) as a developer runs it: it starts the search engine, indexes,
serves the site with the engine's search, and Ctrl-C (SIGINT to its process group, as a terminal sends it) stops the
server, the PDF renders and the engine with no traceback, leaving no Java process behind. It runs on a database of its
own (migrated, no demo content: a copy of the test sessions' migrated schema when there is one,
``tests/db_template.py``) so the test does not depend on a developer's ``db.sqlite3``."""

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request

import pytest
from django.conf import settings

from tools.search_engine import run as engine

from ..db_template import migrated_file
from ..processes import alive, children, kill

START_TIMEOUT = 240
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@pytest.fixture
def environ(tmp_path):
    environ = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'site.sqlite3'}",
        "SEARCH_INDEX_PREFIX": "run_site_test_",
    }
    for name in ("SEARCH_BACKEND", "SEARCH_URL"):
        environ.pop(name, None)
    migrated_file(tmp_path / "site.sqlite3", environ)
    return environ


def test_make_run_serves_with_the_engine_and_ctrl_c_stops_it(environ, tmp_path):
    port = engine.free_port()
    log_path = tmp_path / "run.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(  # noqa: S603 - a fixed command of this repository
            [sys.executable, "-m", "tools.run_site", "--port", str(port)],
            cwd=settings.BASE_DIR,
            env=environ,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # a group of its own, as a terminal's foreground job has
        )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while "run: serving" not in log_path.read_text() and time.monotonic() < deadline:
            assert process.poll() is None, log_path.read_text()
            time.sleep(0.5)
        output = log_path.read_text()
        assert "(engine search)" in output, output
        # "run: search engine Elasticsearch 7.10.2 http://127.0.0.1:PORT up in 14.3s (pid N); indexing the demo"
        started = re.search(r"run: search engine .* (http://\S+) up in \S+ \(pid (\d+)\)", output)
        assert started, output
        engine_url, engine_pid = started.group(1), int(started.group(2))
        assert engine.health(engine_url) in ("yellow", "green")
        with OPENER.open(f"http://127.0.0.1:{port}/en/search/?q=terrorism", timeout=30) as r:
            assert r.status == 200
        assert alive(engine_pid)

        # Ctrl-C at a terminal signals the whole foreground group, the PDF renders that started with the server too.
        os.killpg(process.pid, signal.SIGINT)
        assert process.wait(timeout=60) == 0
        output = log_path.read_text()
        assert "run: search engine stopped" in output
        assert "Traceback" not in output, output
        assert not alive(engine_pid)
        with pytest.raises(OSError):
            OPENER.open(f"http://127.0.0.1:{port}/", timeout=5)
    finally:
        # A failure before the Ctrl-C leaves the launcher running: its server and renders, in groups of their own,
        # are found before it is killed, or they would outlive it.
        leftovers = children(process.pid) if process.poll() is None else []
        if process.poll() is None:
            process.kill()
            process.wait()
        kill(leftovers)
