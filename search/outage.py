"""An engine outage is logged twice: once when the first search falls back to the database, and once when the
engine answers again, with how long it was away and how many searches the database answered meanwhile.

Logging every fallback flooded the logs during an outage (a soak run wrote 4,755 identical warnings in 70 s). The
state is per process: each app server reports its own view of the outage.
"""

import logging
import threading
import time

logger = logging.getLogger(__name__)


class EngineOutage:
    def __init__(self):
        self._lock = threading.Lock()
        self._since = None
        self._fallbacks = 0

    @property
    def ongoing(self):
        return self._since is not None

    def fell_back(self, error):
        """A search could not use the engine and the database answered."""
        with self._lock:
            if self._since is None:
                self._since = time.monotonic()
                self._fallbacks = 0
                logger.warning("Search engine unavailable, the database answers until it is back: %s", error)
            self._fallbacks += 1

    def engine_answered(self):
        """A search used the engine; ends an outage if one was going on."""
        if self._since is None:  # the usual case, without taking the lock
            return
        with self._lock:
            if self._since is None:
                return
            seconds = time.monotonic() - self._since
            logger.warning(
                "Search engine back after %.0f s; the database answered %d search(es) meanwhile",
                seconds,
                self._fallbacks,
            )
            self._since = None
            self._fallbacks = 0


outage = EngineOutage()
