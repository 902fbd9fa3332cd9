"""Developer settings: DEBUG on, a throwaway secret key, SQLite and database search unless told otherwise."""

from .base import *  # noqa: F403
from .base import SECRET_KEY

DEBUG = True
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-not-for-production"
ALLOWED_HOSTS = ["*"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# runserver serves from one process: its memory is every process's (base.py says why this matters).
TREE_VERSION_STORE = "cache"
