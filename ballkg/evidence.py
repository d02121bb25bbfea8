"""Evidence on findings, derived by the rule steps of ontology/evidence-rules.rq.

The steps are SPARQL CONSTRUCT queries run in file order on one pyoxigraph store of the input graph; the
triples of each step are added before the next step runs, so a level step can say "findings not levelled
yet" and the first applicable step wins. Derived triples are never curated by hand: any evidence triple
already in the input is set aside before deriving, so deriving twice gives the same result.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import rdflib

from . import sources

RULES_FILE = "evidence-rules.rq"
_STEP = re.compile(r"^#@ step ([a-z0-9-]+)\s*$", re.MULTILINE)

# Properties only the rule writes; in curated files they would be a level "typed by hand".
DERIVED_PROPERTIES = tuple(rdflib.URIRef(sources.BK_IRI + name) for name in (
    "evidenceLevelAssignedBy", "hasEvidenceLevel", "hasEvidenceType", "hasClinicalSignificance",
    "hasEvidenceDirection", "hasEvidenceCode"))


class EvidenceRuleError(RuntimeError):
    """The rule file is missing or one of its steps is not a valid CONSTRUCT query."""


@dataclass(frozen=True)
class RuleStep:
    name: str
    query: str


def rules_path() -> Path:
    return sources.ontology_dir() / RULES_FILE


def load_steps(path: Path | None = None) -> list[RuleStep]:
    path = path or rules_path()
    if not path.is_file():
        raise EvidenceRuleError(f"{path}: the evidence rule file is missing; restore it from version control")
    text = path.read_text(encoding="utf-8")
    marks = list(_STEP.finditer(text))
    if not marks:
        raise EvidenceRuleError(f"{path}: no '#@ step NAME' lines; every rule step starts with one")
    steps = []
    for i, mark in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        body = text[mark.end():end]
        # comments after a step's query belong to the next step's heading, not to the query
        steps.append(RuleStep(mark.group(1), body.strip()))
    return steps


def _to_store(graph: rdflib.Graph):
    import pyoxigraph as ox

    store = ox.Store()
    data = graph.serialize(format="nt", encoding="utf-8")
    store.bulk_load(input=data, format=ox.RdfFormat.N_TRIPLES)
    return store


def derive_evidence(graph: rdflib.Graph, steps: list[RuleStep] | None = None) -> rdflib.Graph:
    """The evidence triples the rule derives for every finding of `graph` (ontology + instances)."""
    derived = derive_into_store(_to_store(graph), steps)
    return rdflib.Graph().parse(data=derived.decode("utf-8"), format="nt") if derived else rdflib.Graph()


def with_evidence(graph: rdflib.Graph) -> rdflib.Graph:
    """A copy of `graph` whose evidence triples are exactly the derived ones."""
    out = rdflib.Graph()
    for t in graph:
        if t[1] not in DERIVED_PROPERTIES:
            out.add(t)
    out += derive_evidence(out)
    return out


def derive_into_store(store, steps: list[RuleStep] | None = None) -> bytes:
    """Run the rule steps on a pyoxigraph store of ontology + instances (the build's path, no rdflib
    graph): evidence triples already in the store are set aside first; the derived ones are added to
    the store and returned as N-Triples."""
    import pyoxigraph as ox

    for prop in DERIVED_PROPERTIES:
        for quad in list(store.quads_for_pattern(None, ox.NamedNode(str(prop)), None)):
            store.remove(quad)
    derived: list = []
    for step in steps if steps is not None else load_steps():
        try:
            triples = list(store.query(step.query))
        except (SyntaxError, ValueError, OSError) as exc:
            raise EvidenceRuleError(f"{rules_path()}: step '{step.name}' cannot run: {exc}") from None
        if triples and not isinstance(triples[0], ox.Triple):
            raise EvidenceRuleError(f"{rules_path()}: step '{step.name}' is not a CONSTRUCT query")
        store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
        derived += triples
    return ox.serialize(derived, format=ox.RdfFormat.N_TRIPLES) or b""
