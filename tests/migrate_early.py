"""``python -m tests.migrate_early``: the test sessions' migrated database copy, made by a process of its own
(``tests/db_template.py``, ``migrate_early``), which ``make test`` starts with the sessions."""

import django

django.setup()

# After django.setup(): db_template imports models, which need the app registry.
from tests.db_template import migrate_early  # noqa: E402

migrate_early()
