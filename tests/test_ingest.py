"""Validating and adding a user's data: precise errors for unusable input, and nothing lost on refusal."""
import hashlib
import json

import pytest
import rdflib

from ballkg.cli import main
from ballkg.ingest import add, neighbourhood, read_user_files
from ballkg.validate import MAX_LITERAL_CHARS, validate

PREFIXES = """@prefix : <https://w3id.org/ballkg/ontology#> .
@prefix bkd: <https://w3id.org/ballkg/data/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""

NEW_STUDY = PREFIXES + """
bkd:study-user-trial a :ClinicalTrial ; rdfs:label "a user's blinatumomab trial"@en ;
    :registryId "NCT09999999" ; :hasPhase bkd:phase-2 ; :evaluatesIntervention bkd:blinatumomab ;
    :hasArm bkd:arm-user-trial ; :hasStatus bkd:reported ;
    :statedIn bkd:sec-blinatumomab ; :hasSource bkd:review .
bkd:arm-user-trial a :StudyArm ; rdfs:label "blinatumomab arm of the user's trial"@en ;
    :armOf bkd:study-user-trial ; :hasArmRole bkd:single-cohort ; :receivesIntervention bkd:blinatumomab .
bkd:om-user-trial-cr a :OutcomeMeasurement ; rdfs:label "user's trial: complete remission"@en ;
    :inStudy bkd:study-user-trial ; :forArm bkd:arm-user-trial ;
    :measures bkd:complete-remission ; :hasStatistic bkd:proportion ; :value 50.0 ; :hasUnit bkd:percent ;
    :numerator 5 ; :denominator 10 ; :hasAssertionKind bkd:reported-result ;
    :statedIn bkd:sec-blinatumomab ; :hasSource bkd:review .
