"""What operators get: the search survives the engine going down and catches up; update_index rebuilds atomically.

The engine-down test reaches the session's engine through a link of its own (``EngineLink``, a TCP relay) and
indexes of its own: cutting the link is, for the site, the engine going down (its address refuses connections and
the open ones are closed), and restoring it brings the same engine back with its data, without the half-minute a
second engine's start and restarts would cost; the other tests keep the session's engine as it was.
"""

import contextlib
import io
import re
import socket
import threading
import time
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from modelsearch.backends import get_search_backend
from wagtail.models import Page

from search.backends import search_backends_from_env
from search.models import PendingIndexUpdate
from tools.search_engine import run

from .test_search import publish_practice, result_ids

pytestmark = [pytest.mark.django_db, pytest.mark.engine]


def index_ids(language):
    backend = get_search_backend(f"engine-{language}")
    index = backend.get_index_for_model(Page).name
    backend.es.indices.refresh(index=index)
    response = backend.search_request(index, {"query": {"match_all": {}}, "size": 10_000})
    return sorted(int(hit["_id"]) for hit in response["hits"]["hits"])


class EngineLink:
    """A TCP relay from a port of its own to the engine, which the test cuts (``stop``) and restores (``start``)."""

    def __init__(self, engine_url, bulk_delay=0, slow_bulks=None):
        self.engine = ("127.0.0.1", urlsplit(engine_url).port)
        self.bulk_delay = bulk_delay  # seconds the engine's answer to a bulk write is held back (a busy engine)
        self.slow_bulks = slow_bulks  # how many bulk writes are answered late (None: all)
        self.bulks = 0
        self.slow_answers = set()
        self.delayed = 0
        self.port = run.free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.listener = None
        self.sockets = set()
        self.lock = threading.Lock()

    def start(self):
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # the same address again after a cut
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.listener = listener
        threading.Thread(target=self.accept, args=(listener,), daemon=True).start()

    def accept(self, listener):
        while True:
            try:
                client, _address = listener.accept()
            except OSError:  # cut
                return
            try:
                engine = socket.create_connection(self.engine, timeout=5)
            except OSError:
                client.close()
                continue
            engine.settimeout(None)
            with self.lock:
                self.sockets.update((client, engine))
            for source, sink in ((client, engine), (engine, client)):
                threading.Thread(target=self.pipe, args=(source, sink), daemon=True).start()

    def pipe(self, source, sink):
        try:
            while data := source.recv(65536):
                if self.bulk_delay and b"/_bulk" in data.split(b"\r\n", 1)[0] and self.slowed():
                    self.slow_answers.add(sink)  # the request line of a bulk write: its answer comes late
                elif source in self.slow_answers:
                    self.slow_answers.discard(source)
                    self.delayed += 1
                    time.sleep(self.bulk_delay)
                sink.sendall(data)
        except OSError:
            pass
        finally:
            self.close(source, sink)

    def slowed(self):
        """Whether the bulk write being sent is one of those answered late."""
        with self.lock:
            self.bulks += 1
            return self.slow_bulks is None or self.bulks <= self.slow_bulks

    def close(self, *sockets):
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)  # wakes a thread blocked on it (close alone does not)
            sock.close()
            with self.lock:
                self.sockets.discard(sock)

    def stop(self):
        self.close(self.listener)
        with self.lock:
            open_sockets = list(self.sockets)
        self.close(*open_sockets)


@pytest.fixture
def own_engine(settings):
    """The session's engine behind a link that the test can cut and restore, with indexes of the test's own
    (prefix ``down_``, removed at the end)."""
    session_engine = get_search_backend("engine-en").es
    link = EngineLink(settings.SEARCH_ENGINE_URL_FOR_TESTS)
    link.start()
    env = {"SEARCH_BACKEND": settings.SEARCH_ENGINE_FOR_TESTS, "SEARCH_URL": link.url, "SEARCH_INDEX_PREFIX": "down_"}
    settings.WAGTAILSEARCH_BACKENDS = search_backends_from_env(env)
    call_command("update_index", backend_name="engine-en", verbosity=0)
    yield link
    link.stop()
    session_engine.indices.delete(index="down_*")


def outage_lines(caplog):
    return [record.getMessage() for record in caplog.records if record.name == "search.outage"]


