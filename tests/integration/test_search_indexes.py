"""What the engine holds: one page index per language, the only thing the public search looks up; no empty image,
document, expert or centre indexes, whether from ``update_index`` or from an editor saving one of those."""

import io

import pytest
from django.conf import settings
from django.core.management import call_command
from modelsearch.backends import get_search_backend
from wagtail.models import Locale, Page

from handbook.factories import ExpertFactory
from handbook.models.filters import FACET_CODES_FIELD, FILTERS_BY_PARAM
from search.backends import LANGUAGE_ANALYZERS
from search.queries import facet_column

pytestmark = [pytest.mark.django_db, pytest.mark.engine]
PREFIX = settings.SEARCH_INDEX_PREFIX_FOR_TESTS  # this session's (or xdist worker's): tests/integration/conftest.py
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


def test_update_index_leaves_each_language_s_index_in_one_segment():
    # Small chunks, as a large site's rebuild is many bulk requests: each refresh in between writes a segment, and
    # every search would then read every segment's terms (and build every segment's ordinals for the facets).
    for language in LANGUAGE_ANALYZERS:
        call_command("update_index", backend_name=f"engine-{language}", chunk_size=5, stdout=io.StringIO())
    for language in LANGUAGE_ANALYZERS:
        backend = get_search_backend(f"engine-{language}")
        index = backend.get_index_for_model(Page).name
        shards = next(iter(backend.es.indices.segments(index=index)["indices"].values()))["shards"]
        segments = [name for copies in shards.values() for copy in copies for name in copy["segments"]]
        assert len(segments) == 1, (language, segments)


def test_the_facet_fields_build_their_ordinals_when_the_index_refreshes():
    # The search page counts its facets on these fields: with eager ordinals their terms dictionaries are built
    # when the index refreshes, not by the first reader's search after an edit.
    columns = [facet_column(param) for param in [*FILTERS_BY_PARAM, FACET_CODES_FIELD]]
    for language in LANGUAGE_ANALYZERS:
        backend = get_search_backend(f"engine-{language}")
        mapping = backend.es.indices.get_mapping(index=backend.get_index_for_model(Page).name)
        properties = next(iter(mapping.values()))["mappings"]["properties"]
        assert {column: properties[column].get("eager_global_ordinals") for column in columns} == dict.fromkeys(
            columns, True
        ), language
