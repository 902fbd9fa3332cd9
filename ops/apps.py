from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "ops"

    def ready(self):
        from . import retries  # noqa: F401  # app loading: the task models must be ready before the signal is connected