"""


def graph_digest(project) -> dict:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((project / "graph").iterdir())}


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8") if isinstance(text, str) else path.write_bytes(text)
    return path


def test_malformed_turtle_names_file_line_and_column(tmp_path, capsys):
    bad = write(tmp_path, "bad.ttl", PREFIXES + "bkd:x a :ClinicalTrial ;\n    rdfs:label \"unterminated .\n")
    assert main(["validate", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "bad.ttl" in err and "line 5" in err and "column" in err


def test_an_empty_file_is_unusable_input(tmp_path, capsys):
    empty = write(tmp_path, "empty.ttl", "")
    assert main(["validate", str(empty)]) == 2
    assert "empty" in capsys.readouterr().err
    only_prefixes = write(tmp_path, "prefixes.ttl", PREFIXES)
    assert main(["validate", str(only_prefixes)]) == 2
    assert "no triples" in capsys.readouterr().err


def test_a_file_that_is_not_rdf_is_unusable_input(tmp_path, capsys):
    png = write(tmp_path, "picture.ttl", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert main(["validate", str(png)]) == 2
    assert "binary file, not RDF" in capsys.readouterr().err
    prose = write(tmp_path, "notes.ttl", "These are my notes about blinatumomab, not Turtle.\n")
    assert main(["validate", str(prose)]) == 2
    assert "notes.ttl: line 1" in capsys.readouterr().err


def test_a_missing_file_is_unusable_input(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "nope.ttl")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_a_huge_literal_is_reported_as_a_violation_of_that_node(tmp_path, capsys):
    huge = write(tmp_path, "huge.ttl", PREFIXES + 'bkd:cd19 rdfs:comment "%s" .\n' % ("x" * (MAX_LITERAL_CHARS + 1)))
    assert main(["validate", str(huge), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    sized = [r for r in report["results"] if r["source_shape"].endswith("LiteralSizeLimit")]
    assert [r["focus_node"] for r in sized] == ["https://w3id.org/ballkg/data/cd19"]


def test_an_undeclared_property_is_reported_as_a_typo(tmp_path, capsys):
    typo = write(tmp_path, "typo.ttl", PREFIXES + "bkd:cd19 :internalisesUponBinding true .\n")
    assert main(["validate", str(typo), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert [r["value"] for r in report["results"] if r["source_shape"].endswith("DeclaredTermsOnly")] == [
        "https://w3id.org/ballkg/ontology#internalisesUponBinding"]


def test_validate_json_report_names_node_label_property_value_and_message(tmp_path, capsys):
    bad = write(tmp_path, "bad-value.ttl", NEW_STUDY.replace(":value 50.0", ":value 150.0"))
    assert main(["validate", str(bad), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["conforms"] is False
    hit = [r for r in report["results"] if r["path"] == "https://w3id.org/ballkg/ontology#value" and r["severity"] == "Violation"]
    assert hit and hit[0]["focus_node"].endswith("om-user-trial-cr")
    assert hit[0]["focus_label"] == "user's trial: complete remission" and hit[0]["message"]


def test_add_merges_conforming_data_atomically(project_copy, tmp_path, capsys):
    new = write(tmp_path, "new.ttl", NEW_STUDY)
    assert main(["add", str(new)]) == 0
    assert "added" in capsys.readouterr().out
    added = rdflib.Graph().parse(project_copy / "graph" / "additions.ttl")
    assert (rdflib.URIRef("https://w3id.org/ballkg/data/study-user-trial"), None, None) in added
    assert not [p for p in (project_copy / "graph").iterdir() if p.name.startswith(".")]


def test_a_failed_add_leaves_the_graph_byte_for_byte_unchanged(project_copy, tmp_path, capsys):
    before = graph_digest(project_copy)
    bad = write(tmp_path, "bad.ttl", NEW_STUDY.replace(":numerator 5", ":numerator 15"))
    assert main(["add", str(bad)]) == 1
    assert "nothing was added" in capsys.readouterr().err
    assert graph_digest(project_copy) == before


def test_an_interrupted_add_leaves_the_graph_unchanged(project_copy, tmp_path, monkeypatch):
    import ballkg.ingest as ingest

    before = graph_digest(project_copy)

    def crash(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(ingest.os, "replace", crash)
    with pytest.raises(KeyboardInterrupt):
        add([write(tmp_path, "new.ttl", NEW_STUDY)])
    assert graph_digest(project_copy) == before


def test_adding_the_same_study_twice_is_detected(project_copy, tmp_path, capsys):
    new = write(tmp_path, "new.ttl", NEW_STUDY)
    assert main(["add", str(new)]) == 0
    capsys.readouterr()
    before = graph_digest(project_copy)
    assert main(["add", str(new)]) == 1
    assert "already in the graph" in capsys.readouterr().err
    other_iri = write(tmp_path, "again.ttl", NEW_STUDY.replace("study-user-trial", "study-user-trial-copy")
                      .replace("arm-user-trial", "arm-user-trial-copy").replace("om-user-trial-cr", "om-user-trial-cr-copy"))
    assert main(["add", str(other_iri)]) == 1
    assert "registry id NCT09999999 is already the study" in capsys.readouterr().err
    assert graph_digest(project_copy) == before


def test_a_study_already_curated_cannot_be_added_under_a_new_iri(project_copy, tmp_path, capsys):
    dup = write(tmp_path, "dup.ttl", PREFIXES + 'bkd:my-eliana a :ClinicalTrial ; rdfs:label "ELIANA again"@en ; '
                ':registryId "NCT02435849" .\n')
    assert main(["add", str(dup)]) == 1
    assert "NCT02435849" in capsys.readouterr().err


@pytest.mark.parametrize("mutation", [
    (":numerator 5", ":numerator 15"),          # numerator above denominator and percentage mismatch
    (":value 50.0", ":value 150.0"),            # percentage out of range
    ('"NCT09999999"', '"NCT999"'),              # malformed registry id
    (":armOf bkd:study-user-trial ;", ""),      # arm without study
    # reaching further than the new nodes: a curated arm moved into another study breaks the comparisons
    # of the outcomes two hops away (outcome -> arm -> study), which a SPARQL rule checks
    ("bkd:arm-user-trial a", "bkd:arm-graall-control :armOf bkd:study-blast .\nbkd:arm-user-trial a"),
    # a curated outcome compared with the new arm's outcome: the violation is on the curated outcome
    ("bkd:arm-user-trial a", "bkd:om-graall-cr-rituximab :comparedWith bkd:om-user-trial-cr .\nbkd:arm-user-trial a"),
    # a label added to a curated node: its shape, not the new node's, reports the second label
    ("bkd:arm-user-trial a", 'bkd:blinatumomab rdfs:label "another name"@en .\nbkd:arm-user-trial a'),
])
def test_incremental_validation_reports_the_same_violations_as_full_validation(kg, tmp_path, mutation):
    from ballkg import sources

    new = read_user_files([write(tmp_path, "new.ttl", NEW_STUDY.replace(*mutation))])
    merged = sources.load_instances() + new
    full = validate(merged)
    partial = validate(merged, focus_nodes=neighbourhood(new, merged))
    key = lambda r: (r.severity, r.focus_node, r.path, r.source_shape, r.value)
    assert sorted(map(key, partial.violations), key=repr) == sorted(map(key, full.violations), key=repr)
    assert partial.violations
    far = {r.focus_node for r in full.violations} - {str(s) for s in new.subjects(rdflib.RDF.type, None)}
    if "bkd:arm-user-trial a" in mutation[0]:  # the mutations that reach beyond the new nodes do so
        assert far


@pytest.fixture(scope="module")
def built_project(tmp_path_factory):
    """A project copy with a fresh release, so that `add` can read the neighbourhood from the store."""
    import os
    import shutil

    from ballkg import sources
    from ballkg.build import build

    root = tmp_path_factory.mktemp("built") / "project"
    for name in ("ontology", "graph", "shapes", "queries", "mappings"):
        shutil.copytree(sources.PACKAGE_ROOT / name, root / name)
    old = os.environ.get("BALLKG_HOME")
    os.environ["BALLKG_HOME"] = str(root)
    try:
        build(root / "release", docs=False)
    finally:
        if old is None:
            os.environ.pop("BALLKG_HOME")
        else:
            os.environ["BALLKG_HOME"] = old
    return root


@pytest.mark.parametrize("mutation", [
    ("", ""),                                   # conforming data
    (":numerator 5", ":numerator 15"),
    (":value 50.0", ":value 150.0"),
    ('"NCT09999999"', '"NCT999"'),
    (":armOf bkd:study-user-trial ;", ""),
    (":forArm bkd:arm-user-trial ;", ":forArm bkd:arm-graall-control ;"),   # arm of another study
    ("bkd:arm-user-trial a", "bkd:arm-graall-control :armOf bkd:study-blast .\nbkd:arm-user-trial a"),
    ("bkd:arm-user-trial a", "bkd:om-graall-cr-rituximab :comparedWith bkd:om-user-trial-cr .\nbkd:arm-user-trial a"),
    ("bkd:arm-user-trial a", 'bkd:blinatumomab rdfs:label "another name"@en .\nbkd:arm-user-trial a'),
])
def test_add_through_the_release_store_reports_what_full_validation_reports(built_project, tmp_path, monkeypatch, mutation):
    import ballkg.ingest as ingest
    from ballkg import sources

    monkeypatch.setenv("BALLKG_HOME", str(built_project))
    import pyoxigraph

    assert isinstance(ingest._usable_release_store(), pyoxigraph.Store)  # the store-backed path is the one tested
    path = write(tmp_path, "new.ttl", NEW_STUDY.replace(*mutation) if mutation[0] else NEW_STUDY)
    new = read_user_files([path])
    full = validate(sources.load_instances() + new)
    monkeypatch.setattr(ingest, "atomic_write", lambda *a: None)  # keep the built project unchanged
    via_store = add([path]).report
    key = lambda r: (r.severity, r.focus_node, r.path, r.source_shape, r.value)
    assert sorted(map(key, via_store.violations), key=repr) == sorted(map(key, full.violations), key=repr)
    assert via_store.conforms == (mutation == ("", ""))
