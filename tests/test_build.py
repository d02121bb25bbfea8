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


# ------------------------------------------------------------------ the store-native pipeline equals the rdflib one
def _reference_asserted():
    """The asserted release graph as the rdflib pipeline made it: sources + SSSOM mappings + the
    evidence the rule derives."""
    from ballkg.evidence import derive_evidence
    from ballkg.mappings import mapping_graph
    from ballkg.sources import load_sources

    graph = load_sources() + mapping_graph()
    return graph + derive_evidence(graph)


def _ground(g):
    return {t for t in g if not any(isinstance(x, rdflib.BNode) for x in t)}


def test_every_format_of_the_release_holds_exactly_the_graph_rdflib_reads_from_the_sources(release):
    from rdflib.compare import isomorphic

    from ballkg.mappings import mapping_graph, term_sssom_file
    from ballkg.sources import load_ontology

    reference = _reference_asserted()
    for name, fmt in ARTIFACTS.items():
        if name in ("ballkg-inferred.ttl", "ballkg-ontology.owl"):
            continue
        assert isomorphic(rdflib.Graph().parse(release / name, format=fmt), reference), name
    # the ontology-only OWL also carries the term mappings (annotations of the ontology's own terms)
    ontology = load_ontology() + mapping_graph(term_sssom_file())
    assert isomorphic(rdflib.Graph().parse(release / "ballkg-ontology.owl", format="xml"), ontology)


def test_decimal_lexical_forms_survive_the_release_files(release):
    """A pyoxigraph store normalises "1.0"^^xsd:decimal to "1"; the release files keep the source's form."""
    literals = {o for o in rdflib.Graph().parse(release / "ballkg.nt", format="nt").objects()
                if isinstance(o, rdflib.Literal) and o.datatype == rdflib.XSD.decimal}
    assert any(str(o).endswith(".0") for o in literals)
    assert literals == {o for o in _reference_asserted().objects()
                        if isinstance(o, rdflib.Literal) and o.datatype == rdflib.XSD.decimal}


@pytest.fixture(scope="module")
def synthetic_project(tmp_path_factory):
    """A project copy grown by 40 synthetic studies (beyond HermiT's limit: the scalable reasoner path)."""
    import os
    import shutil

    from ballkg import sources
    from benchmarks.generate import write_synthetic

    root = tmp_path_factory.mktemp("synthetic") / "project"
    for name in ("ontology", "graph", "shapes", "queries", "mappings"):
        shutil.copytree(sources.PACKAGE_ROOT / name, root / name)
    old = os.environ.get("BALLKG_HOME")
    os.environ["BALLKG_HOME"] = str(root)
    try:
        write_synthetic(40, root / "graph" / "synthetic.ttl")
        summary = build(root / "release", docs=False, reasoner="sparql")
        reference = _reference_asserted()
        yield root, summary, reference
    finally:
        if old is None:
            os.environ.pop("BALLKG_HOME")
        else:
            os.environ["BALLKG_HOME"] = old


def test_synthetic_release_holds_the_same_triples_in_every_format(synthetic_project):
    from rdflib.compare import isomorphic

    root, summary, reference = synthetic_project
    assert summary.triples == len(reference) > 14_000
    for name, fmt in ARTIFACTS.items():
        if name not in ("ballkg-inferred.ttl", "ballkg-ontology.owl"):
            assert isomorphic(rdflib.Graph().parse(root / "release" / name, format=fmt), reference), name


def test_synthetic_release_has_the_inferred_types_of_the_rdflib_realisation(synthetic_project):
    from ballkg.reason import reason

    root, summary, reference = synthetic_project
    expected = reason(reference, method="sparql").inferred
    inferred = rdflib.Graph().parse(root / "release" / "ballkg-inferred.ttl")
    assert _ground(inferred) - _ground(reference) == set(expected)
    assert summary.inferred_triples == len(expected) > 1000


