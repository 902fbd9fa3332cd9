"""Engine backends with one index per language, one client per process, and no lost index updates.

Each backend entry (``engine-en``, ``engine-ar`` …, see ``search.backends``) holds the pages of one locale: an
object is only written to the backend of its own language, so an English page never lands in the Arabic index.
The engine holds pages only, the one thing the public search looks up (``search.queries``): images, documents,
experts and centres are searched in the admin, on the database backend, so the engine gets no index for them
(Wagtail would otherwise create an empty image and document index, plus expert and centre indexes, per language).

Wagtail creates a new backend object, and with it a new HTTP client, every time it looks a backend up; here all
backends pointing at the same engine share one client per process.

When the engine cannot be reached, Wagtail only logs the failed update and the index goes silently stale. Here the
update is recorded as a ``PendingIndexUpdate`` and replayed by the next successful update of the same backend, by
``manage.py replay_search_updates``, or made moot by ``manage.py update_index``.

The classes are built on first use (``search.locale_backends.Elasticsearch7`` …) so that only the client library
of the configured engine has to be installed.
"""

import contextlib
import functools
import logging
import threading
from importlib import import_module
from urllib.parse import quote

from django.apps import apps
from modelsearch.index import FilterField, get_indexed_instance, get_indexed_models
from wagtail.models import Locale, Page

from handbook.models.filters import FACET_CODES_FIELD, FILTERS

from .backends import engine_backend_name
from .models import PendingIndexUpdate

logger = logging.getLogger(__name__)

ENGINE_MODULES = {
    "Elasticsearch7": "modelsearch.backends.elasticsearch7",
    "Elasticsearch8": "modelsearch.backends.elasticsearch8",
    "Elasticsearch9": "modelsearch.backends.elasticsearch9",
    "OpenSearch2": "modelsearch.backends.opensearch2",
    "OpenSearch3": "modelsearch.backends.opensearch3",
}
REPLAY_BATCH = 500
# What the clients' search() sends: elasticsearch-py 7.17's transport sends no content type of its own (the
# engine then answers 406).
JSON_HEADERS = {"accept": "application/json", "content-type": "application/json"}
FORCE_MERGE_TIMEOUT = 1800  # seconds: merging a language's index of 50,000 pages takes about a minute here

# The filter fields the search page's facets count (``search.facets``): their terms dictionaries ("global ordinals")
# are built when the index refreshes, not by the first search after it.
FACET_FIELDS = frozenset([FACET_CODES_FIELD, *(facet.index_field for facet in FILTERS)])

_clients = {}
_clients_lock = threading.Lock()
_known_indices = set()
_locale_ids = {}


@functools.cache
def engine_errors():
    """The exceptions of the installed client libraries that mean "the engine did not answer as expected"."""
    errors = [ConnectionError, TimeoutError]
    for module_name, names in [
        ("elasticsearch.exceptions", ["TransportError", "ConnectionError", "ApiError"]),
        ("elastic_transport", ["TransportError"]),
        ("opensearchpy.exceptions", ["TransportError"]),
    ]:
        try:
            module = import_module(module_name)
        except ImportError:
            continue
        errors.extend(getattr(module, name) for name in names if hasattr(module, name))
    return tuple(errors)


def shared_client(client_class, options):
    key = (client_class, repr(sorted(options.items())))
    with _clients_lock:
        if key not in _clients:
            _clients[key] = client_class(**options)
        return _clients[key]


def locale_id_for(language):
    if language not in _locale_ids:
        locale_id = Locale.objects.filter(language_code=language).values_list("pk", flat=True).first()
        if locale_id is None:
            return None
        _locale_ids[language] = locale_id
    return _locale_ids[language]


def record_pending(backend_name, obj, action, error):
    PendingIndexUpdate.objects.update_or_create(
        backend_name=backend_name,
        app_label=obj._meta.app_label,
        model_name=obj._meta.model_name,
        object_id=str(obj.pk),
        defaults={"action": action, "last_error": str(error)[:2000]},
    )
    logger.warning("Search engine unreachable (%s): %s of %r recorded for replay", backend_name, action, obj)


class LocaleMappingMixin:
    """Wagtail's mapping, plus: the facets' fields build their ordinals eagerly (``FACET_FIELDS``), when the index
    refreshes rather than in the first search after an edit. A change here reaches an existing index only through a
    rebuild (``manage.py update_index``).

    Offsets in the full-text fields' postings (``index_options: offsets``, so that excerpts are cut without
    analysing the text again) were measured at 100,000 practices and left out: the excerpts took longer with them
    (7.6-14.9 ms of the engine's time a search against 5.7, ``bench/search_scale.py --profile``), for a 9% larger
    index."""

    def get_field_mapping(self, field):
        column, mapping = super().get_field_mapping(field)
        if isinstance(field, FilterField) and field.field_name in FACET_FIELDS and mapping["type"] == "keyword":
            mapping["eager_global_ordinals"] = True
        return column, mapping


class LocaleIndexMixin:
    """An index that accepts only the objects of its backend's language (the rebuild command writes to indexes
    directly, so the filter has to be here as well as in the backend)."""

    def add_item(self, item):
        if self.backend.belongs(item):
            super().add_item(item)

    def add_items(self, model, items):
        items = [item for item in items if self.backend.belongs(item)]
        if items:
            super().add_items(model, items)


def transport_takes_body(client):
    """Whether the client's transport posts a request body as given: elasticsearch-py before 8 and opensearch-py.
    Their ``search()`` copies and checks every argument and, given a body, warns that it is deprecated (or, with
    the body's keys as arguments, moves them back into a body): CPU at every search for nothing the engine sees.
    The 8+ clients take the body's keys as arguments only."""
    library = type(client).__module__.split(".")[0]
    return library == "opensearchpy" or import_module(library).VERSION < (8,)


