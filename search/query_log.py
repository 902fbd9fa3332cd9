"""The anonymous daily query counts behind the editors' query report.

A search is counted as its normalised text, its language and its day: nothing that identifies the reader (no
address, no account, no time of day) is kept, and e-mail addresses and long numbers a reader may have typed are
masked. Days older than ``SEARCH_QUERY_RETENTION_DAYS`` are deleted (checked once a day per process).
"""

import datetime
import re

from django.conf import settings
from django.core.cache import cache
from django.db.models import F, Sum
from django.utils import timezone

from .glossary import strip_marks
from .models import SearchQueryCount

EMAIL = re.compile(r"\S+@\S+")
LONG_NUMBER = re.compile(r"(?:\d[\s\-./]*){6,}")
MAX_LENGTH = SearchQueryCount._meta.get_field("query").max_length


def normalise(query):
    """What is stored of a query: case and diacritics folded, single spaces, personal details masked."""
    text = EMAIL.sub("[email]", strip_marks(query))
    text = LONG_NUMBER.sub("[number] ", text)
    return " ".join(text.casefold().split())[:MAX_LENGTH].strip()


def retention_days():
    return settings.SEARCH_QUERY_RETENTION_DAYS


def purge(today=None):
    """Delete the counts older than the retention period."""
    today = today or timezone.localdate()
    cutoff = today - datetime.timedelta(days=retention_days())
    return SearchQueryCount.objects.filter(day__lt=cutoff).delete()[0]


def record(language, query, found):
    text = normalise(query)
    if not text:
        return
    today = timezone.localdate()
    if cache.add(f"search-query-purge:{today.isoformat()}", True, 24 * 3600):
        purge(today)
    row, _created = SearchQueryCount.objects.get_or_create(day=today, language=language, query=text)
    SearchQueryCount.objects.filter(pk=row.pk).update(
        searches=F("searches") + 1, zero_results=F("zero_results") + (0 if found else 1)
    )


def report(days, language=None, limit=50):
    """The most frequent queries and the queries that found nothing over the last ``days`` days."""
    since = timezone.localdate() - datetime.timedelta(days=days - 1)
    rows = SearchQueryCount.objects.filter(day__gte=since)
    if language:
        rows = rows.filter(language=language)
    totals = rows.values("query", "language").annotate(total=Sum("searches"), zero=Sum("zero_results"))
    frequent = list(totals.order_by("-total", "query")[:limit])
    zero = list(totals.filter(zero__gt=0).order_by("-zero", "query")[:limit])
    return frequent, zero
