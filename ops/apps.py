from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    name = "ops"
    verbose_name = _("Operations")

    def ready(self):
        from . import retries  # noqa: F401  # app loading: the task models must be ready before the signal is connected
