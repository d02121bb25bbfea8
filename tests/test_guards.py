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
    # arms and populations differ, so counting one as the other shows
    assert expected["arms"] != expected["populations"]


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


# ------------------------------------------------------------------------------------ the source lock
@pytest.fixture
def held_lock(project_copy):
    """The project's source lock held by another open file (flock locks one open file, even in one process)."""
    import fcntl
    import os

    from ballkg import lock

    assert lock.lock_path() == project_copy / ".ballkg.lock"
    fd = os.open(lock.lock_path(), os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    yield fd
    os.close(fd)


@pytest.mark.parametrize("written, holder", [
    (b"ballkg add (process 4242)\n", "ballkg add (process 4242)"),
    (b"", "another ballkg process"),
    (b"ballkg add \xff", "ballkg add \ufffd"),
    (b"x" * 250, "x" * 200),
])
def test_the_lock_names_its_holder_and_gives_up_after_the_timeout(held_lock, capsys, written, holder):
    import os

    from ballkg import lock

    os.pwrite(held_lock, written, 0)
    with pytest.raises(lock.LockTimeout) as info:
        with lock.sources_lock("ballkg build", timeout=0.1):
            pytest.fail("the lock was taken twice")
    assert str(info.value) == (f".ballkg.lock: the sources are in use by {holder} and stayed so for 0.1 s; nothing "
                               "was changed; try again when it has finished (BALLKG_LOCK_TIMEOUT sets how long to wait)")
    assert capsys.readouterr().err == f"ballkg: waiting for {holder} to finish ...\n"


@pytest.mark.parametrize("raw, seconds", [(None, 120.0), ("", 120.0), ("0.25", 0.25), ("7", 7.0), ("soon", 120.0)])
def test_the_lock_timeout_comes_from_ballkg_lock_timeout(monkeypatch, raw, seconds):
    from ballkg import lock

    if raw is None:
        monkeypatch.delenv("BALLKG_LOCK_TIMEOUT", raising=False)
    else:
        monkeypatch.setenv("BALLKG_LOCK_TIMEOUT", raw)
    assert lock.timeout_s() == seconds


# ----------------------------------------------------------------------------- the `ballkg stats` table
def test_stats_prints_the_counts_as_a_table():
    from ballkg.stats import HEADLINE, format_stats

    data = {name: 10 * i for i, (name, _) in enumerate(HEADLINE)}
    data.update({"triples": 12345, "per class": {"Study": 42, "StudyArm": 7},
                 "coverage": [("diseases", 3, 1, 1), ("procedures", 0, 0, 0)]})
    assert format_stats(data).split("\n") == [
        "agents                        0", "regimens                     10", "studies                      20",
        "arms                         30", "populations                  40", "outcome measurements         50",
        "adverse event reports        60", "other findings               70", "cited references             80",
        "sources                      90", "discrepancies               100", "triples (with inferred)   12345",
        "",
        "individuals per class (asserted and inferred):",
        "  Study                                        42",
        "  StudyArm                                      7",
        "",
        "external identifiers              nodes  mapped  share  exact/close",
        "  diseases                            3       1   33 %            1",
        "  procedures                          0       0      -            0",
    ]


def test_stats_coverage_counts_only_studies_with_a_registry_number(release, release_store):
    from ballkg.stats import coverage

    g = rdflib.Graph().parse(release / "ballkg-inferred.ttl")
    studies = {s for s in g.subjects(rdflib.RDF.type, BK.Study) if isinstance(s, rdflib.URIRef)}
    registered = {s for s in studies if (s, BK.registryId, None) in g}
    diseases = {s for s in g.subjects(rdflib.RDF.type, BK.Disease) if isinstance(s, rdflib.URIRef)}
    rows = {name: n for name, n, _, _ in coverage(release_store)}
    assert rows["studies with a registry number"] == len(registered)
    assert rows["diseases"] == len(diseases)
    assert 0 < len(registered) < len(studies) and diseases


# ------------------------------------------------------------ the Python API: rebuilds, says so, checks IRIs
class Rebuilt(Exception):
    """Raised by the stand-in for `build`, so that a test sees the rebuild without running it."""


@pytest.fixture
def builds(monkeypatch):
    """`build` replaced by a stand-in recording the release folder and who held the source lock."""
    import ballkg.build
    from ballkg import lock

    calls = []

    def fake_build(release_dir, *args, **kwargs):
        calls.append((release_dir, lock.lock_path().read_text()))
        raise Rebuilt

    monkeypatch.setattr(ballkg.build, "build", fake_build)
    return calls


def _touch(project, *names):
    for name in names:
        path = project / name
        path.write_text(path.read_text(encoding="utf-8") + "\n# a curator's note\n", encoding="utf-8")


def test_the_python_api_refreshes_a_stale_release_and_says_so(fresh_copy, builds, capsys):
    import os

    project, rel = fresh_copy
    _touch(project, "graph/car-t.ttl", "graph/cd19-agents.ttl", "graph/cd22-agents.ttl", "shapes/study-shapes.ttl")
    stale = store.stale_files(rel)
    assert len(stale) == 4
    with pytest.raises(Rebuilt):
        api.ensure_release(rel)
    assert builds == [(rel, f"ballkg build (Python API) (process {os.getpid()})")]
    assert capsys.readouterr().err == (f"ballkg: sources changed since the last build ({', '.join(stale[:3])}); "
                                       f"rebuilding {rel} ...\n")


def test_the_python_api_makes_a_missing_release_and_says_so(project_copy, builds, capsys, tmp_path):
    missing = tmp_path / "no-release"
    with pytest.raises(Rebuilt):
        api.ensure_release(missing)
    assert [where for where, _ in builds] == [missing]
    assert capsys.readouterr().err == f"ballkg: no release yet; rebuilding {missing} ...\n"


@pytest.mark.parametrize("call", [
    lambda rel, **kw: api.open_store(rel, **kw),
    lambda rel, **kw: api.run_stored("studies-of-an-agent", release_dir=rel, **kw),
    lambda rel, **kw: api.load(release_dir=rel, **kw),
])
def test_the_python_api_refreshes_by_default_and_refuses_when_told_not_to(fresh_copy, builds, call):
    project, rel = fresh_copy
    _touch(project, "graph/car-t.ttl")
    with pytest.raises(Rebuilt):
        call(rel)
    with pytest.raises(store.StaleReleaseError, match="graph/car-t.ttl changed since the last build"):
        call(rel, rebuild=False)
    assert len(builds) == 1


def _studies_of(release_store, agent):
    q = f"SELECT DISTINCT ?s WHERE {{ ?s a <{BK.Study}> ; <{BK.evaluatesIntervention}> <{BKD[agent]}> }}"
    return {sol["s"].value for sol in release_store.query(q)}


def test_the_python_api_binds_pages_and_counts_a_stored_query(release, release_store):
    rows = api.query("studies-of-an-agent", release_dir=release, agent="blinatumomab")
    assert {r["study"] for r in rows} == _studies_of(release_store, "blinatumomab")
    assert list(rows.dataframe()["study"]) == [r["study"] for r in rows]
    assert _studies_of(release_store, "blinatumomab") != _studies_of(release_store, "inotuzumab-ozogamicin")
    assert rows.columns[:3] == ["study", "phase", "status"]
    assert api.count("studies-of-an-agent", release_dir=release, agent="blinatumomab") == len(rows)
    full = api.run_stored("studies-of-an-agent", {"agent": "blinatumomab"}, release_dir=release)
    assert full.rows == list(rows)
    counted = api.run_stored("studies-of-an-agent", {"agent": "blinatumomab"}, release_dir=release, count=True)
    assert counted.rows == [{"rows": len(rows)}]

    ordered = api.query("studies-enrolling-at-least-a-number-of-patients", release_dir=release, minimumPatients=50)
    assert len(ordered) > 4
    assert list(api.query("studies-enrolling-at-least-a-number-of-patients", release_dir=release, minimumPatients=50,
                          limit=2, offset=1)) == list(ordered)[1:3]
    assert list(api.query("studies-enrolling-at-least-a-number-of-patients", release_dir=release, minimumPatients=50,
                          limit=3)) == list(ordered)[:3]
    assert list(api.query("studies-enrolling-at-least-a-number-of-patients", release_dir=release, minimumPatients=50,
                          offset=2)) == list(ordered)[2:]
    assert list(api.query("studies-enrolling-at-least-a-number-of-patients", release_dir=release,
                          minimumPatients=100000)) == []


def test_the_python_api_sparql_takes_a_name_or_a_text(release, release_store):
    by_name = api.sparql("studies-of-an-agent", release_dir=release, agent="blinatumomab")
    assert set(by_name["study"]) == _studies_of(release_store, "blinatumomab")
    text = f"SELECT ?s WHERE {{ ?s <{BK.evaluatesIntervention}> <{BKD.blinatumomab}> }}"
    assert set(api.sparql(text, release_dir=release)["s"]) == _studies_of(release_store, "blinatumomab")
    with pytest.raises(api.QueryError) as info:
        api.sparql(text, release_dir=release, agent="blinatumomab")
    assert str(info.value) == ("parameters can only be bound in stored queries; put literal values in ad-hoc SPARQL")


def test_an_iri_parameter_naming_nothing_is_an_error_on_the_embedded_store(release, capsys):
    argv = ["query", "studies-of-an-agent", "--release", str(release), "--format", "csv", "--param"]
    assert main([*argv, "agent=blinatumomabb"]) == 2
    assert capsys.readouterr().err == (
        "ballkg: error: parameter 'agent': nothing called <https://w3id.org/ballkg/data/blinatumomabb> is in the "
        "graph; check the spelling (names are local names such as 'blinatumomab' or 'study-eliana', or full IRIs)\n")
    assert main([*argv, "agent=blinatumomab"]) == 0
    assert "blast" in capsys.readouterr().out.lower()
    # only IRI parameters name nodes: an integer is not looked up
    assert main(["query", "studies-enrolling-at-least-a-number-of-patients", "--release", str(release),
                 "--param", "minimumPatients=50", "--count", "--format", "csv"]) == 0
    assert int(capsys.readouterr().out.split()[-1]) > 4


# ------------------------------------------------- stored-query parameters: one RDF term of the declared type
XSD = "http://www.w3.org/2001/XMLSchema#"
TERMS = [
    ("iri", "blinatumomab", f"<{BKD.blinatumomab}>"),
    ("iri", " <blinatumomab> ", f"<{BKD.blinatumomab}>"),
    ("iri", "<https://example.org/x>", "<https://example.org/x>"),
    ("iri", "http://example.org/x", "<http://example.org/x>"),
    ("string", ' say "hi" ', '" say \\"hi\\" "'),
    ("decimal", " 1.50 ", f'"1.50"^^<{XSD}decimal>'),
    ("decimal", "1e2", f'"100"^^<{XSD}decimal>'),
    ("integer", " +7 ", f'"7"^^<{XSD}integer>'),
    ("integer", "-0012", f'"-12"^^<{XSD}integer>'),
    ("boolean", True, f'"true"^^<{XSD}boolean>'),
    ("boolean", False, f'"false"^^<{XSD}boolean>'),
    ("boolean", " TRUE ", f'"true"^^<{XSD}boolean>'),
    ("boolean", "False", f'"false"^^<{XSD}boolean>'),
]
REFUSED = [
    ("iri", "ftp://example.org/x", "expects iri; got 'ftp://example.org/x': not a local name of the graph nor an http(s) IRI"),
    ("iri", "bad name", "expects iri; got 'bad name': not a local name of the graph nor an http(s) IRI"),
    ("iri", "https://example.org/a>", "expects iri; got 'https://example.org/a>': Invalid IRI code point '>'"),
    ("iri", "https://example.org/a b", "expects iri; got 'https://example.org/a b': Invalid IRI code point ' '"),
    ("decimal", "NaN", "expects decimal; got 'NaN': not a finite number"),
    ("decimal", "-Infinity", "expects decimal; got '-Infinity': not a finite number"),
    ("integer", "7.0", "expects integer; got '7.0': not a whole number"),
    ("boolean", "yes", "expects boolean; got 'yes': not true or false"),
    ("service", "http://example.org/sparql",
     "expects service; got 'http://example.org/sparql': a service parameter names an endpoint in a SERVICE clause, not a value"),
    ("date", "2020", "has unknown type 'date'"),
]


@pytest.mark.parametrize("type_, raw, term", TERMS)
def test_a_parameter_value_becomes_one_rdf_term_of_its_type(type_, raw, term):
    from ballkg.queries import Param, to_term

    assert to_term(Param("p", type_), raw) == term


@pytest.mark.parametrize("type_, raw, message", REFUSED)
def test_a_parameter_value_not_of_its_type_is_refused_naming_why(type_, raw, message):
    from ballkg.queries import Param, QueryError, to_term

    with pytest.raises(QueryError) as info:
        to_term(Param("p", type_), raw)
    assert str(info.value) == f"parameter 'p' {message}"


def test_a_refused_value_is_quoted_up_to_80_characters():
    from ballkg.queries import Param, QueryError, to_term

    with pytest.raises(QueryError) as info:
        to_term(Param("p", "integer"), "x" * 100)
    assert str(info.value) == f"parameter 'p' expects integer; got {'x' * 80!r}: not a whole number"
    with pytest.raises(QueryError) as info:
        to_term(Param("p", "decimal"), "abc")
    assert str(info.value).startswith("parameter 'p' expects decimal; got 'abc': ")


def _stored(text, *params):
    from pathlib import Path

    from ballkg.queries import StoredQuery

    return StoredQuery(name="q", path=Path("q.rq"), summary="", description="", tags=[], params=list(params),
                       columns={}, text=text)


def test_parameters_are_bound_by_values_blocks_at_the_start_of_the_where_group():
    from ballkg.queries import Param, QueryError

    q = _stored("SELECT * WHERE { ?s ?p ?agent FILTER(?n > 0) }", Param("agent", "iri"), Param("n", "integer", 3))
    assert q.bind({"agent": "blinatumomab"}) == (
        "SELECT * WHERE {\n"
        f"  VALUES ?agent {{ <{BKD.blinatumomab}> }}\n"
        f'  VALUES ?n {{ "3"^^<{XSD}integer> }}\n'
        " ?s ?p ?agent FILTER(?n > 0) }")
    assert q.bind({"agent": "x", "n": 5}).count("VALUES") == 2 and f'"5"^^<{XSD}integer>' in q.bind({"agent": "x", "n": 5})
    with pytest.raises(QueryError) as info:
        q.bind({"n": 5})
    assert str(info.value) == "query 'q' needs a value for parameter 'agent' (iri): pass --param agent=VALUE"
    with pytest.raises(QueryError) as info:
        q.bind({"agent": "x", "dose": 1, "arm": 2})
    assert str(info.value) == "query 'q' has no parameter arm, dose (its parameters: agent, n)"
    with pytest.raises(QueryError) as info:
        _stored("SELECT * WHERE { ?s ?p ?o }").bind({"x": 1})
    assert str(info.value) == "query 'q' has no parameter x (its parameters: none)"
    assert _stored("SELECT * WHERE { ?s ?p ?o }").bind() == "SELECT * WHERE { ?s ?p ?o }"
    with pytest.raises(QueryError) as info:
        _stored("ASK { ?s ?p ?a }", Param("a", "iri")).bind({"a": "x"})
    assert str(info.value) == "query file q.rq has parameters but no WHERE group to bind them in"


@pytest.mark.parametrize("limit, offset, tail", [
    (None, None, ""), (3, None, "\nLIMIT 3"), (None, 2, "\nOFFSET 2"), (3, 2, "\nLIMIT 3\nOFFSET 2"),
    (" 3 ", 0, "\nLIMIT 3"), ("0", "0", "\nLIMIT 0"),
])
def test_a_page_is_limit_and_offset_after_the_query_order(limit, offset, tail):
    from ballkg.queries import page

    assert page("SELECT * WHERE { ?s ?p ?o }\n  # a note\nORDER BY ?s", limit, offset) == (
        "SELECT * WHERE { ?s ?p ?o }\nORDER BY ?s" + tail)


@pytest.mark.parametrize("bad", ["-1", "x", True, "1.5", ""])
def test_a_page_size_must_be_a_whole_number(bad):
    from ballkg.queries import QueryError, page

    with pytest.raises(QueryError) as info:
        page("SELECT * WHERE { ?s ?p ?o }", bad)
    assert str(info.value) == f"--limit takes a whole number of rows (0 or more); got {str(bad)!r}"
    with pytest.raises(QueryError) as info:
        page("SELECT * WHERE { ?s ?p ?o }", None, bad)
    assert str(info.value) == f"--offset takes a whole number of rows (0 or more); got {str(bad)!r}"


def test_a_count_query_keeps_the_prologue_outside():
    from ballkg.queries import count_query

    assert count_query("PREFIX a: <http://a/>\nBASE <http://b/>\n#+ note\nSELECT ?s WHERE { ?s ?p ?o }") == (
        "PREFIX a: <http://a/>\nBASE <http://b/>\n\nSELECT (COUNT(*) AS ?rows) WHERE {\nSELECT ?s WHERE { ?s ?p ?o }\n}")
    assert count_query("SELECT ?s WHERE { ?s ?p ?o }") == "\nSELECT (COUNT(*) AS ?rows) WHERE {\nSELECT ?s WHERE { ?s ?p ?o }\n}"


# ------------------------------------------- an endpoint's answer is read into the same rows as the store's
SMALL = """@prefix ex: <http://example.org/> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:a rdfs:label "Alpha" ; ex:n 3 ; ex:d 1.50 ; ex:f "2.5"^^xsd:double ; ex:b true ; ex:t "text" ; ex:k _:x .
ex:b rdfs:label "Beta" ; ex:n 4 ; ex:b "false"^^xsd:boolean .
ex:c ex:n 5 .
"""
SMALL_SELECT = """PREFIX ex: <http://example.org/>
# a comment line that names SELECT and ASK
SELECT ?s ?n ?d ?f ?b ?t ?k ?none WHERE {
  ?s ex:n ?n . OPTIONAL { ?s ex:d ?d } OPTIONAL { ?s ex:f ?f } OPTIONAL { ?s ex:b ?b } OPTIONAL { ?s ex:t ?t }
  OPTIONAL { ?s ex:k ?k } OPTIONAL { ?s ex:none ?none }
} ORDER BY ?s"""


@pytest.fixture
def small_endpoint():
    """A SPARQL endpoint answering from a small in-memory store, with the store."""
    import http.server
    import threading
    import urllib.parse

    from conftest import free_port

    st = pyoxigraph.Store()
    st.load(SMALL.encode(), pyoxigraph.RdfFormat.TURTLE)

    class Endpoint(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            form = urllib.parse.parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
            answer = st.query(form["query"][0])
            body = answer.serialize(format=pyoxigraph.QueryResultsFormat.JSON)
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", free_port()), Endpoint)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/query", st
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("batch", [500, 1])
def test_an_endpoint_answer_gives_the_rows_and_labels_of_the_embedded_store(small_endpoint, monkeypatch, batch):
    from ballkg import queries

    url, st = small_endpoint
    monkeypatch.setattr(queries, "LABEL_BATCH", batch)
    remote, local = queries.run_on_endpoint(url, SMALL_SELECT), queries.run_on_store(st, SMALL_SELECT)
    bnode = local.rows[0]["k"]
    assert bnode.startswith("_:") and len(bnode) > 2
    expected = [
        {"s": "http://example.org/a", "n": 3, "d": Decimal("1.50"), "f": 2.5, "b": True, "t": "text", "k": bnode,
         "none": None},
        {"s": "http://example.org/b", "n": 4, "d": None, "f": None, "b": False, "t": None, "k": None, "none": None},
        {"s": "http://example.org/c", "n": 5, "d": None, "f": None, "b": None, "t": None, "k": None, "none": None},
    ]
    labels = {"http://example.org/a": "Alpha", "http://example.org/b": "Beta"}
    assert (local.columns, local.rows, local.labels) == (list(expected[0]), expected, labels)
    assert (remote.columns, remote.rows, remote.labels) == (list(expected[0]), expected, labels)
    for ask, answer in (("ASK { ?s ?p 3 }", True), ("ASK { ?s ?p 6 }", False)):
        assert queries.run_on_endpoint(url, ask) == queries.run_on_store(st, ask) == queries.Result(
            ["result"], [{"result": answer}])


@pytest.mark.parametrize("lexical, datatype, value", [
    ("7", "integer", 7), ("7", "int", 7), ("7", "long", 7), ("7", "nonNegativeInteger", 7),
    ("7", "positiveInteger", 7), ("1.50", "decimal", Decimal("1.50")), ("2.5", "double", 2.5), ("2.5", "float", 2.5),
    ("true", "boolean", True), ("1", "boolean", True), ("false", "boolean", False), ("0", "boolean", False),
    ("seven", "integer", "seven"), ("x", "decimal", "x"), ("7", "string", "7"), ("7", None, "7"),
])
def test_a_literal_becomes_the_python_value_of_its_datatype(lexical, datatype, value):
    from ballkg.queries import literal_value

    got = literal_value(lexical, XSD + datatype if datatype else None)
    assert (got, type(got)) == (value, type(value))


def test_results_are_printed_as_a_table_csv_tsv_or_json():
    from ballkg.queries import QueryError, Result, format_result

    result = Result(["s", "n", "note"], [
        {"s": "http://example.org/a", "n": Decimal("1.50"), "note": None},
        {"s": "http://example.org/b", "n": Decimal("2"), "note": "x" * 70},
    ], {"http://example.org/a": "Alpha"})
    assert format_result(result).split("\n") == [
        "s                    | n    | note" + " " * 56,
        "-" * 20 + "-+-" + "-" * 4 + "-+-" + "-" * 60,
        "Alpha                | 1.50 | " + " " * 60,
        "http://example.org/b | 2    | " + "x" * 59 + "…",
        "(2 rows)",
    ]
    assert format_result(Result(["s"], [{"s": 1}])).split("\n")[-1] == "(1 row)"
    assert format_result(result, "csv") == f"s,n,note\nAlpha,1.50,\nhttp://example.org/b,2,{'x' * 70}"
    assert format_result(result, "tsv") == f"s\tn\tnote\nAlpha\t1.50\t\nhttp://example.org/b\t2\t{'x' * 70}"
    assert json.loads(format_result(result, "json")) == [
        {"s": {"iri": "http://example.org/a", "label": "Alpha"}, "n": 1.5, "note": None},
        {"s": "http://example.org/b", "n": 2, "note": "x" * 70},
    ]
    with pytest.raises(QueryError) as info:
        format_result(result, "xml")
    assert str(info.value) == "unknown format 'xml'; use table, csv, tsv or json"


# ----------------------------------------------------------------- the command line passes on what it is given
def test_param_pairs_split_at_the_first_equals_sign():
    from ballkg.cli import _parse_params
    from ballkg.queries import QueryError

    assert _parse_params([" agent =blinatumomab", "note=a=b"]) == {"agent": "blinatumomab", "note": "a=b"}
    assert _parse_params(None) == {}
    with pytest.raises(QueryError) as info:
        _parse_params(["agent"])
    assert str(info.value) == "--param takes KEY=VALUE, got 'agent'"


def test_query_passes_params_pages_and_count_to_the_store(release, capsys):
    name, rel = "studies-enrolling-at-least-a-number-of-patients", ["--release", str(release), "--format", "csv"]

    def out(*argv):
        assert main(["query", name, *rel, *argv]) == 0, argv
        return capsys.readouterr().out.rstrip("\n").split("\n")

    full = out("--param", "minimumPatients=50")
    assert len(full) > 5 and out() != full  # the default is 100
    assert out("--param", "minimumPatients=50", "--limit", "2", "--offset", "1") == [full[0], *full[2:4]]
    assert out("--param", "minimumPatients=50", "--limit", "2") == full[:3]
    assert out("--param", "minimumPatients=50", "--offset", "3") == [full[0], *full[4:]]
    assert out("--param", "minimumPatients=50", "--count") == ["rows", str(len(full) - 1)]
    assert main(["query", name, "--release", str(release), "--param", "minimumPatients=50", "--count"]) == 0
    assert capsys.readouterr().out.split("\n")[0].split() == ["rows"]


def test_stats_prints_the_table_of_the_release(release, release_store, capsys):
    from ballkg.stats import format_stats, stats

    assert main(["stats", "--release", str(release)]) == 0
    assert capsys.readouterr().out == format_stats(stats(release_store)) + "\n"


def test_the_python_api_asks_the_endpoint_it_is_given(small_endpoint, builds, tmp_path):
    url, _ = small_endpoint
    nowhere = tmp_path / "no-release"  # a query sent to the embedded store instead would try to build here
    assert api.count("studies-of-an-agent", endpoint=url, release_dir=nowhere, agent="http://example.org/a") == 0
    with pytest.raises(api.QueryError) as info:
        api.count("studies-of-an-agent", endpoint=url, release_dir=nowhere, agent="http://example.org/c")
    assert str(info.value).startswith("parameter 'agent': nothing called <http://example.org/c> is in the graph; ")
    frame = api.sparql("SELECT ?s WHERE { ?s <http://example.org/n> ?n } ORDER BY ?s", url, release_dir=nowhere)
    assert list(frame["s"]) == ["http://example.org/a", "http://example.org/b", "http://example.org/c"]
    assert api.sparql("ASK{?s?p?o}", url, release_dir=nowhere)["result"].tolist() == [True]
    frame = api.sparql("studies-of-an-agent", url, release_dir=nowhere, agent="http://example.org/a")
    assert len(frame) == 0 and list(frame.columns)[:3] == ["study", "phase", "status"]
    assert builds == []


def test_the_python_api_loads_the_release_with_or_without_inferences(release):
    inferred, asserted = api.load(release_dir=release), api.load(inferred=False, release_dir=release)
    assert len(inferred) == len(rdflib.Graph().parse(release / "ballkg-inferred.ttl"))
    assert len(asserted) == len(rdflib.Graph().parse(release / "ballkg.ttl"))
    assert len(asserted) < len(inferred)


@pytest.mark.parametrize("fmt, name", [("ttl", "ballkg.ttl"), ("nt", "ballkg.nt"), ("jsonld", "ballkg.jsonld"),
                                       ("owl", "ballkg.owl")])
def test_export_writes_the_release_file_of_each_format(release, capsysbinary, tmp_path, fmt, name):
    out = tmp_path / f"out.{fmt}"
    assert main(["export", "--format", fmt, "-o", str(out), "--release", str(release)]) == 0
    data = (release / name).read_bytes()
    assert out.read_bytes() == data
    assert capsysbinary.readouterr().err.decode() == f"wrote {out} ({len(data)} bytes)\n"


def test_export_inferred_is_turtle_only_and_folders_need_an_output(release, capsysbinary):
    rel = ["--release", str(release)]
    assert main(["export", "--inferred", *rel]) == 0
    assert capsysbinary.readouterr().out == (release / "ballkg-inferred.ttl").read_bytes()
    assert main(["export", "--format", "nt", "--inferred", *rel]) == 2
    assert capsysbinary.readouterr().err.decode() == "ballkg: error: --inferred is available for --format ttl only\n"
    for fmt, what in (("html", "pages"), ("kgx", "files")):
        assert main(["export", "--format", fmt, *rel]) == 2
        assert capsysbinary.readouterr().err.decode() == (
            f"ballkg: error: --format {fmt} writes a folder of {what}: give it with -o DIR\n")
