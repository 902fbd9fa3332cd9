"""A canonical text dump of a SQLite database the demo was loaded into, to show that a change to the demo loader
(``demo/loader.py``) leaves what it writes unchanged: ``diff`` two dumps of loads before and after the change.

    python bench/demo_dump.py before.sqlite3 > before.txt

Every table's rows in primary-key order, each row as JSON, with what differs from one load to the next
normalised: times (``<t>``), UUIDs (numbered in order of first appearance: translation keys, block ids), password
hashes, the storage's suffixes of image file names, and the reference index's rows (written in no fixed order:
sorted, without their ids). Django's bookkeeping tables and the full-text search tables are left out.
"""

import json
import re
import sqlite3
import sys

UUID = re.compile(r"[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}")
TIME = re.compile(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d+)?(\+00:00|Z)?")
SUFFIX = re.compile(r"(sample-[a-z-]+)(_[A-Za-z0-9]{7})?(\.[a-z0-9]+)")
SKIPPED = {"sqlite_sequence", "django_migrations", "django_session"}
UNORDERED = "wagtailcore_referenceindex"
# Tables read first, so that translation keys are numbered in the order English rows were created.
FIRST = ["wagtailcore_page", "handbook_term", "handbook_expert", "handbook_centreofexcellence"]


def dump(path, out):
    uuids = {}

    def normalised(value):
        if not isinstance(value, str):
            return value
        value = re.sub(r"^(md5|pbkdf2_sha256)\$.*", "<password>", value)
        value = UUID.sub(lambda m: uuids.setdefault(m.group(0).replace("-", ""), f"<uuid{len(uuids)}>"), value)
        value = TIME.sub("<t>", value)
        return SUFFIX.sub(r"\1\3", value)

    connection = sqlite3.connect(path)
    tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
    for table in FIRST + [table for table in tables if table not in FIRST]:
        if table in SKIPPED or table.startswith("wagtailsearch_indexentry"):
            continue
        columns = [row[1] for row in connection.execute(f"PRAGMA table_info({table})")]
        order = "id" if "id" in columns else "rowid"
        # The table and column names come from the database file itself.
        query = f"SELECT * FROM {table} ORDER BY {order}"  # noqa: S608  # nosec B608
        rows = connection.execute(query).fetchall()
        lines = []
        for row in rows:
            record = dict(zip(columns, row, strict=True))
            if table == UNORDERED:
                record.pop("id")
                record.pop("content_path_hash")
            lines.append(json.dumps({k: normalised(v) for k, v in record.items()}, ensure_ascii=False, sort_keys=True))
        if table == UNORDERED:
            lines.sort()
        out.write(f"== {table} ({len(rows)} rows)\n")
        out.writelines(line + "\n" for line in lines)


if __name__ == "__main__":
    dump(sys.argv[1], sys.stdout)
