"""Counting requests per client address over a sliding time window, for the public endpoints that cost the site work
(search, the exchange request form), or per signed-in person (the forum's members).

Counts live in the default cache (per process with the local-memory cache; use a shared cache such as Redis to
count across workers). The address is the client's, behind trusted proxies too (core/client_address.py)."""

import math
import time

from django.core.cache import cache

from .client_address import client_address


def count_hit(scope, request, window_seconds, client=None):
    """Count one request of ``request``'s client for ``scope``; return (the client's count over the last
    ``window_seconds``, the seconds until the current window ends). ``client`` names who is counted (default: the
    address).

    A sliding window, estimated from two fixed ones: this window's count plus the previous window's, weighted by how
    much of it the last ``window_seconds`` still cover (rounded up). With fixed windows alone a client could send
    twice the limit across a window's end, and a count would start again from nothing in the middle of a burst."""
    now = time.time()
    window, elapsed = divmod(now, window_seconds)
    window = int(window)
    who = client if client is not None else client_address(request)
    key = f"{scope}-rate:{who}:{window}"
    cache.add(key, 0, 2 * window_seconds + 5)  # the next window still weighs it
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        count = 1
    previous = cache.get(f"{scope}-rate:{who}:{window - 1}", 0)
    recent = math.ceil(previous * (1 - elapsed / window_seconds))
    return count + recent, math.ceil(window_seconds - elapsed)