def test_store_native_validation_reports_what_pyshacl_turbo_reports_on_the_rdflib_graph(synthetic_project):
    """The build's validation (SPARQL targets in the store, N-Triples to the engine) against the engine
    run as before on an rdflib graph, every field of every result compared."""
    import pyshacl_turbo

    from ballkg.parse import read_files
    from ballkg.sources import load_ontology
    from ballkg.validate import _label, _results_from_report, load_shapes, validate_triples

    root, _summary, reference = synthetic_project
    shapes, ontology = load_shapes(), load_ontology()
    merged = reference + ontology
    merged.remove((None, rdflib.URIRef("https://w3id.org/ballkg/ontology#hasUnit"), None))  # some violations too
    text = read_files([])
    text.add_rdflib(merged)
    ours = validate_triples(text, shapes=shapes, ontology=ontology).results
    _c, report, _t = pyshacl_turbo.validate(merged, shacl_graph=shapes, advanced=True, allow_warnings=True,
                                            allow_infos=True)
    theirs = _results_from_report(report, lambda n: _label(merged, n))
    assert sorted(set(ours), key=repr) == sorted(set(theirs), key=repr)
    assert sum(r.severity == "Violation" for r in ours) > 40 and sum(r.severity == "Warning" for r in ours) > 10


def test_a_syntax_error_in_a_graph_file_names_file_line_and_column(project_copy, tmp_path, capsys):
    from ballkg.cli import main

    (project_copy / "graph" / "broken.ttl").write_text(
        "@prefix : <https://w3id.org/ballkg/ontology#> .\n@prefix bkd: <https://w3id.org/ballkg/data/> .\n"
        "bkd:x a :ClinicalTrial ;\n    :registryId \"NCT1\" \n    :statedIn bkd:sec-a .\n")
    code = main(["build", "--release", str(tmp_path / "rel"), "--no-docs", "--reasoner", "none"])
    err = capsys.readouterr().err
    assert code == 2
    assert "graph/broken.ttl: line 5, column 5" in err, err
    assert not (tmp_path / "rel").exists()


def test_build_reports_progress_per_stage(project_copy, tmp_path, capsys):
    from ballkg.cli import main

    assert main(["build", "--release", str(tmp_path / "rel"), "--no-docs", "--reasoner", "none"]) == 0
    lines = [l for l in capsys.readouterr().err.splitlines() if l.startswith("ballkg build: ")]
    assert [l.split()[2] for l in lines] == ["parse", "derive", "validate", "reason", "write"]
    assert "triples/s" in lines[0] and "0 violation(s)" in lines[2]


@pytest.mark.parametrize("axiom, message", [
    # blinatumomab is a bispecific engager; making every engager a CAR T-cell product contradicts the
    # disjointness of engagers and cell products: no model exists
    (":BispecificTCellEngager rdfs:subClassOf :CARTCellProduct .", "inconsistent"),
    # a class below two disjoint classes can have no member, even with no individual in it
    (":ImpossibleAgent a owl:Class ; rdfs:subClassOf :MonoclonalAntibody , :CARTCellProduct .",
     "unsatisfiable classes (no individual can be a member): https://w3id.org/ballkg/ontology#ImpossibleAgent"),
])
def test_a_graph_that_passes_the_shapes_but_has_no_model_fails_the_build_in_the_reasoner(
        project_copy, tmp_path, capsys, axiom, message):
    from ballkg.cli import main
    from ballkg.reason import java_available
    from ballkg.validate import validate

    if not java_available():
        pytest.skip("HermiT needs Java")
    (project_copy / "ontology" / "contradiction.ttl").write_text(
        "@prefix : <https://w3id.org/ballkg/ontology#> .\n@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n" + axiom + "\n")
    from ballkg.sources import load_instances

    assert validate(load_instances()).conforms  # the shapes see nothing wrong
    code = main(["build", "--release", str(tmp_path / "rel"), "--no-docs", "--reasoner", "hermit"])
    err = capsys.readouterr().err
    assert code == 1
    assert "ballkg: error: " in err and message in err, err
    assert not (tmp_path / "rel").exists()


