"""Which search engine the platform uses, from the environment.

SEARCH_BACKEND: ``database`` (default, embedded: SQLite FTS5 or PostgreSQL full-text), ``elasticsearch7|8|9`` or
``opensearch2|3``; SEARCH_URL: the engine's URL; SEARCH_INDEX_PREFIX: prefix of the engine's index names.
Kept free of Django imports so that settings can call it.
"""

ENGINE_BACKENDS = {
    "elasticsearch7": "modelsearch.backends.elasticsearch7",
    "elasticsearch8": "modelsearch.backends.elasticsearch8",
    "elasticsearch9": "modelsearch.backends.elasticsearch9",
    "opensearch2": "modelsearch.backends.opensearch2",
    "opensearch3": "modelsearch.backends.opensearch3",
}


class SearchConfigError(ValueError):
    pass


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
    return {
        "default": {
            "BACKEND": ENGINE_BACKENDS[name],
            "URLS": [url],
            "INDEX_PREFIX": environ.get("SEARCH_INDEX_PREFIX", "sse_"),
            "TIMEOUT": int(environ.get("SEARCH_TIMEOUT", "5")),
        },
        "database": database,
    }
