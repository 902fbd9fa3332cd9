"""Reload a gunicorn server without a pause: ``python -m ops.gunicorn_reload PIDFILE`` (the app servers' systemd
unit runs it as its ``ExecReload``: ``deploy/systemd/sse-app@.service``; ``bench/soak.py`` measures it).

gunicorn's own reload, SIGHUP, stops the old workers as the new ones start, and each new worker loads Django before
it takes a request: the server pauses for seconds. The re-exec keeps the old workers serving meanwhile: USR2 makes the
master start a new master (``PIDFILE.2``) with new workers beside the old ones; once every new worker is ready (each
writes its pid to ``PIDFILE.ready``: ``config/gunicorn.py``), the new master's pid goes into ``PIDFILE`` and TERM
makes the old master stop taking requests and finish those it has. systemd, told the ``PIDFile=``, reads it when its
main process exits, and follows the new master.

If the new master or its workers fail (a release that does not start), nothing is stopped: the old master serves on,
and the command fails with the reason. Linux only (``/proc``); no Django, so that it runs in a fraction of a second.
"""

import argparse
import os
import signal
import sys
import tempfile
import time
from pathlib import Path

POLL_SECONDS = 0.1
SETTLE_SECONDS = 2


class ReloadFailed(Exception):
    pass


def read_pid(path):
    """The pid a pid file names, or 0 (missing, empty or being replaced)."""
    try:
        return int(Path(path).read_text(encoding="ascii").strip() or 0)
    except (OSError, ValueError):
        return 0


def alive(pid):
    """Running, and not a zombie waiting for its parent."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def child_stats(pid):
    """``pid``'s live children: each child's pid and the fields of its ``/proc/<pid>/stat`` after the command name
    (``fields[0]`` is the state, ``fields[1]`` the parent, ``fields[11]`` and ``fields[12]`` user and system ticks)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
        except (OSError, IndexError):  # ended while we looked
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found[int(entry.name)] = fields
    return found


def children(pid):
    """The pids of ``pid``'s live children."""
    return set(child_stats(pid))


def ready_workers(pidfile):
    """The worker pids that reported ready (``config/gunicorn.py``'s ``post_worker_init``)."""
    try:
        text = Path(f"{pidfile}.ready").read_text(encoding="ascii")
    except OSError:
        return set()
    return {int(line) for line in text.split() if line.isdigit()}


def write_pid(pidfile, pid):
    """Replace the pid file's content at once (a reader never sees it empty)."""
    folder = os.path.dirname(os.path.abspath(pidfile))
    descriptor, temporary = tempfile.mkstemp(dir=folder)
    with os.fdopen(descriptor, "w", encoding="ascii") as stream:
        stream.write(f"{pid}\n")
    os.chmod(temporary, 0o644)  # noqa: S103 - a pid file is for everyone to read, as gunicorn writes its own
    os.replace(temporary, pidfile)


def wait_for(condition, timeout, failure):
    deadline = time.monotonic() + timeout
    while True:
        outcome = condition()
        if outcome:
            return outcome
        if time.monotonic() > deadline:
            raise ReloadFailed(failure)
        time.sleep(POLL_SECONDS)


def reload(pidfile, timeout=180, stop_timeout=60):
    """Re-exec the server whose master ``pidfile`` names; returns ``(new master pid, seconds until its workers were
    ready)``. Raises ReloadFailed, with the old master still serving, if the new one does not get ready.

    ``timeout`` is for the new master and its workers together: with ``preload_app`` the new master loads the site
    before it writes its pid file, its workers after, so either wait may take most of it."""
    old = read_pid(pidfile)
    if not old or not alive(old):
        raise ReloadFailed(f"no gunicorn master running as {pidfile} says")
    old_workers = children(old)
    workers = len(old_workers)
    stale = Path(f"{pidfile}.2")
    if stale.exists() and not alive(read_pid(stale)):  # a new master that died without removing its pid file
        stale.unlink()
    Path(f"{pidfile}.ready").write_text("", encoding="ascii")  # only workers that start from now on count
    Path(f"{pidfile}.reexec").write_text("", encoding="ascii")  # the new master writes its pid there (pre_exec)
    began = time.monotonic()
    deadline = began + timeout
    os.kill(old, signal.SIGUSR2)

    # The old master's new children: the new master, which loads the site (preload_app) before it writes its pid file.
    newcomers = set()

    def started():
        ours = children(old)
        pid = read_pid(f"{pidfile}.2")
        if pid in ours:  # the master this USR2 started, not one an earlier reload left behind
            return pid
        if not alive(old):
            raise ReloadFailed("the old master stopped during the reload")
        born = read_pid(f"{pidfile}.reexec")
        # The pid file of the new master's hook (config/gunicorn.py's pre_exec) sees one that died between two looks;
        # the children seen so far cover a server started without that configuration.
        if (born and not alive(born)) or (newcomers and not (ours & newcomers)):
            raise ReloadFailed("the new master stopped before it started (the site did not load): see gunicorn's log")
        newcomers.update(ours - old_workers)
        return 0

    new = wait_for(started, timeout, f"gunicorn's new master did not start within {timeout} s of USR2")

    # The old master's children may include workers still finishing their requests after a SIGHUP (more than the
    # new master starts): so its workers also count as all there once every one of them has been ready for
    # SETTLE_SECONDS with none added (gunicorn forks its workers within a fraction of a second).
    settled = {"workers": set(), "since": 0.0}

    def all_ready():
        if not alive(new):
            raise ReloadFailed("the new master stopped before its workers were ready: see gunicorn's log")
        ours = children(new)
        if not ours or not ours <= ready_workers(pidfile):
            return False
        if ours != settled["workers"]:
            settled.update(workers=ours, since=time.monotonic())
        return len(ours) >= workers or time.monotonic() - settled["since"] >= SETTLE_SECONDS

    try:
        wait_for(
            all_ready,
            deadline - time.monotonic(),
            f"the new workers were not ready within {timeout} s of USR2: see gunicorn's log",
        )
    except ReloadFailed:
        if alive(new):  # leave the old master as it was, ready for another reload
            os.kill(new, signal.SIGTERM)
        raise
    ready = time.monotonic() - began
    # Before the old master goes, so that systemd finds its successor in the pid file when its main process exits.
    write_pid(pidfile, new)
    os.kill(old, signal.SIGTERM)
    wait_for(lambda: not alive(old), stop_timeout, f"the old master {old} still runs after {stop_timeout} s")
    return new, ready


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("pidfile", help="gunicorn's --pid file")
    parser.add_argument(
        "--timeout", type=float, default=180, help="seconds the new master and its workers may take to get ready"
    )
    arguments = parser.parse_args(argv)
    try:
        new, ready = reload(arguments.pidfile, timeout=arguments.timeout)
    except ReloadFailed as error:
        print(f"Reload failed, the old server still serves: {error}", file=sys.stderr)
        return 1
    print(f"Reloaded: master {new}, its workers ready after {ready:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
