from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"

    def ready(self):
        from . import signals, sites  # app loading: the page models must be loaded before their signals are connected

        signals.connect()
        sites.connect()
