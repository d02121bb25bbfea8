"""Federated questions: the release behind `ballkg serve` joins external graphs served as second SPARQL endpoints,
through SPARQL 1.1 SERVICE, by the identifiers of the mapping table: a slice of the Bioregistry (the identifier
resources) and a slice of the Human Phenotype Ontology (gene-to-phenotype annotations and the phenotype hierarchy).

Expected answers are computed independently in Python from the released triples and the fixture (parsed with
rdflib, patterns checked with Python's `re`), and spot-checked against hand-written values.
"""
from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
import rdflib

from ballkg import mappings
from ballkg.api import run_stored
from ballkg.cli import main
from ballkg.queries import QueryError, federated_catalogue, get_query
from ballkg.serve import oxigraph_command, push

from conftest import free_port, stop, wait_until_up

FIXTURE = Path(__file__).parent / "fixtures" / "external" / "bioregistry" / "bioregistry-slice.ttl"
HPO_FIXTURE = Path(__file__).parent / "fixtures" / "external" / "hpo" / "hpo-slice.ttl"
BIOLINK = rdflib.Namespace("https://w3id.org/biolink/vocab/")
BK = rdflib.Namespace("https://w3id.org/ballkg/ontology#")
HP = "http://purl.obolibrary.org/obo/HP_"
NCBIGENE = "https://www.ncbi.nlm.nih.gov/gene/"
SKOS = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
FOAF = rdflib.Namespace("http://xmlns.com/foaf/0.1/")
PATTERN = rdflib.URIRef("https://bioregistry.io/schema/#0000008")
BKD = "https://w3id.org/ballkg/data/"
MATCHES = [SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch]
FEDERATED = federated_catalogue()
COVERED: set[str] = set()


def _serve(fixture: Path):
    """`fixture` in its own Oxigraph server on a free loopback port; yields its query URL."""
    port = free_port()
    proc = subprocess.Popen([oxigraph_command(), "serve", "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/query", proc)
        push(base + "/store", fixture)
        yield base + "/query"
    finally:
        stop(proc)


@pytest.fixture(scope="module")
def external():
    """The Bioregistry slice as a second SPARQL endpoint."""
    yield from _serve(FIXTURE)


@pytest.fixture(scope="module")
def hpo_external():
    """The HPO slice as a second SPARQL endpoint."""
    yield from _serve(HPO_FIXTURE)


@pytest.fixture(scope="module")
def hpo():
    return rdflib.Graph().parse(HPO_FIXTURE, format="turtle")


@pytest.fixture(scope="module")
def released(release):
    return rdflib.Graph().parse(release / "ballkg-inferred.ttl", format="turtle")


def services(external, hpo_external) -> dict[str, str]:
    """The endpoint of each service parameter name."""
    return {"bioregistry": external, "hpo": hpo_external}


@pytest.fixture(scope="module")
def registry():
    return rdflib.Graph().parse(FIXTURE, format="turtle")


@pytest.fixture(scope="module")
def mapped(released):
    """(entity, match property, identifier) of every SKOS mapping triple of a graph node in the release."""
    g = released
    return sorted((str(s), str(p), str(o)) for p in MATCHES for s, o in g.subject_objects(p)
                  if str(s).startswith(BKD))


def namespaces(registry):
    return {str(r): str(ns) for r, ns in registry.subject_objects(SH.namespace)}


def resource_of(identifier: str, registry) -> list[str]:
    return [r for r, ns in namespaces(registry).items() if identifier.startswith(ns)]


def ask(name: str, endpoint: str, external_url: str) -> list[dict]:
    """The answer of a federated stored query sent to ballkg's endpoint, through the command line."""
    import contextlib
    import io

    service = FEDERATED[name].params[0].name
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["query", name, "--endpoint", endpoint, "--param", f"{service}={external_url}",
                     "--format", "json"]) == 0
    return [{k: (v["iri"] if isinstance(v, dict) else v) for k, v in row.items()} for row in json.loads(out.getvalue())]


def covers(name):
    COVERED.add(name)
    return lambda f: f


