"""gunicorn's configuration for the app servers (``gunicorn config.wsgi -c config/gunicorn.py``): command-line
options (bind, workers, pid file) add to it.

A worker logs "Worker ready" once it has loaded the site and is about to take requests, and, when the server has a
pid file, adds its pid to ``<pid file>.ready``: a pause-free reload (``ops/gunicorn_reload.py``: USR2, then TERM to
the old master) waits for every new worker there before the old ones stop."""


def post_worker_init(worker):
    worker.log.info("Worker ready (pid: %s)", worker.pid)
    if worker.cfg.pidfile:
        # One short line appended at once: workers starting together never mix their lines.
        with open(f"{worker.cfg.pidfile}.ready", "a", encoding="ascii") as ready:
            ready.write(f"{worker.pid}\n")
