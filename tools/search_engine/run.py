#!/usr/bin/env python3
"""Start and stop a real search engine node on 127.0.0.1 for tests: Elasticsearch 7.10.2, OpenSearch 2.19 or 3.x.

Standalone (Python 3.11 standard library only). Needs a JDK (java + javac: 17 for Elasticsearch 7 and OpenSearch 2,
21 or newer for OpenSearch 3) and, the first time only, Maven: the engine comes from Maven Central as libraries
(see the pom files and README.md here) and is resolved once into ``.cache/search-engine/`` at the repository root.

Which engine: SEARCH_ENGINE (``elasticsearch7``, the default, ``opensearch2`` or ``opensearch3``; the names are the
site's SEARCH_BACKEND values, so the tests and ``make run`` point the site at the engine they start).

Library use::

    from tools.search_engine.run import start, stop   # or load this file by path
    url, handle = start()          # free port, fresh data dir, waits for yellow
    ...
    stop(handle)

Command line::

    python tools/search_engine/run.py start [--port N] [--foreground] [--keep-data] [--engine NAME]
    python tools/search_engine/run.py status
    python tools/search_engine/run.py stop
    python tools/search_engine/run.py resolve [--engine NAME]    # only fetch dependencies

Environment: SEARCH_ENGINE (see above), SEARCH_ENGINE_JAVA (java binary, default: the first JDK that is new enough
among JAVA_HOME, java on PATH and /usr/lib/jvm/*), SEARCH_ENGINE_HEAP (default 512m), SEARCH_ENGINE_CACHE (default
<repo>/.cache/search-engine), SEARCH_ENGINE_START_TIMEOUT (seconds, default 120), SEARCH_ENGINE_JVM_OPTIONS (JVM
options added after the launcher's own, space-separated: the launcher's are chosen for a quick start in tests, e.g.
the JIT stops at its first tier; the benchmarks add ``-XX:TieredStopAtLevel=4 -XX:-UseSerialGC -XX:+UseG1GC`` to
measure the engine as production runs it).
"""

import argparse
import atexit
import contextlib
import dataclasses
import fcntl
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ENGINE_DIR = Path(__file__).resolve().parent
REPO_ROOT = ENGINE_DIR.parent.parent
CACHE = Path(os.environ.get("SEARCH_ENGINE_CACHE") or REPO_ROOT / ".cache" / "search-engine")
M2_REPO = CACHE / "m2"
JVM_DIR = Path("/usr/lib/jvm")  # where Debian and the Temurin packages put their JDKs
RUN_DIR = CACHE / "run"
DATA_ROOT = CACHE / "data"
STATE_FILE = RUN_DIR / "engine.json"

CLUSTER_NAME = "search-engine-test"
DEFAULT_HEAP = os.environ.get("SEARCH_ENGINE_HEAP", "512m")
DEFAULT_TIMEOUT = float(os.environ.get("SEARCH_ENGINE_START_TIMEOUT", "120"))

# JVM options taken from Elasticsearch 7.10's and OpenSearch's own jvm.options / launcher.
JVM_OPTIONS = [
    "-XX:+UseSerialGC",
    "-XX:TieredStopAtLevel=1",
    "-Xss1m",
    "-Djava.awt.headless=true",
    "-Dfile.encoding=UTF-8",
    "-Djna.nosys=true",
    "-XX:-OmitStackTraceInFastThrow",
    "-Dio.netty.noUnsafe=true",
    "-Dio.netty.noKeySetOptimization=true",
    "-Dio.netty.recycler.maxCapacityPerThread=0",
    "-Dio.netty.allocator.numDirectArenas=0",
    "-Dlog4j.shutdownHookEnabled=false",
    "-Dlog4j2.disable.jmx=true",
    "-Dlog4j2.formatMsgNoLookups=true",
]


@dataclasses.dataclass(frozen=True)
class Engine:
    """One engine the launcher can start: its Maven project, its main class and the Java it needs."""

    name: str
    label: str
    pom: Path
    main_class: str
    java: int  # the oldest Java major version it runs on
    maven_properties: tuple[tuple[str, str], ...] = ()
    jvm_options: tuple[str, ...] = ()

    @property
    def source(self) -> Path:
        return ENGINE_DIR / f"{self.main_class}.java"

    @property
    def cache(self) -> Path:
        return CACHE / self.name


