"""Shared fixtures: the curated sources, one release built per test session, and a project copy to write to."""
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests

from ballkg import sources
from ballkg.sources import load_sources


@pytest.fixture(scope="session")
def kg():
    """The curated sources (ontology + graph) as an rdflib graph, for SPARQL checks of curated facts."""
    return load_sources()


@pytest.fixture(scope="session")
def release(tmp_path_factory) -> Path:
    """A release built once from the project's sources into a temporary folder (or, for quick runs such as
    the mutation tests, an already built release named by BALLKG_TEST_RELEASE)."""
    import os

    from ballkg.build import build

    given = os.environ.get("BALLKG_TEST_RELEASE")
    if given:
        return Path(given).resolve()
    out = tmp_path_factory.mktemp("release") / "release"
    build(out, docs=True)
    return out


@pytest.fixture(scope="session")
def release_store(release):
    from ballkg.store import open_release_store

    return open_release_store(release)


@pytest.fixture
def project_copy(tmp_path, monkeypatch) -> Path:
    """A writable copy of the project's sources; BALLKG_HOME points the package at it."""
    root = tmp_path / "project"
    for name in ("ontology", "graph", "shapes", "queries", "mappings"):
        src = sources.PACKAGE_ROOT / name
        if src.is_dir():
            shutil.copytree(src, root / name)
    monkeypatch.setenv("BALLKG_HOME", str(root))
    monkeypatch.delenv("BALLKG_RELEASE", raising=False)
    return root


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, proc, seconds: float = 30) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            requests.get(url, params={"query": "ASK {}"}, timeout=2)
            return
        except requests.ConnectionError:
            time.sleep(0.1)
    raise TimeoutError(url)


def stop(proc) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="session")
def endpoint(release):
    """The release served read-only by the Oxigraph server on a free loopback port."""
    from ballkg.serve import endpoint_url, start_server

    port = free_port()
    proc = start_server(release, port=port, timeout_s=5, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = endpoint_url("127.0.0.1", port)
    wait_until_up(url, proc)
    yield url
    stop(proc)


