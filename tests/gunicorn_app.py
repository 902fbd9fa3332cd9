"""A WSGI application for the reload tests (``tests/test_deploy.py``): it takes ``GUNICORN_APP_LOAD_SECONDS`` to
load, as the site takes a few to load Django, so that a reload that let the old workers go before the new ones were
ready would leave a gap; it answers with its worker's and master's pids, and names its release (``X-Release``: what
the file ``GUNICORN_APP_RELEASE`` names held when the application was loaded). With the file ``GUNICORN_APP_BROKEN``
names present, it fails to load (a release that does not start)."""

import os
import time
from pathlib import Path

if Path(os.environ["GUNICORN_APP_BROKEN"]).exists():
    raise RuntimeError("this release does not start")
RELEASE = Path(os.environ["GUNICORN_APP_RELEASE"]).read_text(encoding="utf-8").strip()
time.sleep(float(os.environ["GUNICORN_APP_LOAD_SECONDS"]))


def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain"), ("X-Release", RELEASE)])
    return [f"{os.getpid()} {os.getppid()}".encode()]
