"""The site each request is for is kept in the cache (``core/sites.py``), and every change to the sites or their
root pages is seen by the very next request."""

import pytest
from django.test import RequestFactory
from wagtail.models import Page, Site

from core import sites

pytestmark = pytest.mark.django_db

HOST = "kept.example"


def find(host=HOST):
    return sites.find_for_request(RequestFactory().get("/", HTTP_HOST=host))


def test_a_site_is_found_once_then_kept(django_assert_num_queries):
    default = Site.objects.get(is_default_site=True)
    assert find() == default  # no site of its own: the default site answers
    with django_assert_num_queries(0):
        site = find()
    assert site == default
    assert site.root_page.pk == default.root_page_id


def test_a_new_edited_or_deleted_site_is_seen_at_once():
    default = Site.objects.get(is_default_site=True)
    assert find() == default
    root = Page.objects.get(pk=default.root_page_id)
    own = Site.objects.create(hostname=HOST, port=80, root_page=root, site_name="Kept")
    assert find() == own
    own.site_name = "Renamed"
    own.save()
    assert find().site_name == "Renamed"
    own.delete()
    assert find() == default


def test_an_edited_root_page_is_not_served_from_an_old_copy():
    default = Site.objects.get(is_default_site=True)
    assert find().root_page.title == default.root_page.title
    root = Page.objects.get(pk=default.root_page_id).specific
    root.title = "A new title for the home page"
    root.save_revision().publish()
    assert find().root_page.title == "A new title for the home page"
