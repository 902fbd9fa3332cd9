"""With Redis as the cache (production), a process holds one connection to it for all its caches, however many
requests and aliases use them (``core/redis_cache.py``): a real Debian redis-server, started here."""

import shutil
import socket
import subprocess
import time

import pytest
import redis
from django.core.cache import caches

from core.redis_cache import forget_connections


@pytest.fixture
def redis_url():
    server = shutil.which("redis-server")
    if server is None:
        pytest.fail("redis-server not found: run tools/install_test_deps.sh as root")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(  # noqa: S603 - a fixed local command
        [server, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    deadline = time.monotonic() + 30
    while True:
        try:
            redis.Redis.from_url(url).ping()
            break
        except redis.ConnectionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
    yield url
    forget_connections()
    process.terminate()
    process.wait(timeout=30)


def test_a_process_holds_one_connection_to_redis_for_all_its_caches(settings, redis_url):
    settings.CACHES = {
        "default": {"BACKEND": "core.redis_cache.SharedRedisCache", "LOCATION": redis_url},
        "renditions": {"BACKEND": "core.rendition_cache.RedisRenditionCache", "LOCATION": redis_url},
    }
    for number in range(5):
        caches["default"].set(f"page-{number}", "a page")
        assert caches["default"].get_many([f"page-{number}", "nothing"]) == {f"page-{number}": "a page"}
        caches["renditions"].set(f"rendition-{number}", "a rendition")
        assert caches["renditions"].get(f"rendition-{number}") == "a rendition"
    with redis.Redis.from_url(redis_url) as observer:
        assert len(observer.client_list()) == 2  # the caches' one, and the observer's own
