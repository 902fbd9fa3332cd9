"""Serve the demo site with the search readers will get: ``make run`` calls ``python -m tools.run_site``.

With Java (and Maven the first time, to fill ``.cache/search-engine/``) it starts the embedded engine with the
launcher the tests use (``tools/search_engine/run.py``), rebuilds the demo's indexes (``manage.py update_index``)
and serves with ``SEARCH_BACKEND=<engine> SEARCH_URL=…`` (the engine SEARCH_ENGINE names, Elasticsearch 7 by
default). Without them it says so in one line and serves with the database backend. Ctrl-C (SIGINT), SIGTERM or
a closed terminal (SIGHUP) stops the server and the PDF renders, then the engine; the engine also exits by itself if
this process dies (the launcher's parent watch), so no Java process outlives ``make run``.
"""

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

from tools.search_engine import run as engine

READY_TIMEOUT = 60.0
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never via a proxy


def say(message):
    print(f"run: {message}", file=sys.stderr, flush=True)


def wait_until_serving(url, process, timeout=READY_TIMEOUT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with _OPENER.open(url, timeout=2):
                return True
        except urllib.error.HTTPError:
            return True  # it answered
        except (OSError, urllib.error.URLError):
            time.sleep(0.2)
    return False


def start_server(args, environ):
    return subprocess.Popen(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "runserver", f"{args.host}:{args.port}"],
        env=environ,
        process_group=0,  # its own group, so that stopping it also stops the autoreloader's child
    )


def stop_server(server):
    """SIGTERM to the server's process group (runserver and its autoreloader child), SIGKILL if it lingers."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, sig)
        try:
            server.wait(timeout=10)
            return
        except subprocess.TimeoutExpired:
            continue


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
    parser.add_argument("--no-engine", action="store_true", help="serve with the database backend")
    args = parser.parse_args(argv)

    began = time.monotonic()
    environ = dict(os.environ)
    handle = None

    def stop_requested(signum, frame):
        raise KeyboardInterrupt

    # Installed explicitly: a shell that starts this in the background makes it ignore SIGINT otherwise. SIGHUP (the
    # terminal closed) would end this process without its ``finally``, and the server and the renders, in process
    # groups of their own that the terminal does not signal, would outlive it, the server still holding the port.
    for stop_signal in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(stop_signal, stop_requested)
    server = books = None
    try:
        if args.no_engine:
            say("search: database backend (--no-engine)")
        else:
            try:
                url, handle = engine.launch(watch_parent=True)
            except engine.EngineError as error:
                say(f"search: database backend, the engine did not start ({error})")
            else:
                environ.update(SEARCH_BACKEND=handle.engine, SEARCH_URL=url)
        # The server boots (two Django start-ups: the autoreloader's and its child's) while the JVM does; "serving"
        # is said once the indexes are built, so what a reader searches for then is found.
        server = start_server(args, environ)
        if handle is not None:
            try:
                engine.wait_ready(handle)
            except engine.EngineError as error:  # it stopped the engine
                handle = None
                say(f"search: database backend, the engine did not start ({error})")
                stop_server(server)
                for name in ("SEARCH_BACKEND", "SEARCH_URL"):
                    environ.pop(name)
                server = start_server(args, environ)
            else:
                started = time.monotonic()
                label = engine.ENGINES[handle.engine].label
                say(f"search engine {label} {url} up in {started - began:.1f}s (pid {handle.pid}); indexing the demo")
                subprocess.run([sys.executable, "manage.py", "update_index", "-v", "0"], env=environ, check=True)
                say(f"indexed in {time.monotonic() - started:.1f}s")
        site = f"http://{args.host}:{args.port}/"
        if wait_until_serving(site, server):
            say(f"serving {site} after {time.monotonic() - began:.1f}s ({'engine' if handle else 'database'} search)")
            # The PDF editions are rendered beside the running site (minutes for six languages; only what is missing
            # or out of date): their "Download as PDF" links appear as each file is ready.
            # Its own group, like the server's: the terminal's Ctrl-C reaches the whole foreground group, and this
            # process stops the renders itself (``finally``) rather than each child printing its own interruption.
            books = subprocess.Popen(
                [sys.executable, "manage.py", "render_books", "-v", "0"], env=environ, process_group=0
            )
            say("PDF editions: rendering what is missing in the background")
        server.wait()
        return server.returncode
    except KeyboardInterrupt:
        return 0
    except subprocess.CalledProcessError as error:
        say(f"indexing failed ({error}); stopping")
        return 1
    finally:
        if books is not None and books.poll() is None:
            books.terminate()
        if server is not None:
            stop_server(server)
        if handle is not None:
            engine.stop(handle)
            say("search engine stopped")


if __name__ == "__main__":
    sys.exit(main())
