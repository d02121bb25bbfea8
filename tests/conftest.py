"""Shared fixtures: the curated sources, one release built per test session, and a project copy to write to."""
import shutil
from pathlib import Path

import pytest

from ballkg import sources
from ballkg.sources import load_sources

PREFIXES = """PREFIX : <https://w3id.org/ballkg/ontology#>
PREFIX bk: <https://w3id.org/ballkg/ontology#>
PREFIX bkd: <https://w3id.org/ballkg/data/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""


@pytest.fixture(scope="session")
def kg():
    """The curated sources (ontology + graph) as an rdflib graph, for SPARQL checks of curated facts."""
    return load_sources()


@pytest.fixture(scope="session")
def release(tmp_path_factory) -> Path:
    """A release built once from the project's sources into a temporary folder."""
    from ballkg.build import build

    out = tmp_path_factory.mktemp("release") / "release"
    build(out, docs=True, log=lambda *a: None)
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
