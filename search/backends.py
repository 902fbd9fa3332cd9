"""Which search engine the platform uses, from the environment.

SEARCH_BACKEND: ``database`` (default, embedded: SQLite FTS5 or PostgreSQL full-text), ``elasticsearch7|8|9`` or
``opensearch2|3``; SEARCH_URL: the engine's URL; SEARCH_INDEX_PREFIX: prefix of the engine's index names;
SEARCH_TIMEOUT: seconds before a request to the engine gives up.

With an engine, every language gets its own backend entry (``engine-en``, ``engine-ar`` …) and so its own index,
analysed with that language's analyzer (Wagtail indexes all languages into one index with one analyzer otherwise:
Wagtail issue 1177). A page is only ever indexed into its own language's index (see ``search.locale_backends``).
The ``default`` entry stays the database backend: the admin's search uses it, and the public search page falls
back to it when the engine is down, so it is kept up to date as well.

Kept free of Django imports so that settings can call it.
"""

ENGINE_BACKENDS = {
    "elasticsearch7": "search.locale_backends.Elasticsearch7",
    "elasticsearch8": "search.locale_backends.Elasticsearch8",
    "elasticsearch9": "search.locale_backends.Elasticsearch9",
    "opensearch2": "search.locale_backends.OpenSearch2",
    "opensearch3": "search.locale_backends.OpenSearch3",
}

# The engine's built-in analyzer for each content language (analysis-common module of Elasticsearch/OpenSearch).
LANGUAGE_ANALYZERS = {
    "en": "english",
    "ar": "arabic",
    "fr": "french",
    "es": "spanish",
    "ru": "russian",
    "zh-hans": "cjk",
}

# Filters that make a language's autocomplete (edge n-grams) forgive what its analyzer forgives.
AUTOCOMPLETE_FILTERS = {
    "ar": ["lowercase", "decimal_digit", "arabic_normalization"],
    "ru": ["lowercase"],
    "zh-hans": ["lowercase", "cjk_width"],
}


class SearchConfigError(ValueError):
    pass


def engine_backend_name(language):
    return f"engine-{language}"


def language_index_settings(language):
    """Index settings that make the language's analyzer the index default, so every text field (and the
    ``_all_text`` catch-all that Wagtail searches) is analysed in that language."""
    normalise = AUTOCOMPLETE_FILTERS.get(language, ["lowercase", "asciifolding"])
    return {
        "settings": {
            "index": {"number_of_shards": 1},
            "analysis": {
                "analyzer": {
                    "default": {"type": LANGUAGE_ANALYZERS[language]},
                    "edgengram_analyzer": {
                        "type": "custom",
                        "tokenizer": "standard",
                        "filter": [*normalise, "edgengram"],
                    },
                    "autocomplete_search": {"type": "custom", "tokenizer": "standard", "filter": normalise},
                },
            },
        }
    }


def search_backends_from_env(environ):
    name = environ.get("SEARCH_BACKEND", "database").strip().lower() or "database"
    database = {"BACKEND": "wagtail.search.backends.database"}
    if name == "database":
        return {"default": database}
    if name not in ENGINE_BACKENDS:
        choices = ", ".join(["database", *ENGINE_BACKENDS])
        raise SearchConfigError(f"SEARCH_BACKEND={name!r} is not one of: {choices}")
    url = environ.get("SEARCH_URL", "").strip()
    if not url:
        raise SearchConfigError(f"SEARCH_BACKEND={name} needs SEARCH_URL (e.g. http://127.0.0.1:9200)")
    prefix = environ.get("SEARCH_INDEX_PREFIX", "sse_")
    replicas = int(environ.get("SEARCH_INDEX_REPLICAS", "0"))
    backends = {"default": database}
    for language in LANGUAGE_ANALYZERS:
        settings = language_index_settings(language)
        settings["settings"]["index"]["number_of_replicas"] = replicas
        backends[engine_backend_name(language)] = {
            "BACKEND": ENGINE_BACKENDS[name],
            "LANGUAGE": language,
            "URLS": [url],
            "INDEX_PREFIX": f"{prefix}{language.replace('-', '_')}_",
            "TIMEOUT": float(environ.get("SEARCH_TIMEOUT", "3")),
            "OPTIONS": {"max_retries": 0, "retry_on_timeout": False},
            "INDEX_SETTINGS": settings,
        }
    return backends
