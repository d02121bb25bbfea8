"""The ontology: every term documented, strict OWL 2 DL as the OWL API sees it, and HermiT's classification."""
import subprocess
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from ballkg import sources
from ballkg.reason import InconsistentOntology, java_available, realise_with_sparql, reason, run_hermit

BK = "https://w3id.org/ballkg/ontology#"
BKD = "https://w3id.org/ballkg/data/"
CHECKER = Path(sources.PACKAGE_ROOT) / "ballkg" / "java" / "OwlProfileCheck.java"
OWLAPI_JARS = Path("/usr/share/java")


def ontology_terms(g):
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    terms = {s for k in kinds for s in g.subjects(RDF.type, k) if isinstance(s, rdflib.URIRef) and str(s).startswith(BK)}
    vocab = {s for s in g.subjects(RDF.type, None) if str(s).startswith(BKD)}
    return terms, vocab


def test_every_class_property_and_controlled_term_has_a_label_and_a_definition():
    g = sources.load_ontology()
    terms, vocab = ontology_terms(g)
    assert len(terms) > 150 and len(vocab) > 150
    missing = sorted(str(t) for t in terms | vocab
                     if not list(g.objects(t, RDFS.label)) or not list(g.objects(t, SKOS.definition)))
    assert missing == []


def test_labels_are_unique_among_terms():
    g = sources.load_ontology()
    terms, vocab = ontology_terms(g)
    seen = {}
    for t in sorted(terms | vocab):
        for label in g.objects(t, RDFS.label):
            seen.setdefault(str(label).lower(), []).append(str(t))
    assert {k: v for k, v in seen.items() if len(v) > 1} == {}


def test_the_label_test_catches_a_missing_definition():
    g = sources.load_ontology()
    g.add((rdflib.URIRef(BK + "Undocumented"), RDF.type, OWL.Class))
    terms, _ = ontology_terms(g)
    assert rdflib.URIRef(BK + "Undocumented") in {t for t in terms if not list(g.objects(t, SKOS.definition))}


def test_ontology_header_has_iri_version_title_description_and_licence():
    g = sources.load_ontology()
    onto = rdflib.URIRef("https://w3id.org/ballkg/ontology")
    assert (onto, RDF.type, OWL.Ontology) in g
    for p in (OWL.versionIRI, rdflib.URIRef("http://purl.org/dc/terms/title"),
              rdflib.URIRef("http://purl.org/dc/terms/description"), rdflib.URIRef("http://purl.org/dc/terms/license")):
        assert g.value(onto, p) is not None, p


def test_no_term_is_a_blank_node_or_punned():
    g = sources.load_sources()
    classes = set(g.subjects(RDF.type, OWL.Class))
    individuals = {s for s, o in g.subject_objects(RDF.type) if (o, RDF.type, OWL.Class) in g}
    assert classes & individuals == set()
    props = {k: set(g.subjects(RDF.type, k)) for k in (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)}
    assert props[OWL.ObjectProperty] & props[OWL.DatatypeProperty] == set()
    assert props[OWL.ObjectProperty] & props[OWL.AnnotationProperty] == set()


needs_owlapi = pytest.mark.skipif(not (java_available() and list(OWLAPI_JARS.glob("owlapi-distribution*.jar"))),
                                  reason="needs Java and Debian's libowlapi-java (.ci/run installs both)")


@needs_owlapi
def test_owl_api_loads_both_owl_files_with_no_dl_violations_and_nothing_unparsed(release):
    files = [release / "ballkg-ontology.owl", release / "ballkg.owl"]
    out = subprocess.run(["java", "-cp", f"{OWLAPI_JARS}/*", str(CHECKER), *map(str, files)],
                         capture_output=True, text=True, timeout=300)
    lines = [l for l in out.stdout.splitlines() if l.startswith("FILE ")]
    assert len(lines) == 2, out.stdout + out.stderr
    for line in lines:
        assert line.endswith("violations=0 unparsed=0"), out.stdout
    assert out.returncode == 0


