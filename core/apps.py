from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"

    def ready(self):
        from . import signals  # app loading: the page models must be loaded before their signals are connected

        signals.connect()
