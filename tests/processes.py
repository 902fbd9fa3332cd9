"""The process table, for the tests of launchers that start processes of their own (``tools/run_site.py``): which
are still running, and which a process started."""

import contextlib
import os
import signal
from pathlib import Path


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