OPENSEARCH_POM = ENGINE_DIR / "pom-opensearch.xml"
ENGINES = {
    engine.name: engine
    for engine in [
        Engine(
            "elasticsearch7",
            "Elasticsearch 7.10.2",
            ENGINE_DIR / "pom.xml",
            "EngineMain",
            17,
            # What the official launcher passes too; the Python client 7.14+ refuses a 7.10 server whose
            # build_flavor is not "default".
            jvm_options=("-Des.distribution.flavor=default", "-Des.distribution.type=tar"),
        ),
        Engine(
            "opensearch2",
            "OpenSearch 2.19.6",
            OPENSEARCH_POM,
            "OpenSearchMain",
            17,
            (("opensearch.version", "2.19.6"),),
        ),
        Engine(
            "opensearch3",
            "OpenSearch 3.9.0",
            OPENSEARCH_POM,
            "OpenSearchMain",
            21,
            (("opensearch.version", "3.9.0"),),
            # Lucene 10 maps index files through the foreign-memory API.
            ("--enable-native-access=ALL-UNNAMED",),
        ),
    ]
}
DEFAULT_ENGINE = "elasticsearch7"


def engine_named(name: str | None = None) -> Engine:
    """The engine called `name`, or the one SEARCH_ENGINE names (Elasticsearch 7 by default)."""
    name = (name or os.environ.get("SEARCH_ENGINE") or DEFAULT_ENGINE).strip().lower()
    if name not in ENGINES:
        raise EngineError(f"search engine: SEARCH_ENGINE={name!r} is not one of: {', '.join(ENGINES)}")
    return ENGINES[name]


class EngineError(RuntimeError):
    """The engine could not be resolved, started or stopped (message is one line)."""


@dataclasses.dataclass
class EngineHandle:
    pid: int
    engine: str
    port: int
    url: str
    base_path: str
    log_path: str
    clean: bool = True
    process: subprocess.Popen | None = dataclasses.field(default=None, repr=False, compare=False)


# --------------------------------------------------------------------------- tools


def _java_version(java: str) -> int:
    """The major version of a java binary, from its JDK's ``release`` file (no JVM start)."""
    release = Path(os.path.realpath(java)).parent.parent / "release"
    for line in _read(release).splitlines():
        if line.startswith("JAVA_VERSION="):
            with contextlib.suppress(ValueError):
                return int(line.split("=", 1)[1].strip('"').split(".")[0])
    return 0


def _java(engine: Engine) -> str:
    explicit = os.environ.get("SEARCH_ENGINE_JAVA")
    if explicit:
        if not os.access(explicit, os.X_OK):
            raise EngineError(f"search engine: SEARCH_ENGINE_JAVA={explicit} is not an executable java")
        return explicit
    candidates = []
    if os.environ.get("JAVA_HOME"):
        candidates.append(str(Path(os.environ["JAVA_HOME"]) / "bin" / "java"))
    if shutil.which("java"):
        candidates.append(shutil.which("java"))
    candidates += sorted(str(p) for p in JVM_DIR.glob("*/bin/java"))
    found = [(java, _java_version(java)) for java in candidates if os.access(java, os.X_OK)]
    for java, version in found:
        if version >= engine.java:
            return java
    have = ", ".join(f"{java} ({version or '?'})" for java, version in found) or "none"
    raise EngineError(
        f"search engine: {engine.label} needs a JDK {engine.java} or newer (found: {have}); install one "
        f"(apt-get install -y openjdk-{engine.java}-jdk-headless) or set SEARCH_ENGINE_JAVA"
    )


def _javac(java: str) -> str:
    candidate = Path(os.path.realpath(java)).parent / "javac"
    if candidate.exists():
        return str(candidate)
    javac = shutil.which("javac")
    if not javac:
        raise EngineError(
            "search engine: 'javac' not found (a JRE is not enough); install a JDK "
            "(apt-get install -y openjdk-17-jdk-headless)"
        )
    return javac


def _sha256(*parts: bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part)
        digest.update(b"\0")
    return digest.hexdigest()


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8").strip()
    except OSError:
        return ""


def _last_error_line(log: Path) -> str:
    lines = [line.strip() for line in _read(log).splitlines() if line.strip()]
    for line in reversed(lines):
        if "ERROR" in line or "Exception" in line or "Error:" in line:
            return line[:300]
    return lines[-1][:300] if lines else "(no output)"


# --------------------------------------------------------------------------- resolve


