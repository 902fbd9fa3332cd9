"""gunicorn's configuration for the app servers (``gunicorn config.wsgi -c config/gunicorn.py``): command-line
options (bind, workers, pid file) add to it.

The master loads the site once (``preload_app``) and warms it (``ops/warm.py``: URLs, the six languages' catalogues,
the templates) before it forks the workers, which share that memory and answer at once. New code is loaded only by a
new master: the re-exec (USR2, ``ops/gunicorn_reload.py``, the units' ``systemctl reload``) or a restart. SIGHUP
forks new workers from the master as it is: it re-reads this file and gunicorn's options, not the site's code.

A worker logs "Worker ready" once it has loaded the site and is about to take requests, and, when the server has a
pid file, adds its pid to ``<pid file>.ready``: a pause-free reload (``ops/gunicorn_reload.py``: USR2, then TERM to
the old master) waits for every new worker there before the old ones stop."""

import os

from core.redis_cache import forget_connections
from ops.warm import release_connections, warm

# Without it, each worker loads Django itself: at a reload, several processes loading at once on the cores the old
# workers serve from left readers up to 2.3 s without an answer (bench/soak.py, 64 connections).
preload_app = True


def when_ready(server):
    templates = warm()
    server.log.info("Site warmed: URLs, catalogues, %d templates", len(templates))


def pre_fork(server, worker):
    # In the master, before each fork: a connection open now (the warm-up or the app's loading may have opened the
    # database or Redis) would be one socket shared by every worker, their queries and answers interleaved on it.
    # Closing it here, in its owner, is clean; each worker opens its own at its first request.
    release_connections()


def pre_exec(server):
    # In the new master a re-exec forks (USR2), before it loads anything: its pid, for ``ops/gunicorn_reload.py``.
    # A release that fails to load ends this process within a fraction of a second, possibly before the reload
    # command has seen it among the old master's children; with its pid written here, the command tells at once
    # that it stopped, instead of waiting its whole timeout for a master that will never come.
    if server.cfg.pidfile:
        with open(f"{server.cfg.pidfile}.reexec", "w", encoding="ascii") as born:
            born.write(f"{os.getpid()}\n")


def post_fork(server, worker):
    # In the worker, in case anything opened a Redis connection between pre_fork and the fork: redis-py, in a process
    # that is not the connection's, drops it without a word on the socket. The database's are not touched here:
    # closing an inherited PostgreSQL connection would send its end-of-session message on the master's socket.
    forget_connections()


def post_worker_init(worker):
    worker.log.info("Worker ready (pid: %s)", worker.pid)
    if worker.cfg.pidfile:
        # One short line appended at once: workers starting together never mix their lines.
        with open(f"{worker.cfg.pidfile}.ready", "a", encoding="ascii") as ready:
            ready.write(f"{worker.pid}\n")
