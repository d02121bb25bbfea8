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


def start_ballkg_serve(release: Path, port: int, timeout_s: int = 5, **popen) -> subprocess.Popen:
    """`ballkg serve` (pages + SPARQL endpoint) as a user starts it, on a loopback port."""
    import sys

    return subprocess.Popen([sys.executable, "-m", "ballkg.cli", "serve", "--port", str(port), "--timeout",
                             str(timeout_s), "--release", str(release)], **popen)


@pytest.fixture(scope="session")
def site(release):
    """`ballkg serve` on the release, on a free loopback port; yields the base URL (no trailing slash)."""
    port = free_port()
    proc = start_ballkg_serve(release, port, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    wait_until_up(base + "/query", proc)
    yield base
    stop(proc)


@pytest.fixture(scope="session")
def endpoint(site):
    """The SPARQL endpoint of `ballkg serve` (read-only, proxied to the Oxigraph server)."""
    return site + "/query"
