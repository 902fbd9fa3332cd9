"""The launcher's choice of engine and of Java, as a developer meets it: SEARCH_ENGINE names the engine, the site is
served with the same name as SEARCH_BACKEND, and a missing JDK is one line saying which to install. (Starting the
engines is the integration layer's, which runs on each of them.)"""

import os
import stat
import subprocess
import sys

import pytest

from search.backends import ENGINE_BACKENDS
from tools.search_engine import run

RUN_PY = str(run.ENGINE_DIR / "run.py")


def test_every_engine_the_launcher_starts_is_a_backend_the_site_can_use():
    assert set(run.ENGINES) == {"elasticsearch7", "opensearch2", "opensearch3"}
    assert set(run.ENGINES) <= set(ENGINE_BACKENDS)


def test_search_engine_chooses_the_engine_and_an_unknown_name_is_one_clear_line(monkeypatch):
    monkeypatch.delenv("SEARCH_ENGINE", raising=False)
    assert run.engine_named().label == "Elasticsearch 7.10.2"
    monkeypatch.setenv("SEARCH_ENGINE", "OpenSearch3")
    assert run.engine_named().label.startswith("OpenSearch 3.")

    result = subprocess.run(  # noqa: S603 - this interpreter and the launcher's own file
        [sys.executable, RUN_PY, "resolve"],
        env={**os.environ, "SEARCH_ENGINE": "solr"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "search engine: SEARCH_ENGINE='solr' is not one of: elasticsearch7, opensearch2, opensearch3"
    )


def fake_jdk(root, version):
    """A JDK folder as the launcher reads it: bin/java and the release file (the JVM is not started to choose)."""
    (root / "bin").mkdir(parents=True)
    java = root / "bin" / "java"
    java.write_text("#!/bin/sh\nexit 0\n")
    java.chmod(java.stat().st_mode | stat.S_IXUSR)
    (root / "release").write_text(f'JAVA_VERSION="{version}"\n')
    return str(java)


@pytest.fixture
def only_java_17(tmp_path, monkeypatch):
    java = fake_jdk(tmp_path / "jdk-17", "17.0.15")
    monkeypatch.delenv("SEARCH_ENGINE_JAVA", raising=False)
    monkeypatch.setenv("JAVA_HOME", str(tmp_path / "jdk-17"))
    monkeypatch.setenv("PATH", str(tmp_path / "jdk-17" / "bin"))
    monkeypatch.setattr(run, "JVM_DIR", tmp_path / "none")
    return java


def test_opensearch_3_takes_a_jdk_21_or_newer_and_says_so_when_there_is_none(only_java_17, tmp_path, monkeypatch):
    assert run._java(run.ENGINES["opensearch2"]) == only_java_17
    with pytest.raises(run.EngineError) as refused:
        run._java(run.ENGINES["opensearch3"])
    assert str(refused.value).startswith("search engine: OpenSearch 3.9.0 needs a JDK 21 or newer (found: ")
    assert "(17)" in str(refused.value)

    newer = fake_jdk(tmp_path / "jvm" / "temurin-25", "25.0.1")
    monkeypatch.setattr(run, "JVM_DIR", tmp_path / "jvm")
    assert run._java(run.ENGINES["opensearch3"]) == newer
    assert run._java(run.ENGINES["elasticsearch7"]) == only_java_17  # the older engines keep JAVA_HOME's
