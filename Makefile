# South–South Exchange: `make run` serves the demo site, `make test` runs the whole suite.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= config.settings.dev
# Python keeps the bytecode of the project's modules, and pytest its assertion-rewritten test modules, in
# __pycache__ (git ignores it). An environment that sets PYTHONDONTWRITEBYTECODE (container images often do) makes
# every test process (each xdist worker, the integration layer, each manage.py a test starts) compile and rewrite
# them all again: about 6 s of CPU per process, on a 2-core machine that runs both test layers at once.
export PYTHONDONTWRITEBYTECODE :=

.PHONY: run setup test-setup test test-engine lint format bench bench-render bench-search soak check messages clean

## The virtualenv's packages are installed by uv (the Python packaging tool from Astral, itself installed from PyPI
## with the virtualenv's pip): a fresh machine's install of ".[dev]" took 6 s with uv against 50 s with pip, the same
## versions of the same packages. uv compiles no bytecode at install; each module is compiled when first imported
## (compilemessages imports most of them), which is cheaper than compiling all of site-packages (25 s with uv's
## --compile-bytecode).
UV_VERSION := 0.13.8
$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found (Python 3.11 is required)"; exit 1; }
	@echo "installing the Python packages into $(VENV) (uv $(UV_VERSION), from PyPI)"
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(VENV)/bin/uv pip install --quiet --python $(PY) ".[dev]"
	touch $(STAMP)

setup: $(STAMP)
	tools/install_test_deps.sh --run
	$(PY) manage.py compilemessages --ignore=.venv -v 0
	$(PY) manage.py migrate --no-input -v 0
	$(PY) manage.py load_demo --site-url http://$(HOST):$(PORT) --no-pdf

## Install, migrate, load the demo content and serve http://$(HOST):$(PORT)/ (SQLite) with the search engine
## (tools/run_site.py: started with Java, indexed, stopped with Ctrl-C; the database backend without Java).
run: setup
	HOST=$(HOST) PORT=$(PORT) $(PY) -m tools.run_site

## What the tests (and the soak) need before they start: Debian's packages (tools/install_test_deps.sh: Chromium, fonts,
## Java, Maven and the servers the tests start, installed as root) and the virtualenv, side by side since both mostly
## wait on downloads and the disk; then the compiled catalogues.
test-setup:
	@tools/install_test_deps.sh & debian=$$!; \
	$(MAKE) --no-print-directory --silent $(STAMP) || { wait $$debian; exit 1; }; \
	wait $$debian
	$(PY) manage.py compilemessages --ignore=.venv -v 0

## The whole test suite (DATABASE_URL selects PostgreSQL; SQLite by default), in two layers and two pytest sessions
## that run at the same time: the integration layer (the demo site, a real search engine, Chromium; one process that
## often waits on the engine and the browser) in the background, its output kept in var/test-integration.log and
## printed when it ends, and meanwhile the fast layer (factory-built data, database search; TEST_WORKERS processes).
## The integration layer is the longer one and runs in one process: in two xdist workers, each with its own engine and
## Chromium, it took about a quarter more CPU and the whole run was no shorter. The fast layer runs at the idle
## scheduling policy (chrt --idle, util-linux; allowed without root), so that it takes the cores the other leaves idle
## rather than slowing it: a process of the integration layer that wakes (a browser's answer, a server's request) takes
## the core at once, where a niced one waited for the fast layer's time slice (with nice 10 the whole run took half a
## minute more). On a fresh clone the sessions' migrated database is made by a process of its own started with them at
## the normal policy (tests/migrate_early.py), which they wait for. Before, the first session to need it made it: often
## a fast-layer worker, which the engine's start and the other sessions' imports starved at the idle policy while the
## integration layer's demo build waited.
TEST_WORKERS ?= 2
TEST_LOG := var/test-integration.log
test: test-setup
	@mkdir -p var
	@# Both layers run even when one fails; the target fails if either did. A background job ignores Ctrl-C, so
	@# the trap stops it (its engine exits with it: the launcher's parent watch).
	@status=0; \
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) -m tests.migrate_early & migrated=$$!; \
	echo "test: integration layer (tests/integration/, demo site, search engine, Chromium) started, output in $(TEST_LOG)"; \
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) -m pytest tests/integration $(PYTEST_ARGS) >$(TEST_LOG) 2>&1 & \
	integration=$$!; \
	trap 'kill $$integration $$migrated 2>/dev/null' EXIT; \
	trap 'exit 130' INT TERM; \
	echo "test: fast layer (tests/, factory-built data, no engine)"; \
	DJANGO_SETTINGS_MODULE=config.settings.test chrt --idle 0 $(PY) -m pytest tests --ignore=tests/integration \
		-n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS) || status=1; \
	wait $$migrated || status=1; \
	echo "test: integration layer (waiting for it to end)"; \
	wait $$integration || status=1; \
	trap - EXIT; \
	cat $(TEST_LOG); \
	exit $$status

