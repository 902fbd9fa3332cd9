"""The production files in ``deploy/systemd``: the units are valid for systemd, and the app server's reload, run
exactly as its unit runs it (``ExecStart`` and ``ExecReload``, with this machine's paths), leaves the server answering
throughout, now from a new master, and leaves the old server serving when the new release does not start.

The server here serves a small WSGI application that takes LOAD_SECONDS to load (``tests/gunicorn_app.py``), as Django
does in a few: a reload that stopped the old workers before the new ones were ready would leave a gap that long
(gunicorn's SIGHUP left one of 2.0 s with a 2-second load; this reload, 0.1 s on a quiet machine, 1.1 s under a load
of 10 on two cores)."""

import http.client
import os
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from ops.gunicorn_reload import alive, children, read_pid

ROOT = Path(__file__).resolve().parent.parent
UNITS = ROOT / "deploy" / "systemd"
VENV_BIN = Path(sys.executable).parent
INSTALLED_BIN = "/srv/sse/.venv/bin"
# How long the test application takes to load. A reload passes when no reader waited half that long: a pause for the
# new workers would be at least the whole of it, and on a busy machine serving alone can leave a second between two
# answers.
LOAD_SECONDS = 3.0


def unit_line(unit, key):
    """The command of ``key`` (ExecStart, ExecReload) in a unit file, as one string."""
    for line in (UNITS / unit).read_text(encoding="utf-8").splitlines():
        if line.startswith(f"{key}="):
            return line.removeprefix(f"{key}=")
    raise AssertionError(f"{unit} has no {key}=")


def test_the_systemd_units_verify(tmp_path):
    # Installed as their instances, with the virtualenv's programs where this machine has them (systemd checks that
    # each command exists); everything else as shipped.
    names = {"sse-app@.service": "sse-app@8001.service", "sse-worker@.service": "sse-worker@default.service"}
    for unit in sorted(UNITS.glob("*.service")) + sorted(UNITS.glob("*.timer")):
        text = unit.read_text(encoding="utf-8").replace(INSTALLED_BIN, str(VENV_BIN))
        (tmp_path / names.get(unit.name, unit.name)).write_text(text, encoding="utf-8")
    installed = sorted(str(path) for path in tmp_path.iterdir())
    assert len(installed) == 4
    checked = subprocess.run(  # noqa: S603 - a fixed command on our own files
        ["systemd-analyze", "verify", "--man=no", *installed],  # noqa: S607 - found on PATH, as systemctl is
        capture_output=True,
        text=True,
        check=False,
    )
    assert (checked.returncode, checked.stderr) == (0, "")


class UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__("localhost", timeout=10)
        self.socket_path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.socket_path)


def ask(socket_path):
    """``(worker pid, master pid)`` of the worker that answered."""
    connection = UnixHTTPConnection(socket_path)
    try:
        connection.request("GET", "/")
        response = connection.getresponse()
        assert response.status == 200
        return tuple(int(pid) for pid in response.read().split())
    finally:
        connection.close()


def served_release(socket_path):
    connection = UnixHTTPConnection(socket_path)
    try:
        connection.request("GET", "/")
        return connection.getresponse().getheader("X-Release")
    finally:
        connection.close()


class Readers(threading.Thread):
    """One reader asking again as soon as it is answered: every answer's time and master, every failure."""

    def __init__(self, socket_path):
        super().__init__(daemon=True)
        self.socket_path = socket_path
        self.answers = []  # (monotonic time, master pid)
        self.failures = []
        self.running = True

    def run(self):
        while self.running:
            try:
                self.answers.append((time.monotonic(), ask(self.socket_path)[1]))
            except (OSError, AssertionError, http.client.HTTPException) as error:
                self.failures.append(repr(error))
            time.sleep(0.02)  # a steady trickle, not a busy loop on a shared machine

    def longest_gap(self):
        times = [moment for moment, _master in self.answers]
        return max(later - earlier for earlier, later in zip(times, times[1:], strict=False))


