"""The safety features the README promises, each tested so that breaking it fails a test (these mutations
survived the suite before): stale-release refusal, duplicate detection against the release store, the
rounding tolerance of the percentage-follows-from-counts rule, dose schedules, and `ballkg stats` counts."""
import json
import shutil
from decimal import Decimal

import pyoxigraph
import pytest
import rdflib

from ballkg import api, ingest, sources, store
from ballkg.cli import main

from test_ingest import NEW_STUDY, PREFIXES

BK = rdflib.Namespace(sources.BK_IRI)
BKD = rdflib.Namespace(sources.BKD_IRI)


# ------------------------------------------------------------------ readers refuse a stale release
@pytest.fixture
def fresh_copy(project_copy, release, tmp_path):
    """A project copy with a release whose manifest matches the copy's sources (the store is the session's)."""
    rel = tmp_path / "rel"
    shutil.copytree(release, rel)
    manifest = json.loads((rel / "manifest.json").read_text())
    manifest["sources"] = store.source_hashes()
    (rel / "manifest.json").write_text(json.dumps(manifest))
    return project_copy, rel


READERS = [["query", "agents-whose-target-internalizes"], ["sparql", "ASK { ?s ?p ?o }"], ["stats"],
           ["export", "--format", "nt"]]


@pytest.mark.parametrize("change", ["edit", "new file", "removed file"])
def test_readers_refuse_a_stale_release_naming_the_changed_file(fresh_copy, capsys, change):
    project, rel = fresh_copy
    for argv in READERS:
        assert main([*argv, "--release", str(rel)]) == 0, argv
    capsys.readouterr()
    if change == "edit":
        path, name = project / "graph" / "cd19-agents.ttl", "graph/cd19-agents.ttl"
        path.write_text(path.read_text(encoding="utf-8") + "\n# a curator's note\n", encoding="utf-8")
    elif change == "new file":
        path, name = project / "queries" / "my-question.rq", "queries/my-question.rq"
        path.write_text("#+ summary: mine\nASK { ?s ?p ?o }\n", encoding="utf-8")
    else:
        path, name = project / "shapes" / "study-shapes.ttl", "shapes/study-shapes.ttl"
        path.unlink()
    assert store.stale_files(rel) == [name]
    for argv in READERS:
        assert main([*argv, "--release", str(rel)]) == 2, argv
        err = capsys.readouterr().err.strip()
        assert err == (f"ballkg: error: the release in {rel} is stale: {name} changed since the last build; "
                       "run 'ballkg build' to refresh it"), argv
    with pytest.raises(store.StaleReleaseError, match="is stale"):
        api.ensure_release(rel, rebuild=False)


# -------------------------------------------------------- duplicates found in the release store
@pytest.fixture
def store_backed(release, monkeypatch):
    """The project's own sources with the session's fresh release: `add` reads the release store."""
    monkeypatch.delenv("BALLKG_HOME", raising=False)
    monkeypatch.setenv("BALLKG_RELEASE", str(release))
    assert store.stale_files(release) is None
    assert isinstance(ingest._usable_release_store(), pyoxigraph.Store)
    monkeypatch.setattr(ingest, "atomic_write", lambda *a: pytest.fail("a refused add must not write"))


def test_add_finds_a_registry_id_already_in_the_release_store(store_backed, tmp_path):
    dup = tmp_path / "dup.ttl"
    dup.write_text(PREFIXES + 'bkd:my-eliana a :ClinicalTrial ; rdfs:label "ELIANA again"@en ; '
                   ':registryId "NCT02435849" .\n', encoding="utf-8")
    with pytest.raises(ingest.DuplicateError) as info:
        ingest.add([dup])
    assert str(info.value) == (f"registry id NCT02435849 is already the study <{BKD['study-eliana']}>; "
                               f"<{BKD['my-eliana']}> would duplicate it (add outcomes to the existing study instead)")


def test_add_finds_a_node_already_typed_in_the_release_store(store_backed, tmp_path):
    again = tmp_path / "again.ttl"
    again.write_text(PREFIXES + 'bkd:blinatumomab a :BispecificTCellEngager ; rdfs:label "blina"@en .\n',
                     encoding="utf-8")
    with pytest.raises(ingest.DuplicateError) as info:
        ingest.add([again])
    assert str(info.value) == (f"<{BKD['blinatumomab']}> is already in the graph; an add must not redefine it "
                               "(edit the graph file instead)")


def test_the_one_duplicate_finder_gives_the_same_answer_on_a_graph_and_on_the_store(release_store, kg, tmp_path):
    new = ingest.read_user_files([_write(tmp_path, PREFIXES + (
        'bkd:my-eliana a :ClinicalTrial ; :registryId "NCT02435849" .\n'
        'bkd:blinatumomab a :BispecificTCellEngager .\n'
        'bkd:brand-new a :ClinicalTrial ; :registryId "NCT01234567" .\n'))])
    from_store = ingest.find_duplicates(new, release_store)
    assert from_store == ingest.find_duplicates(new, kg)
    assert len(from_store) == 2


