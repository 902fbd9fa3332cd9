from django.apps import AppConfig


class TranslationsConfig(AppConfig):
    name = "translations"

    def ready(self):
        # wagtail.models may only be imported once the apps are loaded.
        from .workflow_names import connect

        connect()
