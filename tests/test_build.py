"""The build pipeline: artifacts exist, parse, agree with each other, and a failed build writes nothing."""
import json

import pyoxigraph as ox
import pytest
import rdflib

from ballkg.build import BuildError, build

ARTIFACTS = {"ballkg.ttl": "turtle", "ballkg-inferred.ttl": "turtle", "ballkg-ontology.owl": "xml",
             "ballkg.owl": "xml", "ballkg.nt": "nt", "ballkg.jsonld": "json-ld"}


def test_every_release_artifact_exists_and_parses(release):
    for name, fmt in ARTIFACTS.items():
        g = rdflib.Graph().parse(release / name, format=fmt)
        assert len(g) > 1000, name
    assert (release / "docs" / "index.html").stat().st_size > 10_000
    assert (release / "store").is_dir()


def test_merged_turtle_reparses_to_the_same_number_of_triples_as_every_other_format(release):
    counts = {name: len(rdflib.Graph().parse(release / name, format=fmt))
              for name, fmt in ARTIFACTS.items() if name not in ("ballkg-ontology.owl", "ballkg-inferred.ttl")}
    assert len(set(counts.values())) == 1, counts
    manifest = json.loads((release / "manifest.json").read_text())
    assert manifest["triples"] == counts["ballkg.ttl"]


def test_every_export_format_round_trips_to_a_graph_isomorphic_to_the_release(release):
    reference = rdflib.Graph().parse(release / "ballkg.ttl", format="turtle")
    for name, fmt in ARTIFACTS.items():
        if name in ("ballkg.ttl", "ballkg-ontology.owl", "ballkg-inferred.ttl"):
            continue
        other = rdflib.Graph().parse(release / name, format=fmt)
        assert rdflib.compare.isomorphic(reference, other), name


def test_inferred_release_adds_the_reasoners_types_to_the_asserted_graph(release):
    asserted = rdflib.Graph().parse(release / "ballkg.ttl")
    inferred = rdflib.Graph().parse(release / "ballkg-inferred.ttl")
    def ground(g):  # blank nodes get new names in every parse, so compare the triples without them
        return {t for t in g if not any(isinstance(x, rdflib.BNode) for x in t)}

    assert ground(asserted) <= ground(inferred)
    assert len(inferred) > len(asserted)
    bk = rdflib.Namespace("https://w3id.org/ballkg/ontology#")
    bkd = rdflib.Namespace("https://w3id.org/ballkg/data/")
    assert (bkd.blinatumomab, rdflib.RDF.type, bk.TCellRedirectingTherapy) in inferred
    assert (bkd.blinatumomab, rdflib.RDF.type, bk.TCellRedirectingTherapy) not in asserted


def test_the_store_holds_exactly_the_inferred_release(release, release_store):
    inferred = rdflib.Graph().parse(release / "ballkg-inferred.ttl")
    n = int(next(iter(release_store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))["n"].value)
    assert n == len(inferred)


def test_a_violating_source_fails_the_build_and_leaves_the_previous_release(project_copy, tmp_path):
    out = tmp_path / "rel"
    build(out, docs=False, reasoner="none")
    before = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    (project_copy / "graph" / "broken.ttl").write_text(
        "@prefix : <https://w3id.org/ballkg/ontology#> .\n@prefix bkd: <https://w3id.org/ballkg/data/> .\n"
        "bkd:broken-study a :ClinicalTrial ; :registryId \"NCT123\" .\n")
    with pytest.raises(BuildError) as err:
        build(out, docs=False, reasoner="none")
    assert not err.value.report.conforms
    assert any(r.focus_node.endswith("broken-study") for r in err.value.report.violations)
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == before


def test_an_inconsistent_graph_fails_the_build(project_copy, tmp_path):
    from ballkg.reason import InconsistentOntology

    # an agent typed both as a monoclonal antibody and a CAR T product: the classes are disjoint
    (project_copy / "graph" / "inconsistent.ttl").write_text(
        "@prefix : <https://w3id.org/ballkg/ontology#> .\n@prefix bkd: <https://w3id.org/ballkg/data/> .\n"
        "bkd:rituximab a :CARTCellProduct .\n")
    with pytest.raises((InconsistentOntology, BuildError)):
        build(tmp_path / "rel", docs=False, engine="turbo")
    assert not (tmp_path / "rel").exists()


def test_the_release_store_answers_sparql(release_store):
    q = "ASK { <https://w3id.org/ballkg/data/inotuzumab-ozogamicin> a <https://w3id.org/ballkg/ontology#AntibodyDrugConjugate> }"
    assert bool(release_store.query(q)) is True
    assert isinstance(release_store, ox.Store)