def resolve(engine: Engine, quiet: bool = True) -> str:
    """Return the engine's Java classpath, running Maven only when not cached yet."""
    classpath_file, classpath_stamp = engine.cache / "classpath.txt", engine.cache / "classpath.sha256"
    pom_hash = _sha256(engine.pom.read_bytes(), repr(engine.maven_properties).encode())
    if _read(classpath_stamp) == pom_hash:
        classpath = _read(classpath_file)
        if classpath and all(os.path.exists(p) for p in classpath.split(os.pathsep)):
            return classpath

    mvn = shutil.which("mvn")
    if not mvn:
        raise EngineError(
            "search engine: 'mvn' not found and the engine is not cached yet; install Maven (apt-get install -y maven)"
        )
    engine.cache.mkdir(parents=True, exist_ok=True)
    log = engine.cache / "mvn.log"
    cmd = [
        mvn,
        "-B",
        "-Dstyle.color=never",
        "-q" if quiet else "-ntp",
        f"-Dmaven.repo.local={M2_REPO}",
        "-f",
        str(engine.pom),
        *(f"-D{key}={value}" for key, value in engine.maven_properties),
        "dependency:build-classpath",
        "-Dmdep.includeScope=runtime",
        f"-Dmdep.outputFile={classpath_file}",
    ]
    with open(log, "wb") as out:
        try:
            result = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, timeout=900)
        except subprocess.TimeoutExpired:
            raise EngineError(f"search engine: Maven timed out resolving dependencies (see {log})") from None
    if result.returncode != 0:
        raise EngineError(f"search engine: Maven failed resolving dependencies: {_last_error_line(log)} (see {log})")
    classpath_stamp.write_text(pom_hash + "\n", encoding="utf-8")
    return _read(classpath_file)


def _compile_launcher(engine: Engine, java: str, classpath: str) -> str:
    """Compile the engine's main class once into the cache; return the full runtime classpath."""
    classes_dir, classes_stamp = engine.cache / "classes", engine.cache / "classes.sha256"
    stamp = _sha256(engine.source.read_bytes(), classpath.encode(), os.path.realpath(java).encode())
    if _read(classes_stamp) != stamp or not (classes_dir / f"{engine.main_class}.class").exists():
        shutil.rmtree(classes_dir, ignore_errors=True)
        classes_dir.mkdir(parents=True, exist_ok=True)
        result = subprocess.run(
            [_javac(java), "-nowarn", "-d", str(classes_dir), "-cp", classpath, str(engine.source)],
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
        )
        if result.returncode != 0:
            first = (result.stderr or result.stdout).strip().splitlines()[:1]
            raise EngineError(f"search engine: could not compile {engine.source.name}: {' '.join(first)}")
        classes_stamp.write_text(stamp + "\n", encoding="utf-8")
    return os.pathsep.join([str(classes_dir), classpath])


