"""Machine translation is off unless the environment names a provider.

``MACHINE_TRANSLATOR=deepl`` with ``DEEPL_API_KEY`` turns on DeepL in the translation editor (free-tier keys,
ending in ``:fx``, go to DeepL's free endpoint, which wagtail-localize picks itself); ``MACHINE_TRANSLATOR=dummy``
turns on wagtail-localize's offline dummy translator for demonstrations. A DeepL key alone also turns DeepL on.
Anything else is a configuration error, reported at start-up rather than at a translator's first click.
"""

from django.core.exceptions import ImproperlyConfigured


def machine_translator_from_env(environ):
    """The WAGTAILLOCALIZE_MACHINE_TRANSLATOR setting for this environment, or None (off)."""
    provider = environ.get("MACHINE_TRANSLATOR", "").strip().lower()
    key = environ.get("DEEPL_API_KEY", "").strip()
    if not provider and key:
        provider = "deepl"
    if not provider or provider == "off":
        return None
    if provider == "deepl":
        if not key:
            raise ImproperlyConfigured("MACHINE_TRANSLATOR=deepl needs DEEPL_API_KEY.")
        return {
            "CLASS": "wagtail_localize.machine_translators.deepl.DeepLTranslator",
            "OPTIONS": {"AUTH_KEY": key},
        }
    if provider == "dummy":
        return {"CLASS": "wagtail_localize.machine_translators.dummy.DummyTranslator"}
    raise ImproperlyConfigured(f"Unknown MACHINE_TRANSLATOR {provider!r}: use deepl, dummy or off.")
