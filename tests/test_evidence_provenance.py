"""Provenance per statement: every fact about an entity has an owl:Axiom naming where the review states it."""
from __future__ import annotations

import subprocess
import sys

import pytest
import rdflib
from rdflib.namespace import OWL

from ballkg import sources
from ballkg.validate import load_shapes

BK = rdflib.Namespace(sources.BK_IRI)
BKD = rdflib.Namespace(sources.BKD_IRI)
SCRIPT = sources.PACKAGE_ROOT / "scripts" / "statement_provenance.py"


def _load_script():
    import importlib.util

    spec = importlib.util.spec_from_file_location("statement_provenance", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def script():
    return _load_script()


def provenance_of(kg, s, p, o):
    q = """SELECT ?where ?ref ?kind WHERE {
        ?a owl:annotatedSource ?s ; owl:annotatedProperty ?p ; owl:annotatedTarget ?o ;
           bk:statementStatedIn ?where ; bk:statementAssertionKind ?kind .
        OPTIONAL { ?a bk:statementCitesReference ?ref } }"""
    rows = kg.query(q, initNs={"owl": OWL, "bk": BK}, initBindings={"s": s, "p": p, "o": o})
    wheres = {str(r["where"])[len(BKD):] for r in rows}
    refs = {str(r["ref"])[len(BKD):] for r in rows if r["ref"] is not None}
    kinds = {str(r["kind"])[len(BKD):] for r in rows}
    return wheres, refs, kinds


def test_the_provenance_file_is_what_the_script_writes():
    # the curated table of the script and graph/statement-provenance.ttl agree, and every fact is placed
    done = subprocess.run([sys.executable, str(SCRIPT), "--check"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr or "graph/statement-provenance.ttl is stale: run the script"


def test_every_fact_about_an_entity_has_its_own_provenance(kg, script):
    facts = script.entity_facts(sources.load_instances(), sources.load_ontology())
    assert len(facts) > 280
    annotated = {(a_s, a_p, a_o) for a in kg.subjects(rdflib.RDF.type, OWL.Axiom)
                 for a_s in kg.objects(a, OWL.annotatedSource) for a_p in kg.objects(a, OWL.annotatedProperty)
                 for a_o in kg.objects(a, OWL.annotatedTarget) if (a, BK.statementStatedIn, None) in kg}
    assert [f for f in facts if f not in annotated] == []


def test_the_shape_covers_every_property_of_entity_facts(kg, script):
    shapes_text = "\n".join(p.read_text(encoding="utf-8") for p in sources.shapes_dir().glob("*.ttl"))
    properties = {str(p)[len(sources.BK_IRI):] for _s, p, _o in script.entity_facts(sources.load_instances(), sources.load_ontology())}
    block = shapes_text[shapes_text.index("bks:StatementProvenance-statedIn a sh:NodeShape"):]
    assert {p for p in properties if f"bk:{p}," not in block and f"bk:{p})" not in block} == set()
    assert load_shapes()  # the shapes parse


@pytest.mark.parametrize("s, p, o, where, refs", [
    # rituximab targets CD20 (text and the Targets column of Tables 1 and 2); its origin comes from its product
    # information, which differs from the review's wording (bkd:disc-rituximab-origin-reference-record)
    ("rituximab", "hasTarget", "cd20", {"sec-rituximab", "table-1-row-1", "table-1-row-2", "table-2-row-1"}, set()),
    ("rituximab", "hasAntibodyOrigin", "chimeric-origin", {"record-mabthera-smpc-composition"}, set()),
    ("tocilizumab", "hasTarget", "il-6-receptor", {"record-roactemra-smpc-composition"}, set()),
    # ofatumumab induces ADCC and CDC more potently than rituximab [12]
    ("ofatumumab", "hasMechanism", "adcc", {"sec-ofatumumab"}, {"ref-12"}),
    ("rituximab", "hasMechanism", "cdc", {"sec-ofatumumab"}, {"ref-12"}),
    # blinatumomab kills through cytokines and the pore-forming perforin system [21, 22]
    ("blinatumomab", "hasMechanism", "cytotoxic-granule-release", {"sec-blinatumomab"}, {"ref-21", "ref-22"}),
    ("blinatumomab", "hasTarget", "cd3", {"sec-blinatumomab"}, set()),
    # modified hyper-CVAD = cyclophosphamide, vincristine, doxorubicin and dexamethasone [8]
    ("modified-hyper-cvad", "hasComponent", "vincristine", {"sec-rituximab", "table-1-row-1"}, {"ref-8"}),
    # CTL119: 4-1BB and lentivirus in its Table 3 row; humanized scFv in the row and in the relapse section [73]
    ("car-ctl119", "hasCostimulatoryDomain", "4-1bb-domain", {"table-3-row-8"}, set()),
    ("car-ctl119", "hasScFvOrigin", "humanized-origin", {"table-3-row-8", "sec-car-t-relapse"}, {"ref-73"}),
    # FHCRC: Cy with or without etoposide, or cy/flu [72]
    ("cyclophosphamide-etoposide", "hasOptionalComponent", "etoposide", {"table-3-row-4"}, {"ref-72"}),
    ("tocilizumab", "hasTherapeuticRole", "toxicity-management-role", {"sec-car-t-toxicities"}, set()),
    # a node with a single location: its facts are stated there
    ("calicheamicin", "causesEffect", "dna-double-strand-cleavage", {"sec-inotuzumab-ozogamicin"}, set()),
])
def test_curated_statement_provenance(kg, s, p, o, where, refs):
    got = provenance_of(kg, BKD[s], BK[p], BKD[o])
    assert got == (where, refs, {"background-knowledge"})


def test_a_literal_fact_is_annotated_too(kg):
    got = provenance_of(kg, BKD["cd22"], BK.internalizesUponBinding, rdflib.Literal(True))
    assert got == ({"sec-background", "sec-cd22-agents", "sec-epratuzumab"}, set(), {"background-knowledge"})


def test_a_fact_the_table_cannot_place_is_an_error(script):
    g = rdflib.Graph()
    g.add((BKD["new-agent"], rdflib.RDF.type, BK.NakedMonoclonalAntibody))
    g.add((BKD["new-agent"], BK.hasTarget, BKD["cd19"]))
    g.add((BKD["new-agent"], BK.statedIn, BKD["sec-a"]))
    g.add((BKD["new-agent"], BK.statedIn, BKD["sec-b"]))
    with pytest.raises(SystemExit, match="new-agent hasTarget cd19: the node names 2 locations"):
        script.render(g, sources.load_ontology())