class LocaleBackendMixin:
    def __init__(self, params):
        params = dict(params)
        self.language = params.pop("LANGUAGE")
        self.name = engine_backend_name(self.language)
        client_class = self.client_class
        self.client_class = lambda **options: shared_client(client_class, options)
        super().__init__(params)
        self.posts_body = transport_takes_body(self.es)

    def search_request(self, index_name, body):
        """The engine's answer (a dict) to a search ``body`` in the query DSL, on any of the client libraries."""
        if self.posts_body:
            path = f"/{quote(index_name, safe=',*')}/_search"
            return self.es.transport.perform_request("POST", path, headers=JSON_HEADERS, body=body)
        return self.es.search(index=index_name, **{("from_" if key == "from" else key): v for key, v in body.items()})

    def holds(self, model):
        """Whether this engine backend keeps an index for `model` (pages only: see the module's docstring)."""
        return issubclass(model, Page)

    def held_models(self):
        return [model for model in get_indexed_models() if self.holds(model)]

    def held_index_names(self):
        return {self.get_index_for_model(model).name for model in self.held_models()}

    def belongs(self, obj):
        if not self.holds(type(obj)):
            return False
        locale_id = getattr(obj, "locale_id", None)
        return locale_id is not None and locale_id == locale_id_for(self.language)

    def drop_unheld_indexes(self):
        """Delete the indexes under this backend's prefix that hold no model of ``held_models`` (left by a version
        that indexed images and documents, say). An atomic rebuild's index counts by its alias. Returns their
        names."""
        held = self.held_index_names()
        found = self.es.indices.get_alias(index=f"{self.index_prefix}*")
        unheld = sorted(name for name, info in found.items() if name not in held and not held & set(info["aliases"]))
        for name in unheld:
            self.es.indices.delete(index=name)
        return unheld

    def force_merge(self, index_name):
        """Merge an index that was just bulk-loaded into one segment, before it serves (a rebuild's new index):
        the bulk load leaves tens of segments, and each search then reads each segment's terms and, for the facets,
        builds each segment's ordinals. Only for an index that is written in bulk and then mostly read."""
        client = self.es.options(request_timeout=FORCE_MERGE_TIMEOUT) if hasattr(self.es, "options") else None
        if client is None:  # opensearch-py: the timeout is a request parameter
            self.es.indices.forcemerge(index=index_name, max_num_segments=1, request_timeout=FORCE_MERGE_TIMEOUT)
        else:
            client.indices.forcemerge(index=index_name, max_num_segments=1)
        # Searches read the merged segment once the index refreshes, which an idle shard would not do by itself.
        self.es.indices.refresh(index=index_name)

    def ensure_index(self, model):
        """Create the language's index with its analyzers before the first write (the engine would otherwise
        create it from the first document, with the standard analyzer)."""
        index = self.get_index_for_model(model)
        key = (id(self.es), index.name)
        if key in _known_indices:
            return
        if not index.exists():
            index.put()
            for indexed_model in self.held_models():
                if self.get_index_for_model(indexed_model).name == index.name:
                    index.add_model(indexed_model)
        _known_indices.add(key)

    def add(self, obj):
        if not self.belongs(obj):
            return
        try:
            self.ensure_index(type(obj))
            super().add(obj)
        except engine_errors() as error:
            record_pending(self.name, obj, "add", error)
            return
        self.replay_pending()

    def add_bulk(self, model, obj_list):
        for obj in obj_list:
            self.add(obj)

    def delete(self, obj):
        if not self.belongs(obj):
            return
        try:
            super().delete(obj)
        except engine_errors() as error:
            record_pending(self.name, obj, "delete", error)
            return
        self.replay_pending()

    def replay_pending(self):
        """Apply the updates recorded while the engine was unreachable. Returns (replayed, still pending)."""
        pending = list(PendingIndexUpdate.objects.filter(backend_name=self.name)[:REPLAY_BATCH])
        if not pending:
            return 0, 0
        replayed = 0
        for update in pending:
            try:
                self._apply(update)
            except engine_errors() as error:
                update.attempts += 1
                update.last_error = str(error)[:2000]
                update.save(update_fields=["attempts", "last_error", "updated_at"])
                break
            update.delete()
            replayed += 1
        return replayed, PendingIndexUpdate.objects.filter(backend_name=self.name).count()

    def _apply(self, update):
        model = apps.get_model(update.app_label, update.model_name)
        obj = model.objects.filter(pk=update.object_id).first() if update.action == "add" else None
        indexed = get_indexed_instance(obj) if obj is not None else None
        if indexed is not None and self.belongs(indexed):
            self.ensure_index(type(indexed))
            self.get_index_for_model(type(indexed)).add_item(indexed)
            return
        with contextlib.suppress(self.NotFoundError):
            self.es.delete(index=self.get_index_for_model(model).name, id=str(update.object_id))


def __getattr__(name):
    if name not in ENGINE_MODULES:
        raise AttributeError(name)
    base = import_module(ENGINE_MODULES[name]).SearchBackend
    index_class = type(f"{name}LocaleIndex", (LocaleIndexMixin, base.index_class), {"__module__": __name__})
    mapping_class = type(f"{name}LocaleMapping", (LocaleMappingMixin, base.mapping_class), {"__module__": __name__})
    backend_class = type(
        f"{name}LocaleBackend",
        (LocaleBackendMixin, base),
        {"index_class": index_class, "mapping_class": mapping_class, "__module__": __name__},
    )
    globals()[name] = backend_class
    return backend_class