# ------------------------------------------------------------------------------------ the join
def test_every_identifier_of_the_mapping_table_lies_in_one_registered_namespace(registry):
    meta, rows = mappings.read_sssom()
    conv = mappings.converter(meta)
    for m in rows:
        assert len(resource_of(conv.expand(m.object_id), registry)) == 1, m.object_id


@covers("registry-of-each-external-identifier")
def test_registry_of_each_external_identifier(endpoint, external, registry, mapped):
    rows = ask("registry-of-each-external-identifier", endpoint, external)
    labels = {str(r): str(lbl) for r, lbl in registry.subject_objects(rdflib.RDFS.label)}
    homepages = {str(r): str(h) for r, h in registry.subject_objects(FOAF.homepage)}
    expected = sorted((e, p, i, r, labels[r], homepages.get(r)) for e, p, i in mapped for r in resource_of(i, registry))
    got = [(r["entity"], r["match"], r["identifier"], r["resource"], r["resourceName"], r["homepage"]) for r in rows]
    assert sorted(got) == expected
    assert [(g[0], g[2]) for g in got] == sorted((g[0], g[2]) for g in got)  # ORDER BY entity, identifier
    # hand-checked: ALL is MONDO:0004967, issued by the Mondo Disease Ontology
    assert (BKD + "all", str(SKOS.exactMatch), "http://purl.obolibrary.org/obo/MONDO_0004967",
            "https://bioregistry.io/registry/mondo", "Mondo Disease Ontology",
            "https://monarch-initiative.github.io/mondo") in got
    assert {r["resourceName"] for r in rows if r["entity"] == BKD + "cd20"} >= {
        "HUGO Gene Nomenclature Committee", "UniProt Protein"}


@covers("wikidata-property-of-each-external-identifier")
def test_wikidata_property_of_each_external_identifier(endpoint, external, registry, mapped):
    rows = ask("wikidata-property-of-each-external-identifier", endpoint, external)
    ns = namespaces(registry)
    expected = sorted((e, i, i[len(ns[r]):], str(w)) for e, _, i in mapped for r in resource_of(i, registry)
                      for w in registry.objects(rdflib.URIRef(r), SKOS.exactMatch)
                      if str(w).startswith("http://www.wikidata.org/entity/P"))
    got = [(r["entity"], r["identifier"], r["localId"], r["wikidataProperty"]) for r in rows]
    assert sorted(got) == expected
    wd = "http://www.wikidata.org/entity/"
    # hand-checked Wikidata properties: NCIt ID P1748, HGNC ID P354, UniProt protein ID P352, Mondo ID P5270
    assert (BKD + "all", "http://purl.obolibrary.org/obo/NCIT_C3167", "C3167", wd + "P1748") in got
    assert {(r["localId"], r["wikidataProperty"]) for r in rows if r["entity"] == BKD + "cd22"} >= {
        ("1643", wd + "P354"), ("P20273", wd + "P352")}
    assert {r["wikidataProperty"] for r in rows if "MONDO_" in r["identifier"]} == {wd + "P5270"}


@covers("external-identifiers-against-registry-patterns")
def test_external_identifiers_against_registry_patterns(endpoint, external, registry, mapped):
    rows = ask("external-identifiers-against-registry-patterns", endpoint, external)
    ns = namespaces(registry)
    patterns = {str(r): str(p) for r, p in registry.subject_objects(PATTERN)}
    expected = sorted((e, i, i[len(ns[r]):], patterns[r], re.search(patterns[r], i[len(ns[r]):]) is not None)
                      for e, _, i in mapped for r in resource_of(i, registry))
    got = [(r["entity"], r["identifier"], r["localId"], r["pattern"], r["conforms"]) for r in rows]
    assert sorted(got) == expected
    assert all(r["conforms"] is True for r in rows)  # every identifier of the mapping table is well formed
    cd19 = next(r for r in rows if r["entity"] == BKD + "cd19" and "hgnc_id" in r["identifier"])
    assert (cd19["localId"], cd19["pattern"], cd19["conforms"]) == ("1633", r"^\d{1,5}$", True)


# ------------------------------------------------------------------------------------ the HPO join
def _matched(graph, node, properties, namespace) -> set:
    return {o for p in properties for o in graph.objects(node, p) if str(o).startswith(namespace)}