def _write(tmp_path, text, name="new.ttl"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# ------------------------------------------------------- percentage follows from counts, within rounding
@pytest.mark.parametrize("value, conforms", [
    ("50.0", True), ("50.5", True), ("49.5", True), ("50.55", True),   # within rounding (|diff| <= 0.55)
    ("50.56", False), ("49.4", False), ("53.0", False),                 # beyond it
    ("51.0", False), ("48.0", False),  # close to what a slightly different factor or tolerance would allow
])
def test_the_percentage_rule_allows_rounding_and_nothing_more(tmp_path, value, conforms):
    path = _write(tmp_path, NEW_STUDY.replace(":value 50.0", f":value {value}"))
    report = ingest.add([path], dry_run=True).report
    assert report.conforms is conforms, report.format_text()
    hits = [r for r in report.violations if r.source_shape.endswith("Finding-percentMatchesCounts")]
    assert [r.message.split("; ")[-1] for r in hits] == ([] if conforms else [
        f"{BKD['om-user-trial-cr']} states {value}% but 5/10 gives 50%."])


def test_the_percentage_rule_holds_for_a_single_patient(tmp_path):
    one = NEW_STUDY.replace(":numerator 5 ; :denominator 10", ":numerator 1 ; :denominator 1")
    assert ingest.add([_write(tmp_path, one.replace(":value 50.0", ":value 100.0"))], dry_run=True).report.conforms
    report = ingest.add([_write(tmp_path, one, "wrong.ttl")], dry_run=True).report
    assert [r.message.split("; ")[-1] for r in report.violations] == [
        f"{BKD['om-user-trial-cr']} states 50.0% but 1/1 gives 100%."]


# ---------------------------------------------------------------------- dose schedules of the review
def test_blinatumomab_cycles_are_four_weeks_on_and_two_weeks_off_in_every_trial(kg):
    # review: R/R phase II (4-week infusion, 2-week interval), BLAST (4 weeks, 2-week break = one cycle),
    # MRD phase II (4 weeks, 2-week treatment-free interval)
    for dose in ("dose-blinatumomab-rr-phase2-blinatumomab", "dose-blast-blinatumomab",
                 "dose-blinatumomab-mrd-phase2-blinatumomab"):
        on = {o.toPython() for o in kg.objects(BKD[dose], BK.treatmentWeeks)}
        off = {o.toPython() for o in kg.objects(BKD[dose], BK.breakWeeks)}
        assert (on, off) == ({Decimal("4.0")}, {Decimal("2.0")}), dose


# ------------------------------------------------------------------------------------ stats counts
def test_stats_counts_match_an_independent_count_of_the_release(release, release_store):
    from ballkg.stats import HEADLINE, stats

    g = rdflib.Graph().parse(release / "ballkg-inferred.ttl")

    def members(cls):
        return {s for s in g.subjects(rdflib.RDF.type, BK[cls]) if isinstance(s, rdflib.URIRef)}

    expected = {name: len(members(cls)) for name, cls in HEADLINE if cls}
    expected["other findings"] = len(members("Finding") - members("OutcomeMeasurement")
                                     - members("AdverseEventReport"))
    got = stats(release_store)
    assert {name: got[name] for name, _ in HEADLINE} == expected
    assert got["triples"] == len(g)
    assert got["per class"]["StudyArm"] == expected["arms"] and got["per class"]["Population"] == expected["populations"]
    # the review's figures are distinct, so a count that reads the wrong class shows
    assert len({expected[k] for k in ("agents", "studies", "arms", "populations", "regimens")}) == 5


# -------------------------------------------------------------- the shapes' bounds and their messages
# Bounds a message cannot state as a number: plausibility ranges of calendar years (the message says
# "four-digit year"), and a lower bound of 0 that excludes 0 (the message says "positive").
UNSTATED_YEAR_BOUNDS = {("Shared-reportYear", 1950, 2100), ("Study-enrollmentStartYear", 1950, 2100),
                        ("Study-enrollmentEndYear", 1950, 2100)}


def test_every_numeric_bound_of_a_shape_is_the_one_its_message_tells_the_curator():
    import re

    from rdflib.namespace import SH

    from ballkg.validate import load_shapes

    shapes = load_shapes()
    years = {}
    checked = 0
    for component in (SH.minInclusive, SH.maxInclusive, SH.minExclusive, SH.maxExclusive, SH.maxLength):
        for shape, bound in shapes.subject_objects(component):
            name = str(shape).rsplit("#", 1)[-1]
            message = " ".join(str(m) for m in shapes.objects(shape, SH.message))
            value = Decimal(str(bound))
            told = re.sub(r"\([^)]*\)", "", message)  # without the examples in parentheses: "(1.0)"
            stated = {Decimal(n) for n in re.findall(r"(?<![\w.])-?\d+(?:\.\d+)?", told)}
            if component == SH.minExclusive and value == 0 and "positive" in message:
                checked += 1
                continue
            if "four-digit year" in message:
                years.setdefault(name, []).append(int(value))
                continue
            assert value in stated, f"{name}: sh:{component.split('#')[-1]} {value} but the message says {message!r}"
            checked += 1
    assert {(name, min(v), max(v)) for name, v in years.items()} == UNSTATED_YEAR_BOUNDS
    assert checked >= 60


@pytest.mark.parametrize("generation, domains, conforms", [
    (1, [], True), (1, ["4-1bb-domain"], False),
    (2, ["4-1bb-domain"], True), (2, ["4-1bb-domain", "cd28-domain"], False),
    (3, ["4-1bb-domain", "cd28-domain"], True),
])
def test_a_car_generation_allows_one_costimulatory_domain_fewer_than_its_number(generation, domains, conforms):
    from ballkg.validate import validate

    text = (sources.PACKAGE_ROOT / "tests/fixtures/shapes/CARConstruct-generationMatchesDomains--sparql.ttl").read_text()
    text = text.replace(":carGeneration 1 ;", f":carGeneration {generation} ;").replace(
        "    :hasCostimulatoryDomain bkd:4-1bb-domain ;\n",
        "".join(f"    :hasCostimulatoryDomain bkd:{d} ;\n" for d in domains))
    report = validate(rdflib.Graph().parse(data=text, format="turtle"))
    hits = [r for r in report.violations if r.source_shape.endswith("CARConstruct-generationMatchesDomains")]
    assert (not hits) is conforms, report.format_text()
