"""The address of the client a request comes from, for everything that counts per client: the search, exchange and
forum limits (core/throttling.py), django-axes' login lockout (AXES_CLIENT_IP_CALLABLE) and django-allauth's limits
(accounts/members.py).

Behind nginx or Varnish the direct peer (REMOTE_ADDR) is the proxy, so every reader would share one limit. The proxies
each append the address they received the request from to X-Forwarded-For; a client can put anything at its start.
So the header is read only when the direct peer is one of TRUSTED_PROXIES (settings: addresses and networks, from the
environment), and only from its right end: the first hop, going left, that is not a trusted proxy is the client.
"""

import functools
import ipaddress

from django.conf import settings


@functools.lru_cache(maxsize=8)
def _networks(proxies):
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _address(text):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address, networks):
    return address is not None and any(address in network for network in networks)


def client_address(request):
    """The client's address as a string ("" when the server was given none)."""
    peer = request.META.get("REMOTE_ADDR", "")
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    if not networks or not _trusted(_address(peer), networks):
        return peer
    client = peer
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = _address(hop)
        if address is None:  # not written by a proxy: the last address a trusted proxy gave is all that is known
            break
        client = str(address)
        if not _trusted(address, networks):
            break
    return client
