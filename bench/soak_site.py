"""The site's side of the soak (``bench/soak.py``), run with the app servers' settings and environment:

- ``load``: the demo loaded without indexing each object as it is saved, then every index rebuilt at once (as the
  integration tests do: the database backend's row-by-row updates are a large part of a load's time), its background
  tasks run at once;
- ``edit``: the soak's editor. Each line read on stdin publishes an edit through Wagtail's publishing path: a unique
  marker word added to a news item's title (English and Arabic in turn); it answers with one JSON line (the marker,
  the page's language and address). Its index updates are queued for the task worker, as the app servers' are.
"""

import itertools
import json
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import override_settings  # noqa: E402

from news.models import NewsPage  # noqa: E402

IMMEDIATE = "django_tasks.backends.immediate.ImmediateBackend"
# Consonants only: no English or Arabic analyser stems such a word, so a search finds it as written.
LETTERS = "bcdfghjklmnpqrtvwxz"


def load(site_url):
    not_live = {name: {**options, "AUTO_UPDATE": False} for name, options in settings.WAGTAILSEARCH_BACKENDS.items()}
    # Set-up, not under test: what the demo's saves queue runs here and now, not in the soak's task worker.
    immediate = {name: {**options, "BACKEND": IMMEDIATE} for name, options in settings.TASKS.items()}
    with override_settings(WAGTAILSEARCH_BACKENDS=not_live, TASKS=immediate), open(os.devnull, "w") as quiet:
        call_command("load_demo", no_pdf=True, site_url=site_url, stdout=quiet)
    call_command("update_index", verbosity=0)
    return 0


def edit():
    rng = random.Random(int(os.environ.get("SOAK_SEED", "1")))
    by_language = [
        list(NewsPage.objects.live().filter(locale__language_code=language).order_by("path")[:8])
        for language in ("en", "ar")
    ]
    pages = [page for pair in itertools.zip_longest(*by_language) for page in pair if page is not None]
    if not pages:
        print(json.dumps({"error": "no live news item in English or Arabic"}), flush=True)
        return 1
    print(json.dumps({"pages": len(pages)}), flush=True)  # ready: Django loaded, the pages chosen
    for page, _line in zip(itertools.cycle(pages), sys.stdin, strict=False):
        marker = "zq" + "".join(rng.choice(LETTERS) for _ in range(8))
        began = time.monotonic()
        page = NewsPage.objects.get(pk=page.pk)
        page.title = f"{page.title} {marker}"
        page.save_revision().publish()
        answer = {
            "marker": marker,
            "language": page.locale.language_code,
            "url": page.url,
            "seconds": round(time.monotonic() - began, 3),
        }
        print(json.dumps(answer), flush=True)
    return 0


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "load" and len(sys.argv) == 3:
        sys.exit(load(sys.argv[2]))
    if command == "edit":
        sys.exit(edit())
    sys.exit("usage: soak_site.py load SITE_URL | edit")
