"""``make run``'s launcher (``tools/run_site.py``) under test: started as a terminal starts it, on a migrated SQLite
database of its own, and the process table read to see which of its processes are still running."""

import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from .db_template import ROOT, migrated_file

# The launched site's own address, never through a proxy the environment names.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _stat(pid):
    """The fields of ``/proc/<pid>/stat`` after the command name (state, parent, ...), or None when it is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def alive(pid):
    fields = _stat(pid)
    return fields is not None and fields[0] != "Z"  # a zombie has exited


def children(pid):
    """The processes whose parent is ``pid``."""
    return [
        int(entry.name)
        for entry in Path("/proc").iterdir()
        if entry.name.isdigit() and (fields := _stat(entry.name)) is not None and int(fields[1]) == pid
    ]


def kill(pids):
    """SIGKILL to each of ``pids`` still running, with its process group when it leads one (a server and its
    autoreloader's child)."""
    for pid in pids:
        if alive(pid):
            try:
                os.killpg(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):  # not a group's leader, or the group is gone
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)


def site_environ(folder, **variables):
    """The launcher's environment: the development settings on a migrated SQLite file and a media folder of its own
    in ``folder`` (no developer's ``db.sqlite3`` or PDFs touched), no engine address from the caller's environment,
    and ``variables``."""
    environ = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": f"sqlite:///{folder / 'site.sqlite3'}",
        "MEDIA_ROOT": str(folder / "media"),
        **variables,
    }
    for name in ("SEARCH_BACKEND", "SEARCH_URL"):
        environ.pop(name, None)
    migrated_file(folder / "site.sqlite3", environ)
    return environ


@contextlib.contextmanager
def launched(environ, log_path, *arguments):
    """``python -m tools.run_site *arguments``, its output in ``log_path``, in a session of its own as a terminal's
    foreground job is. On the way out, a launcher still running (the test failed before stopping it) is killed with
    the server and renders it started: in groups of their own, they would outlive it."""
    with open(log_path, "wb") as log:
        process = subprocess.Popen(  # noqa: S603 - a fixed command of this repository
            [sys.executable, "-m", "tools.run_site", *arguments],
            cwd=ROOT,
            env=environ,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield process
    finally:
        if process.poll() is None:
            leftovers = children(process.pid)
            process.kill()
            process.wait()
            kill(leftovers)


def wait_for(text, log_path, process, timeout):
    """The launcher's output once ``text`` is in it; fails if the launcher ends or ``timeout`` seconds pass first."""
    deadline = time.monotonic() + timeout
    while text not in (output := log_path.read_text()):
        assert process.poll() is None, output
        assert time.monotonic() < deadline, f"no {text!r} after {timeout} s: {output}"
        time.sleep(0.2)
    return output
