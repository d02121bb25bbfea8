"""Read access to the release store for the pages: labels, types, statements about an entity, descriptions.

Everything a page shows comes either from a stored query (`queries/`, so pages follow the model as the
stored queries do) or from a page query in `ballkg/web/queries/` (same `#+` header format, one `this`
parameter), or from the generic statement lists below.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ..queries import Result, load_query, python_value, run_on_store
from ..sources import BK_IRI, BKD_IRI

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
OWL = "http://www.w3.org/2002/07/owl#"
LABEL = RDFS + "label"
STATED_IN = BK_IRI + "statementStatedIn"  # per-statement provenance (ontology/evidence.ttl)
ONTOLOGY_IRI = BK_IRI.rstrip("#")
PAGE_QUERIES = Path(__file__).resolve().parent / "queries"
PREFIXES = {"bk": BK_IRI, "bkd": BKD_IRI, "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "rdfs": RDFS,
            "owl": OWL, "skos": SKOS, "xsd": "http://www.w3.org/2001/XMLSchema#", "dcterms": "http://purl.org/dc/terms/"}


@dataclass(frozen=True)
class Value:
    """One object (or subject) of a statement: an IRI with its label, or a literal."""

    term: Any  # pyoxigraph term
    label: str

    @property
    def is_iri(self) -> bool:
        return isinstance(self.term, ox.NamedNode)

    @property
    def iri(self) -> str:
        return self.term.value

    @property
    def text(self) -> str:
        return self.label if self.is_iri else str(python_value(self.term))


class KG:
    """The release store, opened read-only, with label and statement look-ups cached per process."""

    def __init__(self, st: ox.Store):
        self.store = st

    # ------------------------------------------------------------------------------- labels
    @lru_cache(maxsize=20000)  # noqa: B019 - one KG per process; the store does not change under it
    def label(self, iri: str) -> str:
        try:
            node = ox.NamedNode(iri)
        except ValueError:  # not an IRI after all (a literal that looks like one)
            return iri
        for q in self.store.quads_for_pattern(node, ox.NamedNode(LABEL), None):
            if isinstance(q.object, ox.Literal):
                return q.object.value
        return short_name(iri)

    def has_subject(self, iri: str) -> bool:
        return any(True for _ in self.store.quads_for_pattern(ox.NamedNode(iri), None, None))

    def value(self, term) -> Value:
        if isinstance(term, ox.NamedNode):
            return Value(term, self.label(term.value))
        if isinstance(term, ox.BlankNode):
            return Value(term, "(anonymous node)")
        return Value(term, term.value)

    def types(self, iri: str) -> list[str]:
        quads = self.store.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(RDF_TYPE), None)
        return sorted({q.object.value for q in quads if isinstance(q.object, ox.NamedNode)})

    def objects(self, iri: str, prop: str) -> list[Value]:
        vals = [self.value(q.object) for q in self.store.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(prop), None)]
        return sorted(vals, key=lambda v: v.text.lower())

    def first(self, iri: str, prop: str) -> Value | None:
        vals = self.objects(iri, prop)
        return vals[0] if vals else None

    def outgoing(self, iri: str) -> dict[str, list[Value]]:
        out: dict[str, list[Value]] = {}
        for q in self.store.quads_for_pattern(ox.NamedNode(iri), None, None):
            out.setdefault(q.predicate.value, []).append(self.value(q.object))
        ordered = sorted(out.items(), key=lambda kv: self.label(kv[0]))
        return {p: sorted(v, key=lambda x: x.text.lower()) for p, v in ordered}

    def incoming(self, iri: str, limit: int = 300) -> dict[str, list[Value]]:
        out: dict[str, list[Value]] = {}
        for q in self.store.quads_for_pattern(None, None, ox.NamedNode(iri)):
            if isinstance(q.subject, ox.NamedNode):
                out.setdefault(q.predicate.value, []).append(self.value(q.subject))
        return {p: sorted(v, key=lambda x: x.text.lower())[:limit]
                for p, v in sorted(out.items(), key=lambda kv: self.label(kv[0]))}

    def _one(self, subject, prop: str):
        return next((x.object for x in self.store.quads_for_pattern(subject, ox.NamedNode(prop), None)), None)

    def statement_locations(self, iri: str) -> dict[tuple[str, str], list[Value]]:
        """Where the review states each fact about an entity, from per-statement provenance (owl:Axiom
        annotations): (property, object IRI or lexical form) -> locations."""
        axiom_source = ox.NamedNode(OWL + "annotatedSource")
        found: dict[tuple[str, str], list[Value]] = {}
        for q in self.store.quads_for_pattern(None, axiom_source, ox.NamedNode(iri)):
            prop = self._one(q.subject, OWL + "annotatedProperty")
            target = self._one(q.subject, OWL + "annotatedTarget")
            if not isinstance(prop, ox.NamedNode) or not isinstance(target, (ox.NamedNode, ox.Literal)):
                continue
            stated = self.store.quads_for_pattern(q.subject, ox.NamedNode(STATED_IN), None)
            locs = [self.value(x.object) for x in stated]
            found.setdefault((prop.value, target.value), []).extend(locs)
        return found

    # ------------------------------------------------------------------------------ queries
    def page_query(self, name: str, this: str) -> Result:
        """A page query from ballkg/web/queries with its `this` parameter bound to one IRI."""
        q = _page_query(name)
        return run_on_store(self.store, q.bind({"this": f"<{this}>"}))

    def stored_query(self, name: str, **params) -> Result:
        from ..queries import get_query

        return run_on_store(self.store, get_query(name).bind(params))

    def select(self, text: str) -> Result:
        return run_on_store(self.store, text)

    # -------------------------------------------------------------------------- descriptions
    def description(self, iris: list[str]) -> list[ox.Triple]:
        """Concise bounded description of each IRI (its statements, following blank nodes), plus the labels of
        the IRIs it links to."""
        triples: list[ox.Triple] = []
        seen_bnodes: set[str] = set()
        todo: list[Any] = [ox.NamedNode(i) for i in iris]
        linked: set[str] = set()
        axiom_source = ox.NamedNode(OWL + "annotatedSource")
        for i in iris:  # like reifications in a CBD: the annotations of the entity's own statements
            for q in self.store.quads_for_pattern(None, axiom_source, ox.NamedNode(i)):
                if isinstance(q.subject, ox.BlankNode) and q.subject.value not in seen_bnodes:
                    seen_bnodes.add(q.subject.value)
                    todo.append(q.subject)
        while todo:
            node = todo.pop()
            for q in self.store.quads_for_pattern(node, None, None):
                triples.append(ox.Triple(q.subject, q.predicate, q.object))
                if isinstance(q.object, ox.BlankNode) and q.object.value not in seen_bnodes:
                    seen_bnodes.add(q.object.value)
                    todo.append(q.object)
                elif isinstance(q.object, ox.NamedNode):
                    linked.add(q.object.value)
                if isinstance(q.predicate, ox.NamedNode):
                    linked.add(q.predicate.value)
        label = ox.NamedNode(LABEL)
        for iri in sorted(linked - set(iris)):
            for q in self.store.quads_for_pattern(ox.NamedNode(iri), label, None):
                triples.append(ox.Triple(q.subject, q.predicate, q.object))
        return list(dict.fromkeys(triples))

    @cached_property
    def ontology_terms(self) -> list[str]:
        res = self.select(f'SELECT DISTINCT ?t WHERE {{ ?t ?p ?o FILTER(STRSTARTS(STR(?t), "{BK_IRI}")) }} '
                          "ORDER BY ?t")
        return [r["t"] for r in res.rows]

    @cached_property
    def data_entities(self) -> list[str]:
        res = self.select(f'SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), "{BKD_IRI}")) }} '
                          "ORDER BY ?s")
        return [r["s"] for r in res.rows]


@lru_cache(maxsize=64)
def _page_query(name: str):
    return load_query(PAGE_QUERIES / f"{name}.rq")


def short_name(iri: str) -> str:
    for sep in ("#", "/"):
        if sep in iri.rstrip(sep):
            return iri.rstrip(sep).rsplit(sep, 1)[-1]
    return iri


MEDIA_FORMATS = {"text/turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES,
                 "application/ld+json": ox.RdfFormat.JSON_LD}


def serialize(triples: list[ox.Triple], media_type: str) -> bytes:
    """Turtle, N-Triples or JSON-LD of a set of triples (prefixes where the format has them)."""
    fmt = MEDIA_FORMATS[media_type]
    prefixes = PREFIXES if fmt == ox.RdfFormat.TURTLE else None
    return ox.serialize(triples, format=fmt, prefixes=prefixes) or b""  # no output file: the bytes are returned