def prepare(engine: Engine, java: str) -> str:
    """resolve() + compile the launcher, under a file lock (parallel test workers)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    with open(CACHE / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            return _compile_launcher(engine, java, resolve(engine))
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


# --------------------------------------------------------------------------- start / stop


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never via a proxy


def _get_json(url: str, timeout: float = 5.0) -> dict:
    with _OPENER.open(url, timeout=timeout) as response:
        return json.loads(response.read().decode("utf-8"))


def health(url: str, timeout: float = 5.0) -> str | None:
    """Cluster health status ('green', 'yellow', 'red') or None if not reachable."""
    try:
        return _get_json(f"{url}/_cluster/health", timeout=timeout).get("status")
    except (OSError, ValueError, urllib.error.URLError):
        return None


_started: list[EngineHandle] = []
PID_FILE = "engine.pid"


def _sweep_stale_data(min_age: float = 300.0, keep_logs: int = 10) -> None:
    """Remove per-port data dirs left by engines that died without stop(); keep the newest logs."""
    logs = sorted(RUN_DIR.glob("engine-*.log"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old_log in logs[keep_logs:]:
        old_log.unlink(missing_ok=True)
    if not DATA_ROOT.is_dir():
        return
    for node_dir in DATA_ROOT.glob("node-*"):
        try:
            pid = int(_read(node_dir / PID_FILE) or 0)
            if pid and _pid_alive(pid):
                continue
            if not pid and time.time() - node_dir.stat().st_mtime < min_age:
                continue  # another start() may be setting it up right now
        except (OSError, ValueError):
            continue
        shutil.rmtree(node_dir, ignore_errors=True)


def start(
    port: int | None = None,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    heap: str = DEFAULT_HEAP,
    data_dir: str | os.PathLike | None = None,
    clean: bool = True,
    watch_parent: bool = True,
    engine: str | None = None,
) -> tuple[str, EngineHandle]:
    """Start one node on 127.0.0.1 and wait until the cluster is yellow or green.

    port: HTTP port (a free one if None). data_dir: node home (default under
    the cache, per port). clean: wipe it before start and after stop.
    watch_parent: the JVM exits when this Python process ends.
    engine: a name of ENGINES (default: SEARCH_ENGINE, else Elasticsearch 7).
    Returns (url, handle); raises EngineError with a one-line message.
    """
    url, handle = launch(port, heap=heap, data_dir=data_dir, clean=clean, watch_parent=watch_parent, engine=engine)
    wait_ready(handle, timeout=timeout)
    return url, handle


def launch(
    port: int | None = None,
    *,
    heap: str = DEFAULT_HEAP,
    data_dir: str | os.PathLike | None = None,
    clean: bool = True,
    watch_parent: bool = True,
    engine: str | None = None,
) -> tuple[str, EngineHandle]:
    """start() without the wait: the JVM boots while the caller does other work (the test session migrates and
    loads the demo meanwhile); call wait_ready(handle) before the first request. Raises EngineError at once when
    Java or the engine's libraries are missing."""
    chosen = engine_named(engine)
    java = _java(chosen)
    classpath = prepare(chosen, java)

    port = int(port) if port else free_port()
    if not 1 < port < 65536:
        raise EngineError(f"search engine: invalid port {port}")
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        if sock.connect_ex(("127.0.0.1", port)) == 0:
            raise EngineError(f"search engine: port {port} on 127.0.0.1 is already in use")

    _sweep_stale_data()
    base = Path(data_dir) if data_dir else DATA_ROOT / f"node-{port}"
    if clean:
        shutil.rmtree(base, ignore_errors=True)
    base.mkdir(parents=True, exist_ok=True)
    RUN_DIR.mkdir(parents=True, exist_ok=True)
    log_path = RUN_DIR / f"engine-{port}.log"
    tmp_dir = base / "tmp"
    tmp_dir.mkdir(exist_ok=True)

    cmd = [
        java,
        f"-Xms{heap}",
        f"-Xmx{heap}",
        *JVM_OPTIONS,
        *chosen.jvm_options,
        *os.environ.get("SEARCH_ENGINE_JVM_OPTIONS", "").split(),
        f"-Djava.io.tmpdir={tmp_dir}",
        "-cp",
        classpath,
        chosen.main_class,
        str(base),
        str(port),
        CLUSTER_NAME,
        str(os.getpid() if watch_parent else 0),
    ]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            cmd,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            cwd=str(base),
            start_new_session=True,  # own process group: killpg stops it all
        )
    (base / PID_FILE).write_text(f"{process.pid}\n", encoding="ascii")
    url = f"http://127.0.0.1:{port}"
    handle = EngineHandle(
        pid=process.pid,
        engine=chosen.name,
        port=port,
        url=url,
        base_path=str(base),
        log_path=str(log_path),
        clean=clean,
        process=process,
    )
    if watch_parent:
        _started.append(handle)
    return url, handle


def wait_ready(handle: EngineHandle, timeout: float = DEFAULT_TIMEOUT) -> None:
    """Wait until the launched node's cluster is yellow or green; stop it and raise EngineError if it dies or
    stays unhealthy for `timeout` seconds."""
    process, url, log_path = handle.process, handle.url, Path(handle.log_path)
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            stop(handle)
            raise EngineError(
                f"search engine: JVM exited with code {process.returncode} during start: "
                f"{_last_error_line(log_path)} (see {log_path})"
            )
        try:
            status = _get_json(f"{url}/_cluster/health?wait_for_status=yellow&timeout=1s", timeout=3).get("status")
        except (OSError, ValueError, urllib.error.URLError):
            status = None
            time.sleep(0.25)
        if status in ("yellow", "green"):
            break
        if time.monotonic() > deadline:
            stop(handle)
            raise EngineError(
                f"search engine: not healthy after {timeout:.0f}s on {url}: "
                f"{_last_error_line(log_path)} (see {log_path})"
            )


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie child of ours counts as gone
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return True


