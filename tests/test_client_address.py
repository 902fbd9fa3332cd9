"""Readers behind the site's proxies (nginx, Varnish: TRUSTED_PROXIES) are counted by their own address, taken from
the right end of X-Forwarded-For; a forwarded address from anyone else, or one a client wrote in front of what the
proxies added, counts for nothing (core/client_address.py)."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from .sample_site import PASSWORD

pytestmark = pytest.mark.django_db
PROXY = "10.1.0.2"  # Varnish, as the app server sees it
BEHIND_PROXIES = override_settings(TRUSTED_PROXIES=["10.1.0.0/16"], SEARCH_RATE_LIMIT=2)


def searches(client, count, **headers):
    return [client.get("/en/search/", {"q": "dialogue"}, **headers).status_code for _ in range(count)]


@BEHIND_PROXIES
def test_two_readers_behind_the_proxies_each_get_their_own_search_limit():
    proxy = Client(REMOTE_ADDR=PROXY)
    # nginx appends the reader's address, Varnish nginx's: the reader's is the last one no proxy of ours sent.
    first = {"HTTP_X_FORWARDED_FOR": "198.51.100.1, 10.1.0.3"}
    second = {"HTTP_X_FORWARDED_FOR": "198.51.100.2, 10.1.0.3"}
    assert searches(proxy, 3, **first) == [200, 200, 429]
    assert searches(proxy, 2, **second) == [200, 200]
    # A reader who writes addresses of their own in front is still counted as themself.
    assert searches(proxy, 1, HTTP_X_FORWARDED_FOR="203.0.113.50, 198.51.100.1, 10.1.0.3") == [429]


@BEHIND_PROXIES
def test_a_forwarded_address_from_a_peer_that_is_not_a_proxy_is_ignored():
    client = Client(REMOTE_ADDR="203.0.113.7")
    spoofed = [searches(client, 1, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")[0] for n in range(10, 13)]
    assert spoofed == [200, 200, 429]


@BEHIND_PROXIES
def test_a_burst_across_the_end_of_a_minute_is_still_limited():
    # Counts do not start again from nothing when a minute ends: the last minute is what counts.
    proxy = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.40")
    minute_end = datetime.datetime(2026, 12, 2, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(minute_end - datetime.timedelta(seconds=1), tick=False):
        assert searches(proxy, 2) == [200, 200]
    with time_machine.travel(minute_end + datetime.timedelta(seconds=1), tick=False):
        assert searches(proxy, 1) == [429]
    with time_machine.travel(minute_end + datetime.timedelta(seconds=61), tick=False):
        assert searches(proxy, 1) == [200]  # a minute later the reader searches again


@override_settings(SEARCH_RATE_LIMIT=2)
def test_without_trusted_proxies_the_direct_peer_is_the_client():
    proxy = Client(REMOTE_ADDR=PROXY)
    assert searches(proxy, 2, HTTP_X_FORWARDED_FOR="198.51.100.20") == [200, 200]
    assert searches(proxy, 1, HTTP_X_FORWARDED_FOR="198.51.100.21") == [429]


@BEHIND_PROXIES
def test_the_login_lockout_of_one_reader_behind_the_proxies_does_not_lock_out_another():
    proxy = Client(REMOTE_ADDR=PROXY)
    guesser = {"HTTP_X_FORWARDED_FOR": "198.51.100.30"}
    login = reverse("wagtailadmin_login")
    statuses = [
        proxy.post(login, {"username": f"nobody{n}", "password": "wrong"}, **guesser).status_code
        for n in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert statuses[-1] == 429  # this address is locked out, whatever the user name
    assert proxy.post(login, {"username": "editor", "password": PASSWORD}, **guesser).status_code == 429
    colleague = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.31")
    assert colleague.post(login, {"username": "editor", "password": PASSWORD}).status_code == 302