class AppServer:
    """gunicorn started as ``sse-app@.service`` starts it, with the test application and a socket of its own."""

    def __init__(self, folder):
        self.folder = folder
        self.socket = str(folder / "gunicorn.sock")
        self.pidfile = str(folder / "gunicorn.pid")
        self.broken = folder / "broken"
        self.release = folder / "release"
        self.release.write_text("first", encoding="utf-8")
        self.env = {
            **os.environ,
            "GUNICORN_APP_BROKEN": str(self.broken),
            "GUNICORN_APP_RELEASE": str(self.release),
            "GUNICORN_APP_LOAD_SECONDS": str(LOAD_SECONDS),
        }

    def command(self, key):
        line = unit_line("sse-app@.service", key)
        line = line.replace("--bind 127.0.0.1:%i", f"--bind unix:{self.socket}").replace(
            "/run/sse-app-%i", str(self.folder)
        )
        line = line.replace(INSTALLED_BIN, str(VENV_BIN)).replace("config.wsgi", "tests.gunicorn_app")
        assert "%" not in line
        return shlex.split(line.replace("--workers 4", "--workers 2"))

    def start(self):
        self.log = open(self.folder / "gunicorn.log", "wb")  # noqa: SIM115 - closed in stop()
        command = self.command("ExecStart")
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, stderr=self.log)  # noqa: S603 - the unit's
        deadline = time.monotonic() + 60
        while True:
            try:
                return ask(self.socket)
            except OSError:
                assert self.process.poll() is None, (self.folder / "gunicorn.log").read_text()
                assert time.monotonic() < deadline, "gunicorn did not answer in 60 s"
                time.sleep(0.1)

    def reload(self):
        command = self.command("ExecReload")
        return subprocess.run(command, cwd=ROOT, env=self.env, capture_output=True, text=True)  # noqa: S603 - the unit's

    def stop(self):
        master = read_pid(self.pidfile)
        for pid in {master, self.process.pid} - {0}:
            if alive(pid):
                os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + 30
        while any(alive(pid) for pid in {master, self.process.pid} - {0}) and time.monotonic() < deadline:
            self.process.poll()  # reaps the first master, our child
            time.sleep(0.1)
        self.log.close()


@pytest.fixture
def app_server(tmp_path):
    server = AppServer(tmp_path)
    server.start()
    yield server
    server.stop()


def test_a_reload_by_the_units_command_answers_throughout_then_from_a_new_master(app_server):
    old = read_pid(app_server.pidfile)
    old_workers = children(old)
    readers = Readers(app_server.socket)
    readers.start()
    while len(readers.answers) < 5:
        time.sleep(0.05)

    reloaded = app_server.reload()
    answered_during_reload = len(readers.answers)
    while len(readers.answers) < answered_during_reload + 5:
        time.sleep(0.05)
    readers.running = False
    readers.join()

    assert reloaded.returncode == 0, reloaded.stderr
    new = read_pid(app_server.pidfile)
    assert new not in (0, old)
    assert f"Reloaded: master {new}" in reloaded.stdout
    assert not alive(old)
    assert not any(alive(pid) for pid in old_workers)
    assert readers.failures == []
    assert readers.longest_gap() < LOAD_SECONDS / 2  # nobody waited for the new workers to load
    masters = [master for _moment, master in readers.answers]
    assert masters[0] == old
    assert masters[-1] == new


def test_a_release_that_does_not_start_fails_the_reload_and_the_old_server_serves_on(app_server):
    old = read_pid(app_server.pidfile)
    app_server.broken.touch()

    failed = app_server.reload()

    assert failed.returncode == 1
    assert "Reload failed, the old server still serves" in failed.stderr
    # Told at once, by the new master's own pid (config/gunicorn.py's pre_exec), not after the command's whole timeout
    # (a master that died between two of its looks went unseen until then).
    assert "the new master stopped before it started" in failed.stderr, failed.stderr
    assert read_pid(app_server.pidfile) == old
    assert ask(app_server.socket)[1] == old

    app_server.broken.unlink()  # the release mended: the same server reloads
    assert app_server.reload().returncode == 0
    assert ask(app_server.socket)[1] == read_pid(app_server.pidfile) != old


def test_new_code_is_served_after_the_units_reload_and_not_after_a_hangup(app_server):
    # The master loads the application once for its workers (preload_app): SIGHUP's new workers are forked from the
    # old code; the unit's reload starts a new master, which loads the new release.
    assert served_release(app_server.socket) == "first"
    app_server.release.write_text("second", encoding="utf-8")
    master = read_pid(app_server.pidfile)
    workers = children(master)
    os.kill(master, signal.SIGHUP)
    deadline = time.monotonic() + 60
    while children(master) & workers or len(children(master)) < len(workers):
        assert time.monotonic() < deadline, "SIGHUP's new workers did not replace the old ones in 60 s"
        time.sleep(0.1)
    assert served_release(app_server.socket) == "first"

    assert app_server.reload().returncode == 0
    assert served_release(app_server.socket) == "second"
