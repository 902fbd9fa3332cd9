"""Test settings: fast hashing, plain static storage. The database comes from DATABASE_URL (SQLite default)."""

import os
from pathlib import Path

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105 - tests only  # nosec B105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# A folder nothing collects into: tests see the static files of the source folders, as on a fresh clone, whatever
# `make bench` or `make soak` collected into var/static. WhiteNoise reads every file of STATIC_ROOT each time a test
# client starts its middleware (once per test): with the 1,425 files collected there, that was 30 % of the fast
# layer's CPU (py-spy), and CI's PostgreSQL run, which follows the soak, paid it in every test.
STATIC_ROOT = BASE_DIR / "var" / "test-static"  # noqa: F405
# Local media files whatever the developer's AWS_* variables say; the bucket's tests (tests/test_media_storage.py)
# switch to a bucket on a local S3-compatible server of their own.
STORAGES["default"] = {"BACKEND": "django.core.files.storage.FileSystemStorage"}  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# TEST_MEDIA_ROOT lets the backup test restore into a media folder of its own; each pytest-xdist worker
# (PYTEST_XDIST_WORKER: gw0, gw1 …) uploads into its own folder.
TEST_MEDIA = BASE_DIR / "var" / "test-media"  # noqa: F405
MEDIA_ROOT = Path(os.environ.get("TEST_MEDIA_ROOT") or TEST_MEDIA / os.environ.get("PYTEST_XDIST_WORKER", "main"))
# Tests share one process and one cache: searches of all tests would add up. The limit has its own test
# (tests/test_admin_login.py), which sets a small limit for addresses of its own.
SEARCH_RATE_LIMIT = int(os.environ.get("SEARCH_RATE_LIMIT", "1000000"))
# The fast test layer searches with the database backend whatever the developer's SEARCH_* variables say; the
# integration layer (tests/integration/conftest.py) points the engine backends at the engine it starts.
WAGTAILSEARCH_BACKENDS = search_backends_from_env({})  # noqa: F405
# Tests build and change their data without publishing it: the page cache is off, except in the tests that are
# about it (tests/test_page_cache.py; the servers tests/integration/test_shared_cache.py starts), which turn it on.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "0"))
# The live server's threads share one process's memory, so answers kept under the tree's version (core/sites.py) are
# kept as in production with Redis; the servers that tests start as processes of their own use Redis.
TREE_VERSION_STORE = "cache"
