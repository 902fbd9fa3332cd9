"""Counting requests per client address in fixed time windows, for the public endpoints that cost the site work
(search, the exchange request form), or per signed-in person (the forum's members).

Counts live in the default cache (per process with the local-memory cache; use a shared cache such as Redis to
count across workers). The address is the client's, behind trusted proxies too (core/client_address.py)."""

import time

from django.core.cache import cache

from .client_address import client_address


def count_hit(scope, request, window_seconds, client=None):
    """Count one request of ``request``'s client for ``scope`` in the current window; return (the count so far in
    this window, the seconds until the window ends). ``client`` names who is counted (default: the address)."""
    now = time.time()
    window = int(now // window_seconds)
    who = client if client is not None else client_address(request)
    key = f"{scope}-rate:{who}:{window}"
    cache.add(key, 0, window_seconds + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        count = 1
    return count, window_seconds - int(now) % window_seconds
