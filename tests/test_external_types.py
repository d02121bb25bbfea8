"""The graph stays consistent when the external classes it is mapped to are asserted as types.

mappings/ballkg.sssom.tsv maps entities to MONDO diseases and ChEBI chemical entities and roles. A merged graph
that imports those classes types each mapped entity with its external class; MONDO's classes are diseases, so
they also sit under :Disease. If one of our disjointness axioms contradicted the external record (an adverse event
that MONDO calls a disease, an anti-infective that ChEBI calls a small molecule), HermiT would find the merge
inconsistent. narrowMatch rows are left out: there the external class is narrower than our entity, so it is
not a type of it. ChEBI classes are not aligned under our classes: a class of molecules is not a class of drug
products or groups.
"""
from __future__ import annotations

import csv
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import OWL, RDF, RDFS

from ballkg import sources
from ballkg.reason import InconsistentOntology, java_available, run_hermit

SSSOM = Path(__file__).resolve().parent.parent / "mappings" / "ballkg.sssom.tsv"
BK = rdflib.Namespace(sources.BK_IRI)
BKD = sources.BKD_IRI
OBO = "http://purl.obolibrary.org/obo/"
needs_java = pytest.mark.skipif(not java_available(), reason="HermiT needs Java")


def mapped_types() -> set[tuple[rdflib.URIRef, rdflib.URIRef]]:
    """(entity, external class) for every MONDO/ChEBI row whose external class is the entity's class or broader."""
    lines = [line for line in SSSOM.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    out = set()
    for row in csv.DictReader(lines, delimiter="\t"):
        prefix, _, local = row["object_id"].partition(":")
        if prefix not in ("MONDO", "CHEBI") or row["predicate_id"] == "skos:narrowMatch":
            continue
        subject = rdflib.URIRef(BKD + row["subject_id"].split(":", 1)[1])
        out.add((subject, rdflib.URIRef(f"{OBO}{prefix}_{local}")))
    return out


def with_external_types(graph: rdflib.Graph, *, align: bool = True) -> rdflib.Graph:
    g = rdflib.Graph()
    g += graph
    for entity, cls in mapped_types():
        g.add((cls, RDF.type, OWL.Class))
        g.add((entity, RDF.type, cls))
        if align and "/MONDO_" in cls:
            g.add((cls, RDFS.subClassOf, BK.Disease))
    return g


def test_the_mapped_rows_include_adverse_events_that_are_diseases_and_agents_with_chebi_classes():
    local = {(str(e)[len(BKD):], str(c)[len(OBO):]) for e, c in mapped_types()}
    assert {("graft-versus-host-disease", "MONDO_0013730"), ("veno-occlusive-disease", "MONDO_0019514"),
            ("pml", "MONDO_0016318"), ("antibiotics", "CHEBI_33281"), ("cytarabine", "CHEBI_28680")} <= local
    assert not any(e == "mll-rearranged-leukemia" for e, _ in local)  # a narrowMatch is not a type
    kg = sources.load_sources()
    for entity, _cls in mapped_types():
        assert (entity, RDF.type, None) in kg, f"{entity} is mapped but not a graph node"


@needs_java
def test_hermit_finds_the_graph_consistent_with_mondo_and_chebi_types_asserted():
    result = run_hermit(with_external_types(sources.load_sources()))
    assert result.unsatisfiable == []
    # the alignment did its work: every mapped MONDO entity is a disease, adverse events included
    inferred = result.inferred
    for entity in ("graft-versus-host-disease", "veno-occlusive-disease", "cytokine-release-syndrome", "all"):
        node = rdflib.URIRef(BKD + entity)
        assert (node, RDF.type, BK.Disease) in inferred or (node, RDF.type, BK.Disease) in sources.load_sources()


@needs_java
def test_the_check_fails_when_an_adverse_event_may_not_be_a_disease():
    g = with_external_types(sources.load_sources())
    g.add((BK.AdverseEvent, OWL.disjointWith, BK.Disease))  # the axiom this issue removed
    with pytest.raises(InconsistentOntology):
        run_hermit(g)
