"""``make run`` on a machine whose search engine does not come up, in a terminal that is then closed rather than
Ctrl-C'd. The launcher (``tools/run_site.py``) serves with the database backend instead, on a server started again
without the engine's address; the terminal's SIGHUP to the launcher then stops the server and the PDF renders with it.
They run in process groups of their own, which the terminal does not signal, so only the launcher can stop them; a
server left behind would keep the port, and the next ``make run`` would find it taken. The engine is given half a second
(SEARCH_ENGINE_START_TIMEOUT), so it never answers, with or without Java; the engine that comes up, and its exit, are
``tests/integration/test_run_site.py``'s subject."""

import signal
import time

import pytest

from tools.search_engine import run as engine

from .launcher import OPENER, alive, children, kill, launched, site_environ, wait_for

START_TIMEOUT = 120


@pytest.fixture
def environ(tmp_path, db):  # ``db``: the session's migrated copy exists before the launcher's database copies it
    return site_environ(tmp_path, SEARCH_ENGINE_START_TIMEOUT="0.5")


def test_an_engine_that_does_not_start_leaves_database_search_and_closing_the_terminal_stops_all(environ, tmp_path):
    port = engine.free_port()
    log_path = tmp_path / "run.log"
    with launched(environ, log_path, "--port", str(port)) as process:
        output = wait_for("run: PDF editions", log_path, process, START_TIMEOUT)
        assert "(database search)" in output, output
        with OPENER.open(f"http://127.0.0.1:{port}/en/search/?q=terrorism", timeout=30) as response:
            assert response.status == 200
        # Answered by the database backend itself: a server left pointed at the dead engine would answer the same
        # page through the outage fallback, after a failed request to the engine for every search.
        assert "Search engine unavailable" not in log_path.read_text(), log_path.read_text()
        started = children(process.pid)
        # runserver (whose autoreloader child serves) and render_books
        assert len(started) == 2, (started, log_path.read_text())

        process.send_signal(signal.SIGHUP)  # to the launcher alone, as the closed terminal's shell sends it
        try:
            assert process.wait(timeout=60) == 0, log_path.read_text()
            deadline = time.monotonic() + 10
            while any(alive(pid) for pid in started) and time.monotonic() < deadline:
                time.sleep(0.1)
            assert not [pid for pid in started if alive(pid)], log_path.read_text()
            with pytest.raises(OSError):
                OPENER.open(f"http://127.0.0.1:{port}/", timeout=5)
        finally:
            kill(started)  # what the launcher left, if it left anything
