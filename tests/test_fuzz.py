"""Property-based tests of every input a user controls: stored-query parameters, Turtle files for validate
and add, and ad-hoc SPARQL. Whatever the input, the command ends with exit 0, 1 or 2, a refusal is one
line starting 'ballkg: error:' (validation reports aside), there is never a traceback, and a refused add
leaves graph/ byte for byte as it was. Examples are bounded and derandomized so CI runs are repeatable."""
import hashlib
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from ballkg import sources
from ballkg.cli import main
from ballkg.queries import catalogue

from test_ingest import NEW_STUDY

FUZZ = settings(derandomize=True, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def outcome(capsys, argv) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    assert code in (0, 1, 2), (argv, code)
    assert "Traceback" not in err and "Traceback" not in out
    if code == 2:
        lines = err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("ballkg: error: "), err
    return code, out, err


# ---------------------------------------------------------------------- stored-query parameters
PARAMS = [(q.name, p.name, p.type) for q in catalogue().values() for p in q.params]
NUMBERS = st.one_of(st.integers(-10**30, 10**30).map(str), st.decimals(allow_nan=True, allow_infinity=True).map(str),
                    st.floats().map(str), st.sampled_from(["1e400", "-0", "0x10", "1_000", " 7 ", "½", "٣", ""]))
IRIS = st.one_of(st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._-]{0,30}", fullmatch=True),
                 st.builds(lambda s: "https://w3id.org/ballkg/data/" + s, st.text(max_size=20)),
                 st.builds(lambda s: f"<{s}>", st.text(max_size=30)),
                 st.sampled_from(["blinatumomab", "http://", "https://x y", "ftp://a/b", "javascript:alert(1)",
                                  "rituximab> } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o", "bkd:cd19"]))
VALUES = {"iri": IRIS, "string": st.text(max_size=60), "decimal": NUMBERS, "integer": NUMBERS,
          "boolean": st.one_of(st.sampled_from(["true", "false", "TRUE", "1", "yes", ""]), st.text(max_size=8))}


def test_every_parameter_type_is_fuzzed():
    assert {ptype for _, _, ptype in PARAMS} >= {"iri", "decimal", "integer"}
    assert set(VALUES) == {"iri", "string", "decimal", "integer", "boolean"}


@settings(FUZZ, max_examples=60)
@given(data=st.data())
def test_any_parameter_value_gives_an_answer_or_one_line(release, capsys, data):
    name, param, ptype = data.draw(st.sampled_from(PARAMS), label="parameter")
    value = data.draw(st.one_of(VALUES[ptype], st.text(max_size=40)), label="value")
    assume("\x00" not in value)  # the operating system cannot pass a NUL in an argument
    code, out, _ = outcome(capsys, ["query", name, f"--param={param}={value}", "--release", str(release),
                                    "--format", "csv"])
    assert code in (0, 2)
    if code == 0:
        assert out.splitlines()[0].split(",")[0]  # a header row


# ---------------------------------------------------------------------------------- ad-hoc SPARQL
KEYWORDS = ["SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE", "{", "}", "?s", "?p", "?o", "*", ".", "FILTER",
            "(", ")", "OPTIONAL", "UNION", "LIMIT", "3", "\"x\"", "<https://w3id.org/ballkg/data/cd19>", "a",
            "PREFIX", "bk:", "INSERT", "DELETE", "DATA", "DROP", "ALL", "LOAD", "GRAPH", "#", "\n", "COUNT",
            "GROUP BY", "ORDER BY", "BIND", "AS", "VALUES", "regex(?o, \"(a+)+$\")"]
WELL_FORMED = st.builds(
    lambda form, s, p, o, extra: f"{form} WHERE {{ {s} {p} {o} {extra} }}",
    st.sampled_from(["SELECT *", "SELECT ?s", "ASK", "SELECT (COUNT(*) AS ?n)", "SELECT DISTINCT ?o"]),
    st.sampled_from(["?s", "<https://w3id.org/ballkg/data/blinatumomab>"]),
    st.sampled_from(["?p", "<http://www.w3.org/2000/01/rdf-schema#label>", "a"]),
    st.sampled_from(["?o", "\"CD19\"@en", "<https://w3id.org/ballkg/ontology#Study>"]),
    st.sampled_from(["", "FILTER(?o > 3)", "OPTIONAL { ?o ?q ?r }", "} LIMIT 5 {", "FILTER(lang(?o) = 'en')"]))


@settings(FUZZ, max_examples=80)
@given(text=st.one_of(st.text(max_size=400), st.lists(st.sampled_from(KEYWORDS), max_size=25).map(" ".join),
                      WELL_FORMED))