def _associations(hpo, gene):
    """(phenotype, disease) of every has-phenotype association of `gene` in the HPO slice."""
    return {(hpo.value(a, BIOLINK.object), hpo.value(a, BIOLINK.disease_context_qualifier))
            for a in hpo.subjects(BIOLINK.subject, gene) if hpo.value(a, BIOLINK.predicate) == BIOLINK.has_phenotype}


def _label(graph, node):
    value = graph.value(node, rdflib.RDFS.label)
    return None if value is None else str(value)


def test_every_hpo_term_of_the_mapping_table_has_the_name_the_hpo_gives_it(hpo):
    """The HPO release confirms each HP identifier of the mapping table: the label written beside it is the
    term's name there (a mistyped number would name another term)."""
    meta, rows = mappings.read_sssom()
    conv = mappings.converter(meta)
    checked = {m.object_id: (m.object_label, _label(hpo, rdflib.URIRef(conv.expand(m.object_id))))
               for m in rows if m.object_id.startswith("HP:")}
    assert len(checked) == 20
    assert {curie: names for curie, names in checked.items() if names[0] != names[1]} == {}


@covers("adverse-events-that-hpo-links-to-the-target-gene")
def test_adverse_events_that_hpo_links_to_the_target_gene(endpoint, hpo_external, hpo, released):
    rows = ask("adverse-events-that-hpo-links-to-the-target-gene", endpoint, hpo_external)
    g = released
    expected = set()
    for report in g.subjects(rdflib.RDF.type, BK.AdverseEventReport):
        for agent in g.objects(report, BK.aboutIntervention):
            for event in g.objects(report, BK.reportsEvent):
                phenotypes = _matched(g, event, [SKOS.exactMatch, SKOS.closeMatch, SKOS.narrowMatch], HP)
                for target in g.objects(agent, BK.hasTarget):
                    for gene in _matched(g, target, [SKOS.exactMatch, SKOS.closeMatch], NCBIGENE):
                        for phenotype, disease in _associations(hpo, gene):
                            if phenotype in phenotypes:
                                expected.add((str(agent), str(target), str(gene), str(event), str(phenotype),
                                              _label(hpo, phenotype), str(disease), _label(hpo, disease)))
    got = [(r["agent"], r["target"], r["gene"], r["event"], r["phenotype"], r["phenotypeName"], r["disease"],
            r["diseaseName"]) for r in rows]
    assert len(got) == len(set(got)) and set(got) == expected
    # hand-checked: blinatumomab (anti-CD19) lowers antibody levels; the HPO records low antibody levels with
    # CD19 variants in common variable immunodeficiency (Orphanet 1572)
    assert got == [(BKD + "blinatumomab", BKD + "cd19", NCBIGENE + "930", BKD + "hypogammaglobulinemia",
                    HP + "0004313", "Decreased circulating antibody concentration",
                    "http://www.orpha.net/ORDO/Orphanet_1572", "Common variable immunodeficiency")]


@covers("inherited-diseases-of-the-genes-behind-targets-and-car-domains")
def test_inherited_diseases_of_the_genes_behind_targets_and_car_domains(endpoint, hpo_external, hpo, released):
    rows = ask("inherited-diseases-of-the-genes-behind-targets-and-car-domains", endpoint, hpo_external)
    g = released
    expected = set()
    for match in (SKOS.exactMatch, SKOS.closeMatch, SKOS.relatedMatch):
        for entity, gene in g.subject_objects(match):
            if not (str(entity).startswith(BKD) and str(gene).startswith(NCBIGENE)):
                continue
            by_disease: dict = {}
            for phenotype, disease in _associations(hpo, gene):
                by_disease.setdefault(disease, set()).add(phenotype)
            for disease, phenotypes in by_disease.items():
                expected.add((str(entity), str(match), str(gene), _label(hpo, gene), str(disease),
                              _label(hpo, disease), len(phenotypes)))
    got = [(r["entity"], r["match"], r["gene"], r["geneSymbol"], r["disease"], r["diseaseName"], r["phenotypes"])
           for r in rows]
    assert len(got) == len(set(got)) and set(got) == expected
    assert [(e, d) for e, _m, _g, _s, d, _n, _c in got] == sorted((e, d) for e, _m, _g, _s, d, _n, _c in got)
    # hand-checked: BTK is the gene of X-linked agammaglobulinemia; the 4-1BB domain is a part of TNFRSF9's protein
    assert {(r[0], r[3], r[5]) for r in got} >= {
        (BKD + "btk", "BTK", "X-linked agammaglobulinemia"),
        (BKD + "4-1bb-domain", "TNFRSF9", "Immunodeficiency 109 with lymphoproliferation")}
    assert {r[1] for r in got if r[0] == BKD + "4-1bb-domain"} == {str(SKOS.relatedMatch)}


