from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BooksConfig(AppConfig):
    name = "books"
    verbose_name = _("PDF editions")

    def ready(self):
        from . import publishing  # noqa: F401  # app loading: connects the publication signals once models are ready