@needs_owlapi
def test_owl_api_check_reports_a_dl_violation(tmp_path):
    bad = tmp_path / "bad.ttl"
    # a property used without any declaration is outside OWL 2 DL
    bad.write_text("@prefix owl: <http://www.w3.org/2002/07/owl#> .\n<http://ex.org/o> a owl:Ontology .\n"
                   "<http://ex.org/a> a owl:NamedIndividual ; <http://ex.org/undeclared> <http://ex.org/b> .\n")
    owl = tmp_path / "bad.owl"
    rdflib.Graph().parse(bad).serialize(owl, format="xml")
    out = subprocess.run(["java", "-cp", f"{OWLAPI_JARS}/*", str(CHECKER), str(owl)], capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 1 and "violations=0" not in out.stdout


# ----------------------------------------------------------------------------- reasoning
needs_java = pytest.mark.skipif(not java_available(), reason="HermiT needs Java")


@pytest.fixture(scope="module")
def hermit():
    return run_hermit(sources.load_sources())


def members(result, graph, cls):
    c = rdflib.URIRef(BK + cls)
    found = {s for s in result.inferred.subjects(RDF.type, c)} | set(graph.subjects(RDF.type, c))
    return sorted(str(s)[len(BKD):] for s in found)


# Products only: groups of agents (bkd:cd19-car-t-cells, bkd:anti-cd22-antibodies, ...) are :AgentGroup, which
# is disjoint with every agent class, so no defined class over agents ever holds them.
CAR_T_CD19 = ["baylor-donor-virus-specific-car-t", "brudno-donor-car-t", "cai-haploidentical-car-t",
              "ctl019", "ctl119", "dai-donor-car-t", "fhcrc-cd19-car-t", "jcar014", "jcar015", "jcar017",
              "nci-cd19-car-t", "zuma-cd19-car-t"]
# The murine donor CAR T cells of the mouse model (m1928z, m19delta, m19BBz) are :PreclinicalCARTCells that
# target mouse CD19: no CAR T-cell product class and no CD19-directed class holds them.
MOUSE_CAR_T = ["m1928z-car-t", "m19bbz-car-t", "m19delta-car-t"]

EXPECTED = {
    "InternalizingAntigen": ["cd19", "cd22"],
    "AgentWithInternalizingTarget": sorted(CAR_T_CD19 + ["blinatumomab", "epratuzumab",
                                                         "inotuzumab-ozogamicin", "sar3419", "sgn-cd19a"]),
    "CD19DirectedAgent": sorted(CAR_T_CD19 + ["blinatumomab", "sar3419", "sgn-cd19a"]),
    "CD22DirectedAgent": ["epratuzumab", "inotuzumab-ozogamicin"],
    "CD20DirectedAgent": ["obinutuzumab", "ofatumumab", "rituximab"],
    "CD52DirectedAgent": ["alemtuzumab"],
    "AntibodyDrugConjugate": ["inotuzumab-ozogamicin", "sar3419", "sgn-cd19a"],
    "FcEffectorEngagingAntibody": ["obinutuzumab", "ofatumumab", "rituximab"],
    "DonorDerivedCARTCellProduct": ["baylor-donor-virus-specific-car-t", "brudno-donor-car-t", "cai-haploidentical-car-t",
                                    "dai-donor-car-t"],
    "AutologousCARTCellProduct": ["ctl019", "ctl119", "fhcrc-cd19-car-t", "jcar015", "nci-cd19-car-t", "zuma-cd19-car-t"],
    "CD28CostimulatedCARTCellProduct": ["jcar015", "nci-cd19-car-t", "zuma-cd19-car-t"],
    "FourOneBBCostimulatedCARTCellProduct": ["ctl019", "ctl119", "dai-donor-car-t", "fhcrc-cd19-car-t",
                                             "jcar014", "jcar017"],
    # every CAR T product whose construct has a costimulatory domain: the CD28 and 4-1BB products above; not
    # no mouse-model cells and no group of CAR T cells (those are not products)
    "CostimulatedCARTCellProduct": sorted(["jcar015", "nci-cd19-car-t", "zuma-cd19-car-t",
                                           "ctl019", "ctl119", "dai-donor-car-t", "fhcrc-cd19-car-t",
                                           "jcar014", "jcar017"]),
    "HumanizedScFvCARTCellProduct": ["ctl119"],
}


@needs_java
@pytest.mark.parametrize("cls", sorted(EXPECTED))
def test_hermit_classifies_the_defined_classes_exactly(hermit, kg, cls):
    assert members(hermit, kg, cls) == EXPECTED[cls]


@needs_java
def test_hermit_keeps_mouse_model_car_t_cells_out_of_every_patient_product_class(hermit, kg):
    product_classes = ["CARTCellProduct", "AutologousCARTCellProduct", "DonorDerivedCARTCellProduct",
                       "CostimulatedCARTCellProduct", "CD28CostimulatedCARTCellProduct",
                       "FourOneBBCostimulatedCARTCellProduct", "HumanizedScFvCARTCellProduct", "CD19DirectedAgent",
                       "AgentWithInternalizingTarget"]
    for cls in product_classes:
        assert not set(MOUSE_CAR_T) & set(members(hermit, kg, cls)), cls
    assert members(hermit, kg, "PreclinicalCARTCells") == MOUSE_CAR_T


@needs_java
def test_hermit_finds_the_graph_consistent_with_no_unsatisfiable_class(hermit):
    assert hermit.unsatisfiable == []


@needs_java
def test_sparql_realisation_gives_the_same_memberships_as_hermit(hermit, kg):
    tbox = rdflib.Graph()
    for t in hermit.inferred.triples((None, RDFS.subClassOf, None)):
        tbox.add(t)
    sparql = realise_with_sparql(kg, tbox)
    types = lambda g: {(s, o) for s, p, o in g if p == RDF.type}
    assert types(sparql.inferred) == types(hermit.inferred)


@needs_java
def test_no_group_of_agents_is_reasoned_into_an_agent_or_intervention_class(hermit, kg):
    """Groups (:AgentGroup, :CARDesignGroup) stay out of every product class, asserted or inferred."""
    groups = set(kg.subjects(RDF.type, rdflib.URIRef(BK + "AgentGroup"))) | set(kg.subjects(RDF.type, rdflib.URIRef(BK + "CARDesignGroup")))
    assert {str(g)[len(BKD):] for g in groups} >= {
        "cd19-car-t-cells", "cd22-car-t-cells", "corticosteroids", "antibiotics", "pd-1-inhibitor", "btk-inhibitor",
        "naked-monoclonal-antibodies", "first-generation-car", "second-generation-car", "car-cd28-costimulated"}
    product_classes = {c for c in kg.subjects(RDF.type, OWL.Class) if isinstance(c, rdflib.URIRef)
                       and str(c).startswith(BK) and str(c)[len(BK):] not in ("AgentGroup", "CARDesignGroup")}
    wrong = {(g, t) for g in groups for t in set(kg.objects(g, RDF.type)) | set(hermit.inferred.objects(g, RDF.type))
             if t in product_classes}
    assert wrong == set()


@needs_java
def test_hermit_rejects_a_group_of_agents_received_by_an_arm(kg):
    g = rdflib.Graph()
    g += kg
    g.add((rdflib.URIRef(BKD + "arm-rocket-jcar015"), rdflib.URIRef(BK + "receivesIntervention"), rdflib.URIRef(BKD + "cd19-car-t-cells")))
    with pytest.raises(InconsistentOntology):
        reason(g, method="hermit")


@needs_java
def test_hermit_rejects_an_individual_in_two_disjoint_classes(kg):
    g = rdflib.Graph()
    g += kg
    g.add((rdflib.URIRef(BKD + "rituximab"), RDF.type, rdflib.URIRef(BK + "CARTCellProduct")))
    with pytest.raises(InconsistentOntology):
        reason(g, method="hermit")


def test_missing_java_is_reported_in_one_clear_line(monkeypatch):
    from ballkg import reason as reason_module

    monkeypatch.setattr(reason_module.shutil, "which", lambda name: None)
    with pytest.raises(reason_module.ReasonerUnavailable) as err:
        run_hermit(rdflib.Graph())
    assert "apt-get install default-jre-headless" in str(err.value) and "\n" not in str(err.value)


@needs_java
def test_the_scalable_reasoner_path_gives_hermits_inferences_exactly(hermit, kg):
    # HermiT on the TBox (with the individuals named in definitions) + SPARQL realisation: same types and
    # same inferred subclass axioms as HermiT on the whole graph
    assert set(reason(kg, method="sparql").inferred) == set(hermit.inferred)