@covers("hpo-branch-of-each-adverse-event")
def test_hpo_branch_of_each_adverse_event(endpoint, hpo_external, hpo, released):
    rows = ask("hpo-branch-of-each-adverse-event", endpoint, hpo_external)
    g = released
    root = rdflib.URIRef(HP + "0000118")
    branches = set(hpo.subjects(rdflib.RDFS.subClassOf, root))
    expected = set()
    for match in (SKOS.exactMatch, SKOS.closeMatch, SKOS.narrowMatch):
        for event, phenotype in g.subject_objects(match):
            if not (str(event).startswith(BKD) and str(phenotype).startswith(HP)):
                continue
            reports = {r for r in g.subjects(BK.reportsEvent, event) if (r, rdflib.RDF.type, BK.AdverseEventReport) in g}
            for branch in set(hpo.transitive_objects(phenotype, rdflib.RDFS.subClassOf)) & branches:
                expected.add((str(event), str(phenotype), str(branch), _label(hpo, branch), len(reports)))
    got = [(r["event"], r["phenotype"], r["branch"], r["branchName"], r["reports"]) for r in rows]
    assert len(got) == len(set(got)) and set(got) == expected
    # hand-checked: neutropenia is a blood and an immune-system abnormality in the HPO, and two reports name it
    assert {(r[3], r[4]) for r in got if r[0] == BKD + "neutropenia"} == {
        ("Abnormality of blood and blood-forming tissues", 2), ("Abnormality of the immune system", 2)}


def test_every_federated_query_has_an_exact_answer_test():
    assert set(FEDERATED) == COVERED and len(COVERED) >= 3


# ------------------------------------------------------------------------------ where SERVICE runs
@pytest.mark.parametrize("name", sorted(FEDERATED))
def test_the_embedded_store_gives_the_same_answer(name, release, endpoint, external, hpo_external):
    service = FEDERATED[name].params[0].name
    values = {service: services(external, hpo_external)[service]}
    served = run_stored(name, values, endpoint=endpoint)
    embedded = run_stored(name, values, release_dir=release, rebuild=False)
    assert served.rows == embedded.rows and served.rows


# ------------------------------------------------------------------------------ the endpoint parameter
def test_the_service_parameter_is_written_into_the_service_clause_only():
    text = get_query("registry-of-each-external-identifier").bind({"bioregistry": "http://127.0.0.1:1/query"})
    assert "SERVICE <http://127.0.0.1:1/query> {" in text
    assert "?bioregistry" not in text.split("WHERE", 1)[1] and "VALUES ?bioregistry" not in text


@pytest.mark.parametrize("value", ["ftp://example.org/sparql", "http://example.org/a b", "not a url",
                                   "http://example.org/q> } ; DROP ALL ; <x"])
def test_a_bad_service_url_is_refused(value):
    with pytest.raises(QueryError, match="bioregistry"):
        get_query("registry-of-each-external-identifier").bind({"bioregistry": value})


def test_a_federated_query_without_its_endpoint_says_what_to_pass(release, capsys):
    assert main(["query", "registry-of-each-external-identifier", "--release", str(release)]) == 2
    assert "--param bioregistry=VALUE" in capsys.readouterr().err


def test_federated_queries_stay_out_of_the_main_catalogue():
    from ballkg.queries import catalogue

    assert not set(FEDERATED) & set(catalogue())
    assert all(q.params and q.params[0].type == "service" for q in FEDERATED.values())
