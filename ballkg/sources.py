"""Where the project's source files live and how they are read into one graph.

The project root is the checkout this package sits in, unless BALLKG_HOME names another folder with
the same layout (ontology/, graph/, shapes/, queries/, mappings/); tests use that to work on copies.
The release folder can be moved on its own with BALLKG_RELEASE.
"""
from __future__ import annotations

import os
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parent.parent

BK_IRI = "https://w3id.org/ballkg/ontology#"
BKD_IRI = "https://w3id.org/ballkg/data/"


def __getattr__(name):
    # rdflib namespaces are created on first use, so the query path does not pay rdflib's import time
    import rdflib

    values = {"BK": rdflib.Namespace(BK_IRI), "BKD": rdflib.Namespace(BKD_IRI),
              "ONTOLOGY_IRI": rdflib.URIRef("https://w3id.org/ballkg/ontology")}
    if name in values:
        return values[name]
    raise AttributeError(name)


def root() -> Path:
    env = os.environ.get("BALLKG_HOME")
    if env:
        return Path(env).resolve()
    # an editable install sits in the checkout; otherwise work on the checkout we are run from
    return PACKAGE_ROOT if (PACKAGE_ROOT / "ontology").is_dir() else Path.cwd().resolve()


def release_dir() -> Path:
    env = os.environ.get("BALLKG_RELEASE")
    return Path(env).resolve() if env else root() / "release"


def ontology_dir() -> Path:
    return root() / "ontology"


def graph_dir() -> Path:
    return root() / "graph"


def shapes_dir() -> Path:
    return root() / "shapes"


def queries_dir() -> Path:
    return root() / "queries"


def mappings_dir() -> Path:
    return root() / "mappings"


def ontology_files() -> list[Path]:
    return sorted(ontology_dir().glob("*.ttl"))


def graph_files() -> list[Path]:
    return sorted(graph_dir().glob("*.ttl"))


def _parse(paths):
    import rdflib

    g = rdflib.Graph()
    for path in paths:
        g.parse(path, format="turtle")
    return g


def load_ontology():
    """The TBox and the controlled vocabularies."""
    return _parse(ontology_files())


def load_instances():
    """The curated instance triples of graph/."""
    return _parse(graph_files())


def load_sources():
    """Ontology plus every curated instance file, as one rdflib graph."""
    return _parse(ontology_files() + graph_files())
