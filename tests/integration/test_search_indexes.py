"""What the engine holds: one page index per language, the only thing the public search looks up; no empty image,
document, expert or centre indexes, whether from ``update_index`` or from an editor saving one of those."""

import io

import pytest
from django.core.management import call_command
from modelsearch.backends import get_search_backend
from wagtail.models import Locale

from handbook.factories import ExpertFactory
from search.backends import LANGUAGE_ANALYZERS

pytestmark = [pytest.mark.django_db, pytest.mark.engine]
PREFIX = "test_"  # tests/integration/conftest.py: TEST_INDEX_PREFIX
PAGE_INDEXES = {f"{PREFIX}{language.replace('-', '_')}_wagtailcore_page" for language in LANGUAGE_ANALYZERS}


def engine_indexes():
    """The indexes the engine holds under the session's prefix, by the name the site uses (an atomic rebuild's
    index is known by its alias)."""
    engine = get_search_backend("engine-en").es
    engine.indices.refresh(index=f"{PREFIX}*")
    found = engine.indices.get_alias(index=f"{PREFIX}*")
    return {alias for name, info in found.items() for alias in (info["aliases"] or [name])}


def test_after_update_index_the_engine_holds_one_page_index_per_language_and_nothing_else():
    # The session built the indexes with update_index after loading the demo (conftest's build_site).
    assert engine_indexes() == PAGE_INDEXES


def test_saving_an_expert_creates_no_index():
    ExpertFactory(locale=Locale.objects.get(language_code="en"), name="Sample Expert Indexless")
    assert engine_indexes() == PAGE_INDEXES


def test_update_index_removes_an_image_index_an_earlier_version_left():
    engine = get_search_backend("engine-fr").es
    engine.indices.create(index=f"{PREFIX}fr_wagtailimages_image")
    out = io.StringIO()
    call_command("update_index", backend_name="engine-fr", stdout=out)
    assert f"engine-fr: deleted index {PREFIX}fr_wagtailimages_image" in out.getvalue()
    assert engine_indexes() == PAGE_INDEXES
