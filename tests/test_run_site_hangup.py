"""``make run`` on a machine whose search engine does not come up, in a terminal that is then closed rather than
Ctrl-C'd. The launcher (``tools/run_site.py``) serves with the database backend instead, on a server started again
without the engine's address; the terminal's SIGHUP to the launcher then stops the server and the PDF renders with it.
They run in process groups of their own, which the terminal does not signal, so only the launcher can stop them; a
server left behind would keep the port, and the next ``make run`` would find it taken. The engine is given half a second
(SEARCH_ENGINE_START_TIMEOUT), so it never answers, with or without Java; the engine that comes up, and its exit, are
``tests/integration/test_run_site.py``'s subject."""

import os
import signal
import subprocess
import sys
import time
import urllib.request

import pytest
from django.conf import settings

from tools.search_engine import run as engine

from .db_template import migrated_file
from .processes import alive, children, kill

START_TIMEOUT = 120
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@pytest.fixture
def environ(tmp_path, db):  # ``db``: the session's migrated copy exists before this copies it
    environ = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'site.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "SEARCH_ENGINE_START_TIMEOUT": "0.5",
    }
    migrated_file(tmp_path / "site.sqlite3", environ)
    return environ


def test_an_engine_that_does_not_start_leaves_database_search_and_closing_the_terminal_stops_all(environ, tmp_path):
    port = engine.free_port()
    log_path = tmp_path / "run.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(  # noqa: S603 - a fixed command of this repository
            [sys.executable, "-m", "tools.run_site", "--port", str(port)],
            cwd=settings.BASE_DIR,
            env=environ,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    started = []
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while "run: PDF editions" not in log_path.read_text() and time.monotonic() < deadline:
            assert process.poll() is None, log_path.read_text()
            time.sleep(0.2)
        assert "(database search)" in log_path.read_text(), log_path.read_text()
        with OPENER.open(f"http://127.0.0.1:{port}/en/search/?q=terrorism", timeout=30) as response:
            assert response.status == 200
        # Answered by the database backend itself: a server left pointed at the dead engine would answer the same
        # page through the outage fallback, after a failed request to the engine for every search.
        assert "Search engine unavailable" not in log_path.read_text(), log_path.read_text()
        started = children(process.pid)
        # runserver (whose autoreloader child serves) and render_books
        assert len(started) == 2, (started, log_path.read_text())

        process.send_signal(signal.SIGHUP)  # to the launcher alone, as the closed terminal's shell sends it
        assert process.wait(timeout=60) == 0, log_path.read_text()
        deadline = time.monotonic() + 10
        while any(alive(pid) for pid in started) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [pid for pid in started if alive(pid)], log_path.read_text()
        with pytest.raises(OSError):
            OPENER.open(f"http://127.0.0.1:{port}/", timeout=5)
    finally:
        # A failure before the SIGHUP leaves the launcher running: its children are found before it is killed (they
        # would outlive it, as this test shows).
        leftovers = started or children(process.pid)
        if process.poll() is None:
            process.kill()
            process.wait()
        kill(leftovers)
