"""Store-native reading of the sources: every file parsed by pyoxigraph's Rust parsers into one set of
N-Triples lines, with syntax errors naming the file, line and column.

The build keeps the asserted graph as canonical N-Triples text (one line per distinct triple) rather
than as an rdflib graph: the text goes to the SHACL engine and the release writers unchanged, and an
in-memory pyoxigraph store loaded from it answers the SPARQL the build needs. The lines keep every
literal's lexical form ("1.0"^^xsd:decimal stays "1.0"); a pyoxigraph store would normalise it to
"1", so the release files are written from the lines, not from a store.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .sources import SourceError

FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES, ".owl": ox.RdfFormat.RDF_XML,
           ".rdf": ox.RdfFormat.RDF_XML, ".jsonld": ox.RdfFormat.JSON_LD}


class SourceSyntaxError(SourceError):
    """A source file that is not valid RDF; the message names the file, line and column."""


def _relative(path: Path) -> str:
    from . import sources

    try:
        return str(path.resolve().relative_to(sources.root()))
    except ValueError:
        return str(path)


def ntriples_of_file(path: Path) -> bytes:
    """The triples of one file as canonical N-Triples (blank nodes renamed apart from other files)."""
    fmt = FORMATS.get(path.suffix.lower(), ox.RdfFormat.TURTLE)
    try:
        quads = ox.parse(path=str(path), format=fmt, base_iri=path.resolve().as_uri(), rename_blank_nodes=True)
        return ox.serialize(quads, format=ox.RdfFormat.N_TRIPLES) or b""  # default-graph quads, as triples
    except SyntaxError as exc:
        where = f"line {exc.lineno}, column {exc.offset}" if getattr(exc, "lineno", None) else "position unknown"
        raise SourceSyntaxError(f"{_relative(path)}: {where}: not valid {fmt.name}: {getattr(exc, 'msg', exc)}; "
                                "fix the syntax there and run the command again") from None


@dataclass
class Triples:
    """A set of triples as distinct canonical N-Triples lines, in first-seen order."""

    lines: dict[bytes, None] = field(default_factory=dict)

    def add_ntriples(self, data: bytes) -> None:
        self.lines.update(dict.fromkeys(line for line in data.split(b"\n") if line))

    def add_file(self, path: Path) -> None:
        self.add_ntriples(ntriples_of_file(path))

    def add_rdflib(self, graph) -> None:
        if len(graph):
            self.add_ntriples(ox.serialize(ox.parse(graph.serialize(format="nt", encoding="utf-8"),
                                                    format=ox.RdfFormat.N_TRIPLES),
                                           format=ox.RdfFormat.N_TRIPLES) or b"")

    def __len__(self) -> int:
        return len(self.lines)

    def ntriples(self) -> bytes:
        return b"\n".join(self.lines) + (b"\n" if self.lines else b"")

    def union(self, *others: Triples) -> Triples:
        out = Triples(dict(self.lines))
        for other in others:
            out.lines.update(other.lines)
        return out

    def triples(self) -> Iterable[ox.Quad]:
        return ox.parse(self.ntriples(), format=ox.RdfFormat.N_TRIPLES)  # default-graph quads

    def store(self) -> ox.Store:
        """An in-memory store of these triples (for SPARQL; literals normalised by the store)."""
        st = ox.Store()
        if self.lines:
            st.bulk_load(self.ntriples(), format=ox.RdfFormat.N_TRIPLES)
        return st

    def to_rdflib(self):
        import rdflib

        g = rdflib.Graph()
        if self.lines:
            g.parse(data=self.ntriples(), format="nt")
        return g


def read_files(paths: Iterable[Path]) -> Triples:
    out = Triples()
    for path in paths:
        out.add_file(Path(path))
    return out