def stop(handle: EngineHandle, timeout: float = 30.0) -> None:
    """Stop the node (SIGTERM to its process group, SIGKILL after timeout)."""
    if handle in _started:
        _started.remove(handle)

    def gone() -> bool:
        if handle.process is not None:
            return handle.process.poll() is not None
        return not _pid_alive(handle.pid)

    if not gone():
        with contextlib.suppress(ProcessLookupError):
            os.killpg(handle.pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while not gone() and time.monotonic() < deadline:
            time.sleep(0.1)
        if not gone():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(handle.pid, signal.SIGKILL)
            if handle.process is not None:
                handle.process.wait(timeout=10)
            else:
                deadline = time.monotonic() + 10
                while not gone() and time.monotonic() < deadline:
                    time.sleep(0.1)
    if handle.clean:
        shutil.rmtree(handle.base_path, ignore_errors=True)


@atexit.register
def _stop_leftovers() -> None:
    for handle in list(_started):
        with contextlib.suppress(Exception):  # exiting anyway
            stop(handle, timeout=10)


# --------------------------------------------------------------------------- CLI


def _load_state() -> EngineHandle | None:
    try:
        data = json.loads(STATE_FILE.read_text(encoding="utf-8"))
        return EngineHandle(**data)
    except (OSError, ValueError, TypeError):
        return None


def _save_state(handle: EngineHandle) -> None:
    RUN_DIR.mkdir(parents=True, exist_ok=True)
    data = dataclasses.asdict(dataclasses.replace(handle, process=None))
    data.pop("process", None)
    STATE_FILE.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def _running() -> EngineHandle | None:
    handle = _load_state()
    if handle and _pid_alive(handle.pid):
        return handle
    if handle:
        STATE_FILE.unlink(missing_ok=True)
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Test search engine (Elasticsearch 7.10.2, OpenSearch 2/3) on 127.0.0.1"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p_start = sub.add_parser("start", help="start and print the URL")
    p_start.add_argument("--port", type=int, default=None)
    p_start.add_argument("--foreground", action="store_true", help="stay until Ctrl-C / SIGTERM")
    p_start.add_argument("--keep-data", action="store_true", help="keep the data dir between runs")
    p_start.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT)
    p_start.add_argument("--engine", choices=list(ENGINES), default=None, help="default: SEARCH_ENGINE")
    sub.add_parser("stop", help="stop the engine started by 'start'")
    sub.add_parser("status", help="print URL and health; exit 1 if not running")
    p_resolve = sub.add_parser("resolve", help="only resolve the dependencies into the cache")
    p_resolve.add_argument("--engine", choices=list(ENGINES), default=None, help="default: SEARCH_ENGINE")
    args = parser.parse_args(argv)

    try:
        if args.command == "resolve":
            engine = engine_named(args.engine)
            classpath = prepare(engine, _java(engine))
            print(f"{engine.label}: {len(classpath.split(os.pathsep))} classpath entries cached in {engine.cache}")
            return 0

        if args.command == "start":
            running = _running()
            if running:
                if args.port and args.port != running.port:
                    raise EngineError(f"search engine: already running on {running.url} (pid {running.pid})")
                print(running.url)
                return 0
            data_dir = DATA_ROOT / "cli" if args.keep_data else None
            began = time.monotonic()
            url, handle = start(
                args.port,
                timeout=args.timeout,
                data_dir=data_dir,
                clean=not args.keep_data,
                watch_parent=args.foreground,
                engine=args.engine,
            )
            _save_state(handle)
            print(url, flush=True)
            print(
                f"{ENGINES[handle.engine].label} started in {time.monotonic() - began:.1f}s, "
                f"pid {handle.pid}, log {handle.log_path}",
                file=sys.stderr,
            )
            if args.foreground:
                signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
                try:
                    while handle.process.poll() is None:
                        time.sleep(1)
                except KeyboardInterrupt:
                    pass
                finally:
                    stop(handle)
                    STATE_FILE.unlink(missing_ok=True)
            return 0

        if args.command == "stop":
            handle = _running()
            if not handle:
                print("not running")
                return 0
            stop(handle)
            STATE_FILE.unlink(missing_ok=True)
            print(f"stopped {handle.url}")
            return 0

        if args.command == "status":
            handle = _running()
            if not handle:
                print("not running")
                return 1
            print(
                f"{ENGINES[handle.engine].label} {handle.url} pid {handle.pid} "
                f"health {health(handle.url) or 'unreachable'}"
            )
            return 0
    except EngineError as error:
        print(str(error), file=sys.stderr)
        return 1
    return 2


if __name__ == "__main__":
    sys.exit(main())
