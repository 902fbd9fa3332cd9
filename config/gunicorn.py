"""gunicorn's configuration for the app servers (``gunicorn config.wsgi -c config/gunicorn.py``): command-line
options (bind, workers) add to it.

A worker logs "Worker ready" once it has loaded the site and is about to take requests. A pause-free reload waits for
that line from every new worker before the old ones stop (USR2, then TERM to the old master: ``bench/soak.py``)."""


def post_worker_init(worker):
    worker.log.info("Worker ready (pid: %s)", worker.pid)