def test_engine_down_search_answers_publishing_works_and_the_index_catches_up(client, own_engine, admin_client, caplog):
    assert result_ids(client, "/en/search/?q=terrorism")
    caplog.clear()
    own_engine.stop()

    # Searching still answers, from the database, with a quiet notice.
    response = client.get("/en/search/?q=terrorism")
    assert response.status_code == 200
    assert "simplified mode" in response.content.decode()
    assert result_ids(client, "/en/search/?q=terrorism")
    assert client.get("/en/search/suggest/?q=ter").status_code == 200

    # Publishing and editing still work; the missed index update is recorded.
    first = publish_practice("en", "Okapi valley mediation", "Mediators in the okapi valley.")
    assert first.live
    assert admin_client.get(f"/admin/pages/{first.pk}/edit/").status_code == 200
    assert PendingIndexUpdate.objects.filter(backend_name="engine-en", object_id=str(first.pk)).exists()
    assert first.pk in result_ids(client, "/en/search/?q=okapi")  # the database fallback knows it already
    # Four searches fell back; the outage is logged once, not once per search.
    [down] = outage_lines(caplog)
    assert down.startswith("Search engine unavailable, the database answers until it is back")

    # Back up: the next successful update replays what was missed.
    own_engine.start()
    second = publish_practice("en", "Pangolin trail patrols", "Patrols on the pangolin trail.")
    assert not PendingIndexUpdate.objects.exists()
    assert {first.pk, second.pk} <= set(index_ids("en"))
    body = client.get("/en/search/?q=okapi").content.decode()
    assert "simplified mode" not in body
    # ... and its end once, with what the database answered meanwhile.
    assert re.fullmatch(
        r"Search engine back after \d+ s; the database answered 4 search\(es\) meanwhile", outage_lines(caplog)[1]
    )
    assert first.pk in result_ids(client, "/en/search/?q=okapi")

    # Down again, then the replay command catches up.
    own_engine.stop()
    third = publish_practice("en", "Axolotl lake councils", "Councils by the axolotl lake.")
    first.unpublish()
    assert PendingIndexUpdate.objects.count() == 2
    out = io.StringIO()
    with pytest.raises(Exception, match="could not be replayed|unreachable"):
        call_command("replay_search_updates", stdout=out)
    # The admin's screen lists what was missed; once the engine is back, its button replays it.
    screen = admin_client.get("/admin/search/pending-updates/").content.decode()
    assert "Axolotl lake councils" in screen and f'data-object-id="{first.pk}"' in screen
    own_engine.start()
    replayed = admin_client.post("/admin/search/pending-updates/", follow=True).content.decode()
    assert "English: the index is up to date. Replayed: 2." in replayed
    assert "No pending updates" in replayed
    call_command("replay_search_updates", stdout=out)
    assert "engine-en: 0 update(s) replayed, 0 still pending" in out.getvalue()
    assert third.pk in index_ids("en") and first.pk in index_ids("en")  # unpublished pages stay, marked not live
    assert third.pk in result_ids(client, "/en/search/?q=axolotl")
    assert first.pk not in result_ids(client, "/en/search/?q=okapi")


def test_update_index_rebuilds_atomically_with_progress_and_a_second_run_changes_nothing(client, settings):
    out = io.StringIO()
    call_command("update_index", backend_name="engine-ar", stdout=out)
    output = out.getvalue()
    assert f"engine-ar: Rebuilding index {settings.SEARCH_INDEX_PREFIX_FOR_TESTS}ar_wagtailcore_page" in output
    assert re.search(r"engine-ar: indexed \d+ objects", output)
    assert "." in output  # the progress dots
    backend = get_search_backend("engine-ar")
    alias = backend.get_index_for_model(Page)
    first_target = [index.name for index in alias.aliased_indices()]
    first_ids = index_ids("ar")
    first_results = result_ids(client, "/ar/search/?q=الإرهاب")

    call_command("update_index", backend_name="engine-ar", stdout=io.StringIO())
    second_target = [index.name for index in alias.aliased_indices()]
    assert len(first_target) == len(second_target) == 1
    assert first_target != second_target  # a new index took the alias over; the old one is gone
    assert not backend.es.indices.exists(index=first_target[0])
    assert index_ids("ar") == first_ids
    assert first_ids == sorted(Page.objects.filter(locale__language_code="ar").values_list("pk", flat=True))
    assert result_ids(client, "/ar/search/?q=الإرهاب") == first_results


def test_a_rebuild_waits_for_a_busy_engine_longer_than_a_reader_would(settings):
    """A reader's search gives up after SEARCH_TIMEOUT and the database answers; an operator's rebuild must not give
    up on a bulk write the engine answers a little later than that (a busy machine), or the whole rebuild fails."""
    session_engine = get_search_backend("engine-en").es
    # One late answer is enough: the rebuild sends every bulk write through the same client, with the same timeout
    # (each answer held back was a second and a half of the layer's wall time).
    link = EngineLink(settings.SEARCH_ENGINE_URL_FOR_TESTS, bulk_delay=1.5, slow_bulks=1)
    link.start()
    env = {
        "SEARCH_BACKEND": settings.SEARCH_ENGINE_FOR_TESTS,
        "SEARCH_URL": link.url,
        "SEARCH_INDEX_PREFIX": "busy_",
        "SEARCH_TIMEOUT": "1",
    }
    settings.WAGTAILSEARCH_BACKENDS = search_backends_from_env(env)
    out = io.StringIO()
    try:
        call_command("update_index", backend_name="engine-en", stdout=out)
    finally:
        link.stop()
        session_engine.indices.delete(index="busy_*")
    assert link.delayed >= 1  # the bulk writes' answers did come later than a reader's timeout
    assert re.search(r"engine-en: indexed [1-9]\d* objects", out.getvalue())


def test_one_engine_client_per_process():
    clients = {id(get_search_backend(f"engine-{language}").es) for language in ("en", "ar", "fr", "en")}
    assert len(clients) == 1


def test_an_engine_that_hangs_costs_one_short_timeout_not_an_error(client, settings):
    """An engine that accepts connections but never answers: the page answers from the database after the
    client's short timeout (1 s here), not after the client's default of 10 s with retries."""
    with socket.socket() as hanging:
        hanging.bind(("127.0.0.1", 0))
        hanging.listen(16)
        url = f"http://127.0.0.1:{hanging.getsockname()[1]}"
        env = {"SEARCH_BACKEND": settings.SEARCH_ENGINE_FOR_TESTS, "SEARCH_URL": url, "SEARCH_TIMEOUT": "1"}
        settings.WAGTAILSEARCH_BACKENDS = search_backends_from_env(env)
        started = time.monotonic()
        response = client.get("/en/search/?q=terrorism")
        elapsed = time.monotonic() - started
    assert response.status_code == 200
    assert "simplified mode" in response.content.decode()
    assert elapsed < 4


def test_readiness_reports_the_engine_answering(client):
    response = client.get("/health/ready/")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["checks"]["search_engine"] == "ok"