## The engine-dependent tests (marker `engine`: search, indexing, the engine going down) on the engine SEARCH_ENGINE
## names: elasticsearch7 (what `make test` runs on), opensearch2 (Java 17) or opensearch3 (Java 21+, found under
## /usr/lib/jvm). CI runs it on each engine `make test` does not.
test-engine: test-setup
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) -m pytest tests/integration -m engine $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run -v 0
	$(VENV)/bin/bandit -q -r config core accounts home exchange forum books handbook news search opendata translations demo backups ops manage.py
	@# Developer tooling runs fixed local commands: subprocess use is its job (as in ruff's per-file ignores).
	$(VENV)/bin/bandit -q -s B311,B404,B603,B607 -r bench tools/search_engine tools/run_site.py
	@# A test module that cannot be imported stops its whole layer at collection: catch it here, in seconds.
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) -m pytest --collect-only -q tests --ignore=tests/integration >/dev/null
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) -m pytest --collect-only -q tests/integration >/dev/null

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

messages: $(STAMP)
	$(PY) manage.py makemessages --all --ignore=.venv --ignore=var --no-obsolete

bench: $(STAMP)
	$(PY) bench/pages.py

## CPU ms per uncached request, in one process (bench/render.py): case study, chapter, Arabic case study, with
## robots.txt and a news item as baselines in the same run. BENCH_RENDER_ARGS="--profile 'case study'" profiles one.
bench-render: $(STAMP)
	$(PY) bench/render.py $(BENCH_RENDER_ARGS)

## Search relevance on the judged query set (bench/judgements.json): nDCG@10 and zero-result rate per language, engine
## and database backend, with and without the glossary (bench/relevance.py); then the engine vs the database backend:
## indexing docs/s and query p50/p95 (N=1000 and 10000; BENCH_SEARCH_ARGS="--n 500").
## BENCH_SEARCH_SCALE=100000: the scale mode instead (bench/search_scale.py): builds that many generated practices in
## the engine SEARCH_ENGINE names (tens of minutes; generation and indexing rates) and keeps the database and the
## engine's indexes in var/bench-search-scale/, then query percentiles against a 1,000 baseline.
## BENCH_SEARCH_ARGS=--queries-only: only start the engine on the kept build and query it (under 2 minutes: the phase
## to run on a quiet machine); add "--profile 3" for where each query's time goes.
bench-search: $(STAMP)
	$(if $(BENCH_SEARCH_SCALE),,$(PY) bench/relevance.py)
	$(PY) bench/$(if $(BENCH_SEARCH_SCALE),search_scale.py --n $(BENCH_SEARCH_SCALE),search.py) $(BENCH_SEARCH_ARGS)

## The soak (bench/soak.py): production settings, SOAK_WORKERS gunicorn workers, Redis and the search engine, 64
## connections of pages, searches and suggestions in English and Arabic for SOAK_SECONDS (default 600) while edits are
## published, the engine is stopped and started, and the workers are reloaded; fails on any response >= 500 or any
## lost index update. SQLite in a temporary folder, or DATABASE_URL (an empty database).
soak: test-setup
	$(PY) bench/soak.py

clean:
	rm -rf var db.sqlite3
