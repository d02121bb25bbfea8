"""Federated questions: the release behind `ballkg serve` joins an external graph, a slice of the Bioregistry
served as a second SPARQL endpoint, through SPARQL 1.1 SERVICE, by the identifiers of the mapping table.

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
SKOS = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
FOAF = rdflib.Namespace("http://xmlns.com/foaf/0.1/")
PATTERN = rdflib.URIRef("https://bioregistry.io/schema/#0000008")
BKD = "https://w3id.org/ballkg/data/"
MATCHES = [SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch]
FEDERATED = federated_catalogue()
COVERED: set[str] = set()


@pytest.fixture(scope="module")
def external():
    """The Bioregistry slice in its own Oxigraph server on a free loopback port; yields its query URL."""
    port = free_port()
    proc = subprocess.Popen([oxigraph_command(), "serve", "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/query", proc)
        push(base + "/store", FIXTURE)
        yield base + "/query"
    finally:
        stop(proc)


@pytest.fixture(scope="module")
def registry():
    return rdflib.Graph().parse(FIXTURE, format="turtle")


@pytest.fixture(scope="module")
def mapped(release):
    """(entity, match property, identifier) of every SKOS mapping triple of a graph node in the release."""
    g = rdflib.Graph().parse(release / "ballkg-inferred.ttl", format="turtle")
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

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["query", name, "--endpoint", endpoint, "--param", f"bioregistry={external_url}",
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


def test_every_federated_query_has_an_exact_answer_test():
    assert set(FEDERATED) == COVERED and len(COVERED) >= 3


# ------------------------------------------------------------------------------ where SERVICE runs
@pytest.mark.parametrize("name", sorted(FEDERATED))
def test_the_embedded_store_gives_the_same_answer(name, release, endpoint, external):
    served = run_stored(name, {"bioregistry": external}, endpoint=endpoint)
    embedded = run_stored(name, {"bioregistry": external}, release_dir=release, rebuild=False)
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
