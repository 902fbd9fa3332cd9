"""``make run``'s launcher (``tools/run_site.py``) as a developer runs it: it starts the search engine, indexes,
serves the site with the engine's search, and Ctrl-C (SIGINT to its process group, as a terminal sends it) stops the
server, the PDF renders and the engine with no traceback, leaving no Java process behind. It runs on a database of its
own (migrated, no demo content: a copy of the test sessions' migrated schema when there is one,
``tests/db_template.py``) so the test does not depend on a developer's ``db.sqlite3``."""

import os
import re
import signal

import pytest

from tools.search_engine import run as engine

from ..launcher import OPENER, alive, launched, site_environ, wait_for

START_TIMEOUT = 240


@pytest.fixture
def environ(tmp_path):
    return site_environ(tmp_path, SEARCH_INDEX_PREFIX="run_site_test_")


def test_make_run_serves_with_the_engine_and_ctrl_c_stops_it(environ, tmp_path):
    port = engine.free_port()
    log_path = tmp_path / "run.log"
    with launched(environ, log_path, "--port", str(port)) as process:
        output = wait_for("run: serving", log_path, process, START_TIMEOUT)
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