# ------------------------------------------------------------------ rebuild only what changed
EDITS = [
    # an arm moved into another study: the outcomes compared across it, two hops away, break a SPARQL rule
    ("graph/cd20-agents.ttl", None, "\nbkd:arm-graall-control :armOf bkd:study-blast .\n"),
    # a label replaced by one of 210 characters: a warning on that node only
    ("graph/entities.ttl", 'rdfs:label "rituximab"@en', 'rdfs:label "' + "r" * 210 + '"@en'),
]


@pytest.mark.parametrize("edit", EDITS, ids=["violation-two-hops-away", "warning-on-one-node"])
def test_a_build_after_an_edit_revalidates_only_the_affected_nodes_and_reports_what_a_full_build_does(
        project_copy, tmp_path, edit):
    out = tmp_path / "rel"
    build(out, docs=False, reasoner="none")
    name, old, new = edit
    path = project_copy / name
    text = path.read_text(encoding="utf-8")
    path.write_text(text + new if old is None else text.replace(old, new, 1), encoding="utf-8")

    def outcome(**kwargs):
        lines: list[str] = []
        try:
            build(out, docs=False, reasoner="none", progress=lines.append, **kwargs)
            report = json.loads((out / "validation.json").read_text())
            results = {tuple(sorted(r.items())) for r in report}
        except BuildError as exc:
            results = {tuple(sorted(vars(r).items())) for r in exc.report.results}
        return results, next(line for line in lines if line.startswith("ballkg build: validate"))

    incremental, said = outcome()
    assert "incremental: " in said and "revalidated" in said, said
    revalidated = int(said.split("revalidated ")[1].split()[0].replace(",", ""))
    assert 0 < revalidated < 50, said
    full, said_full = outcome(incremental=False)
    assert "all nodes" in said_full
    assert incremental == full
    severities = {dict(r)["severity"] for r in incremental}
    assert ("Violation" in severities) == (old is None)


# ------------------------------------------------------------------ the SPARQL realisation says what it cannot do
def test_every_definition_of_the_ontology_translates_to_a_sparql_rule():
    from ballkg.reason import definition_rules
    from ballkg.sources import load_ontology

    skipped: list[str] = []
    rules = definition_rules(load_ontology(), skipped)
    assert skipped == [] and len(rules) >= 18
    # a union (what an arm can receive) becomes a SPARQL UNION of its branches
    assert rules[rdflib.URIRef("https://w3id.org/ballkg/ontology#Intervention")].count(" UNION ") == 2


def test_a_definition_the_sparql_realisation_cannot_translate_is_reported(project_copy, tmp_path, capsys):
    from ballkg.cli import main

    # a complement: membership is open-world, so no SPARQL pattern can select the members
    (project_copy / "ontology" / "complement.ttl").write_text(
        "@prefix : <https://w3id.org/ballkg/ontology#> .\n@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        ":NonCD19DirectedAgent a owl:Class ; rdfs:label \"agent not directed at CD19\"@en ;\n"
        "    skos:definition \"An agent that is not directed at CD19.\"@en ;\n"
        "    owl:equivalentClass [ a owl:Class ; owl:intersectionOf ( :TherapeuticAgent\n"
        "        [ a owl:Class ; owl:complementOf :CD19DirectedAgent ] ) ] .\n")
    code = main(["build", "--release", str(tmp_path / "rel"), "--no-docs", "--reasoner", "sparql"])
    captured = capsys.readouterr()
    assert code == 0
    expected = ("the SPARQL realisation cannot translate the definition of 1 class(es): "
                "https://w3id.org/ballkg/ontology#NonCD19DirectedAgent")
    assert expected in captured.err and expected in captured.out
