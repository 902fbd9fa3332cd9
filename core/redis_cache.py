"""Django's Redis cache with one Redis client, and so one connection pool, per process for every cache alias.

Django's ``RedisCache`` builds a ``redis.Redis`` object for each cache operation, and redis-py fills a table of some
170 response callbacks in each: about 0.18 ms of CPU, most of what a page-cache hit cost. Each alias (``default``,
``renditions``) also had a pool, and so connections, of its own. Here a process keeps one client per server and
options, built at its first use and shared by every alias that names them (``CACHES`` in settings/base.py).

A forked process must not use its parent's sockets: redis-py's pool notices a new pid and opens its own, and
``forget_connections`` (gunicorn's fork hooks, ``config/gunicorn.py``) drops them outright.
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient

# (server URL, options) -> redis.Redis: one per process.
_clients = {}


class SharedRedisCacheClient(RedisCacheClient):
    def get_client(self, key=None, *, write=False):
        server = self._servers[self._get_connection_pool_index(write)]
        identity = (server, repr(sorted(self._pool_options.items())))
        client = _clients.get(identity)
        if client is None:
            pool = self._pool_class.from_url(server, **self._pool_options)
            client = _clients[identity] = self._client(connection_pool=pool)
        return client


class SharedRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedRedisCacheClient


def forget_connections():
    """Close this process's Redis connections and forget its clients (the next use makes new ones)."""
    for client in _clients.values():
        client.connection_pool.disconnect()
    _clients.clear()