def test_any_sparql_text_gives_an_answer_or_one_line(release, capsys, text):
    assume("\x00" not in text)
    code, out, err = outcome(capsys, ["sparql", "--release", str(release), "--format", "tsv", "--", text])
    assert code in (0, 2)
    if code == 0:
        assert out.strip(), text


# ---------------------------------------------------------------------------- Turtle files
@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = tmp_path_factory.mktemp("fuzz") / "project"
    for name in ("ontology", "graph", "shapes", "queries", "mappings"):
        shutil.copytree(sources.PACKAGE_ROOT / name, root / name)
    old = os.environ.get("BALLKG_HOME")
    os.environ["BALLKG_HOME"] = str(root)
    yield root
    if old is None:
        os.environ.pop("BALLKG_HOME")
    else:
        os.environ["BALLKG_HOME"] = old


def graph_digest(root: Path) -> dict:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((root / "graph").iterdir())}


VALUE_SWAPS = {"50.0": ["-1", "1e9", "0", "150.0", "\"five\"", "2.5", "50.55", "true"],
               "5": ["-1", "0", "11", "5.5", "\"5\""], "10": ["0", "4", "-10", "1000000"],
               "NCT09999999": ["NCT1", "NCT02435849", "", "nct09999999"],
               "bkd:blinatumomab": ["bkd:no-such-agent", "bkd:rituximab", "bkd:study-eliana", "bkd:percent"],
               "bkd:complete-remission": ["bkd:blinatumomab", "bkd:overall-survival"],
               ":armOf": [":hasArm", ":inStudy"], "@en": ["@de", ""], "bkd:phase-2": ["bkd:phase-9", "2"]}


@st.composite
def mutated_study(draw) -> bytes:
    """A study file that stays Turtle but whose values, links or terms change."""
    text = NEW_STUDY
    for _ in range(draw(st.integers(1, 3))):
        old = draw(st.sampled_from(sorted(VALUE_SWAPS)))
        text = text.replace(old, draw(st.sampled_from(VALUE_SWAPS[old])), draw(st.sampled_from([1, -1])))
    if draw(st.booleans()):  # drop one statement line
        lines = text.splitlines()
        i = draw(st.integers(4, len(lines) - 1))
        if lines[i].rstrip().endswith(";"):
            del lines[i]
        text = "\n".join(lines)
    return text.encode("utf-8")


@st.composite
def broken_turtle(draw) -> bytes:
    """A study file damaged the way files get damaged: cut, garbled, doubled, re-encoded."""
    text = NEW_STUDY
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["delete", "insert", "swap", "duplicate"]))
        i = draw(st.integers(0, len(text)))
        if kind == "delete":
            text = text[:i] + text[i + draw(st.integers(1, 30)):]
        elif kind == "insert":
            text = text[:i] + draw(st.text(max_size=10)) + text[i:]
        elif kind == "swap":
            a, b = draw(st.sampled_from([(";", "."), (".", ";"), ("bkd:", ":"), ("@en", "@xx-invalid-"),
                                         ("a :", "a bkd:"), ("\"", "'")]))
            text = text.replace(a, b, 1)
        else:
            text = text + text[i:i + draw(st.integers(1, 200))]
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-16", "latin-1"]))
    return text.encode(encoding, errors="replace")


# about half the files still parse, so validation and the write path are exercised, not just the parser
TURTLE = st.one_of(mutated_study(), mutated_study(), broken_turtle(),
                   st.one_of(st.binary(max_size=200), st.text(max_size=200).map(str.encode)))


@settings(FUZZ, max_examples=25)
@given(data=TURTLE)
def test_any_file_given_to_validate_standalone_ends_cleanly(project, tmp_path_factory, capsys, data):
    path = tmp_path_factory.mktemp("file") / "mine.ttl"
    path.write_bytes(data)
    outcome(capsys, ["validate", "--standalone", str(path)])


@settings(FUZZ, max_examples=12)
@given(data=TURTLE)
def test_any_file_given_to_add_is_added_whole_or_changes_nothing(project, tmp_path_factory, capsys, data):
    import rdflib

    additions = project / "graph" / "additions.ttl"
    additions.unlink(missing_ok=True)
    before = graph_digest(project)
    path = tmp_path_factory.mktemp("file") / "mine.ttl"
    path.write_bytes(data)
    code, out, _ = outcome(capsys, ["add", str(path)])
    if code == 0:
        mine = rdflib.Graph().parse(data=data, format="turtle")
        added = rdflib.Graph().parse(additions)
        assert len(added) == len(mine) and out.startswith(f"added {len(mine)} triple(s)")
        additions.unlink()
    assert graph_digest(project) == before
