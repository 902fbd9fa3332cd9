"""The integration layer's site: the demo, loaded by the real ``load_demo`` command, with its pictures' renditions.

Built once and kept between sessions (tests/db_template.py, ``Template.site``); the copy's fingerprint reads this file,
so a change to how the site is built makes the next session build it again. The engine's indexes are not part of it:
each session starts its own engine and indexes the site there (conftest's ``build_site``).
"""

import os

from django.conf import settings
from django.core.management import call_command
from django.test import Client, override_settings
from wagtail.models import Page


def build():
    # The demo is loaded without indexing each page as it is saved (the engine may still be starting, and the
    # database backend's row-by-row updates were a quarter of the load's time): update_index then builds every
    # backend's index, the database's too, from the whole demo, as it would anyway.
    not_live = {name: {**options, "AUTO_UPDATE": False} for name, options in settings.WAGTAILSEARCH_BACKENDS.items()}
    with override_settings(WAGTAILSEARCH_BACKENDS=not_live), open(os.devnull, "w") as quiet:
        call_command("load_demo", no_pdf=True, stdout=quiet)  # tests that need a PDF render their own
    # Every picture's renditions (AVIF, WebP and JPEG in each width) are made here, once, while the engine may
    # still be starting, and committed with the demo. Made by a test's request, they were rolled back with the
    # test's transaction and made again by every later test showing the picture: 1-2 s of the server's CPU
    # per page with pictures. The translations show the same images as the default language's pages.
    client = Client()
    for page in Page.objects.live().filter(locale__language_code=settings.LANGUAGE_CODE).specific():
        if page.url is not None:  # the tree's root has none
            client.get(page.url)
