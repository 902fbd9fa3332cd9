from django.apps import AppConfig


class TranslationsConfig(AppConfig):
    name = "translations"

    def ready(self):
        from .workflow_names import connect  # app loading: wagtail.models is importable only once apps are loaded

        connect()
