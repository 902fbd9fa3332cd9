"""What a load balancer and an operator see on the health probes: liveness, and readiness with each component's
state, never a host name, URL or credential."""

import socket

import pytest

from search.backends import search_backends_from_env

pytestmark = pytest.mark.django_db


def closed_port():
    """A port nothing listens on: an engine that is down."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_liveness(client):
    response = client.get("/health/live/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_readiness_on_the_database_backend(client):
    response = client.get("/health/ready/")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "search_engine": "not configured", "search_pending_updates": 0},
    }


def test_readiness_with_the_engine_down_is_degraded_not_unavailable(client, settings):
    url = f"http://127.0.0.1:{closed_port()}"
    settings.WAGTAILSEARCH_BACKENDS = search_backends_from_env(
        {"SEARCH_BACKEND": "elasticsearch7", "SEARCH_URL": url, "SEARCH_TIMEOUT": "1"}
    )
    response = client.get("/health/ready/")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["checks"]["search_engine"] == "down"
    assert "127.0.0.1" not in response.content.decode()


def test_probes_answer_get_only(client):
    assert client.post("/health/ready/").status_code == 405
