"""External identifiers: every mapping points from a node of the graph, carries its evidence, and uses
Bioregistry's URI prefixes so the exported Turtle joins other biomedical graphs."""
import rdflib
from rdflib.namespace import RDFS

from ballkg.mappings import (
    ALLOWED_PREDICATES,
    external_prefix_map,
    mapping_graph,
    read_sssom,
    sssom_files,
)


def test_every_mapping_subject_is_a_labelled_node_of_the_graph(kg):
    subjects = set(mapping_graph().subjects())
    assert len(subjects) > 30
    assert sorted(str(s) for s in subjects if kg.value(s, RDFS.label) is None) == []


def test_every_mapping_has_an_allowed_predicate_a_justification_and_its_evidence():
    rows = [m for path in sssom_files() for m in read_sssom(path)[1]]
    assert len(sssom_files()) == 2
    assert len(rows) == len(mapping_graph())
    for m in rows:
        assert m.predicate_id in ALLOWED_PREDICATES, m
        assert m.justification == "semapv:ManualMappingCuration", m
        # "Verified: ..." / "... confirmed by ..."; a trial's registry IRI rests on the number the review prints
        registry = m.object_id.startswith("clinicaltrials:") and "Registry id printed by the review" in m.comment
        assert "erif" in m.comment or "confirmed" in m.comment or registry, m


def test_external_iris_use_bioregistry_uri_prefixes():
    import bioregistry

    prefixes = external_prefix_map()
    assert prefixes["NCIT"] == "http://purl.obolibrary.org/obo/NCIT_"
    assert prefixes["clinicaltrials"] == bioregistry.get_uri_prefix("clinicaltrials")
    objects = {str(o) for o in mapping_graph().objects()}
    assert "http://purl.obolibrary.org/obo/NCIT_C1702" in objects          # rituximab
    assert any(o.startswith(prefixes["HGNC"]) for o in objects)
    assert all(any(o.startswith(uri) for uri in prefixes.values()) for o in objects)


def test_the_released_turtle_declares_the_bioregistry_prefixes(release):
    text = (release / "ballkg.ttl").read_text(encoding="utf-8")
    objects = {str(o) for o in rdflib.Graph().parse(release / "ballkg.nt", format="nt").objects()}
    used = {prefix: uri for prefix, uri in external_prefix_map().items() if any(o.startswith(uri) for o in objects)}
    assert {"NCIT", "HGNC", "UNIPROT", "MONDO", "CHEBI", "clinicaltrials"} <= set(used)
    for prefix, uri in used.items():
        assert f"@prefix {prefix}: <{uri}>" in text, prefix
