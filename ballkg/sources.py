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


def __getattr__(name):  # pragma: no mutate block
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
    return Path(env).absolute() if env else root() / "release"  # a link flipped by each build: not resolved


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


class SourceError(ValueError):
    """A project source file that cannot be read (syntax error, wrong encoding); names file and line."""


def shown_path(path: Path) -> str:
    """A source path as the user knows it: relative to the project root when inside it."""
    try:
        return str(Path(path).resolve().relative_to(root()))
    except ValueError:
        return str(path)


def syntax_error_position(data: bytes, path: Path) -> str | None:
    """'line L, column C: message' of the first Turtle syntax error, from pyoxigraph (rdflib's own messages
    name neither the file nor, reliably, the position); None when pyoxigraph reads the data."""
    import pyoxigraph as ox

    try:
        for _ in ox.parse(input=data, format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri()):
            pass
    except SyntaxError as exc:
        where = f"line {exc.lineno}, column {exc.offset}" if getattr(exc, "lineno", None) else "position unknown"
        return f"{where}: {getattr(exc, 'msg', None) or exc}"
    return None


def parse_files(paths):
    """Turtle files into one rdflib graph; a syntax error is a SourceError naming file, line and column."""
    import rdflib

    g = rdflib.Graph()
    for path in paths:
        data = Path(path).read_bytes()
        try:
            g.parse(data=data, format="turtle", publicID=Path(path).resolve().as_uri())
        except Exception as exc:  # rdflib raises parser-specific types
            where = syntax_error_position(data, Path(path)) or str(exc).strip().splitlines()[0]
            raise SourceError(f"{shown_path(path)}: {where}. Fix the file there and run the command again; "
                              "nothing was changed.") from None
    return g


def load_ontology():
    """The TBox and the controlled vocabularies."""
    return parse_files(ontology_files())


def load_instances():
    """The curated instance triples of graph/."""
    return parse_files(graph_files())


def load_sources():
    """Ontology plus every curated instance file, as one rdflib graph."""
    return parse_files(ontology_files() + graph_files())
