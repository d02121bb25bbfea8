"""Tests of the SHACL shapes in shapes/*.ttl.

Every fixture in tests/fixtures/shapes/ is a small, otherwise valid Turtle graph that breaks exactly one
constraint (one constraint component of one shape). Its header states the results it must produce:

    # expect: <Severity> <shape> <focus node> <path or -> <constraint component>

(`_:blank` stands for a blank-node focus). Fixtures whose name starts with `valid` expect no result at all.
A fixture is named `<shape local name>--<component>[-<variant>].ttl` after the constraint it tests.

Validating 400-odd fixtures one by one takes minutes with pySHACL, so each engine validates all fixtures at
once: the fixtures are merged into one graph, with every bkd: IRI a fixture defines renamed to a prefix of
its own (bkd:t042-om-a), so that fixtures cannot see each other. Results are mapped back to their fixture by
focus node. test_batch_equals_single_validation checks on a sample that this gives the same results as
validating the fixture alone.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SH

from ballkg.sources import load_ontology
from ballkg.validate import load_shapes, validate

FIXTURE_DIR = Path(__file__).parent / "fixtures" / "shapes"
FIXTURES = sorted(FIXTURE_DIR.glob("*.ttl"))
ENGINES = ("turbo", "pyshacl")
BKD = "https://w3id.org/ballkg/data/"
BKS = "https://w3id.org/ballkg/shapes#"
BK = "https://w3id.org/ballkg/ontology#"
SHACL_NS = str(SH)
BLANK = "_:blank"

# constraint parameter -> constraint component (SHACL core and SPARQL-based constraints)
COMPONENT_OF_PARAMETER = {
    "class": "Class", "datatype": "Datatype", "nodeKind": "NodeKind", "minCount": "MinCount", "maxCount": "MaxCount",
    "minExclusive": "MinExclusive", "minInclusive": "MinInclusive", "maxExclusive": "MaxExclusive",
    "maxInclusive": "MaxInclusive", "minLength": "MinLength", "maxLength": "MaxLength", "pattern": "Pattern",
    "languageIn": "LanguageIn", "uniqueLang": "UniqueLang", "equals": "Equals", "disjoint": "Disjoint",
    "lessThan": "LessThan", "lessThanOrEquals": "LessThanOrEquals", "not": "Not", "and": "And", "or": "Or",
    "xone": "Xone", "node": "Node", "hasValue": "HasValue", "in": "In", "closed": "Closed", "sparql": "SPARQL",
    "qualifiedMinCount": "QualifiedMinCount", "qualifiedMaxCount": "QualifiedMaxCount",
}

# (severity, source shape, focus node, result path, constraint component), all as strings; path may be None
Key = tuple


# ---------------------------------------------------------------------------------------------- fixtures
@dataclass(frozen=True)
class Fixture:
    path: Path
    graph: rdflib.Graph
    expected: frozenset

    @property
    def name(self) -> str:
        return self.path.stem


def _expand(graph: rdflib.Graph, curie: str) -> str:
    if curie == BLANK:
        return BLANK
    if curie.startswith("<") and curie.endswith(">"):
        return curie[1:-1]
    return str(graph.namespace_manager.expand_curie(curie))


@functools.cache
def load_fixture(path: Path) -> Fixture:
    graph = rdflib.Graph().parse(path, format="turtle")
    expected = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# expect:"):
            severity, shape, focus, result_path, component = line.split(":", 1)[1].split()
            expected.add((severity, _expand(graph, shape), _expand(graph, focus),
                          None if result_path == "-" else _expand(graph, result_path), _expand(graph, component)))
    return Fixture(path, graph, frozenset(expected))


def _key(result, focus: str) -> Key:
    return (result.severity, result.source_shape, focus, result.path, result.constraint)


@functools.cache
def shapes_graph() -> rdflib.Graph:
    return load_shapes()


@functools.cache
def ontology_graph() -> rdflib.Graph:
    return load_ontology()


def validate_single(fixture: Fixture, engine: str, focus_nodes=None) -> set[Key]:
    """Validate one fixture on its own; results on ontology and vocabulary nodes are left out."""
    own = {str(s) if isinstance(s, rdflib.URIRef) else BLANK for s in fixture.graph.subjects()}
    report = validate(fixture.graph, shapes=shapes_graph(), ontology=ontology_graph(), engine=engine,
                      focus_nodes=focus_nodes)
    keys = {_key(r, r.focus_node if r.focus_node.startswith(("http:", "https:")) else BLANK) for r in report.results}
    return {k for k in keys if k[2] in own}


@functools.cache
def batch_results(engine: str) -> dict[str, set[Key]]:
    """Validate all fixtures in one merged graph; return the results of each fixture, in its own IRIs."""
    merged, owner = merged_fixtures()
    report = validate(merged, shapes=shapes_graph(), ontology=ontology_graph(), engine=engine)
    results: dict[str, set[Key]] = {path.stem: set() for path in FIXTURES}
    for r in report.results:
        if r.focus_node in owner:
            name, focus = owner[r.focus_node]
            results[name].add(_key(r, focus))
    return results


@functools.cache
def merged_fixtures() -> tuple[rdflib.Graph, dict[str, tuple[str, str]]]:
    """Every fixture in one graph, each in IRIs of its own, and for each focus node its fixture and IRI."""
    merged = rdflib.Graph()
    owner: dict[str, tuple[str, str]] = {}   # focus node in the merged graph -> (fixture name, original focus)
    # bkd: individuals named in the shapes themselves (sh:hasValue bkd:cd20) keep their IRI; every fixture
    # must then describe them identically, since they become one node of the merged graph
    named_by_shapes = {o for o in shapes_graph().all_nodes() if isinstance(o, rdflib.URIRef) and str(o).startswith(BKD)}
    shared: dict[rdflib.URIRef, tuple[str, frozenset]] = {}
    for index, path in enumerate(FIXTURES):
        fixture = load_fixture(path)
        renamed = {}
        for subject in set(fixture.graph.subjects()):
            if subject in named_by_shapes:
                description = frozenset(fixture.graph.predicate_objects(subject))
                first = shared.setdefault(subject, (fixture.name, description))
                assert first[1] == description, \
                    f"{subject} is named by the shapes, so {fixture.name} must describe it as {first[0]} does"
                continue
            if isinstance(subject, rdflib.URIRef) and str(subject).startswith(BKD):
                renamed[subject] = rdflib.URIRef(f"{BKD}t{index:03d}-{str(subject)[len(BKD):]}")
            new = renamed.get(subject, subject)
            original = str(subject) if isinstance(subject, rdflib.URIRef) else BLANK
            assert str(new) not in owner or owner[str(new)][0] == fixture.name, \
                f"{subject} is defined by two fixtures outside the bkd: namespace; give it a unique IRI"
            owner[str(new)] = (fixture.name, original)
        for s, p, o in fixture.graph:
            merged.add((renamed.get(s, s), p, renamed.get(o, o)))
    return merged, owner


def fixture_ids(paths):
    return [p.stem for p in paths]


# ---------------------------------------------------------------------------------------------- the shapes graph
def _declared_constraints() -> set[tuple[str, str]]:
    """(shape IRI, constraint component IRI) for every constraint of every named shape."""
    g = shapes_graph()
    out = set()
    for shape in set(g.subjects(RDF.type, SH.NodeShape)) | set(g.subjects(RDF.type, SH.PropertyShape)):
        if not isinstance(shape, rdflib.URIRef):
            continue
        for predicate in set(g.predicates(shape)):
            local = str(predicate)[len(SHACL_NS):] if str(predicate).startswith(SHACL_NS) else None
            if local in COMPONENT_OF_PARAMETER and local != "qualifiedMinCount":
                out.add((str(shape), f"{SHACL_NS}{COMPONENT_OF_PARAMETER[local]}ConstraintComponent"))
    return out


def test_shapes_graph_is_valid_shacl():
    """The shapes conform to the SHACL-for-SHACL meta-shapes shipped with pySHACL."""
    import pyshacl

    meta = rdflib.Graph().parse(Path(pyshacl.__file__).parent / "assets" / "shacl-shacl.ttl", format="turtle")
    conforms, _graph, text = pyshacl.validate(shapes_graph(), shacl_graph=meta)
    assert conforms, text


def test_every_shape_is_named_labelled_and_explained():
    g = shapes_graph()
    problems = []
    for kind in (SH.NodeShape, SH.PropertyShape):
        for shape in g.subjects(RDF.type, kind):
            if not isinstance(shape, rdflib.URIRef) or not str(shape).startswith(BKS):
                problems.append(f"{shape}: a {kind.split('#')[1]} without a bks: IRI")
                continue
            if len(list(g.objects(shape, RDFS.label))) != 1:
                problems.append(f"{shape}: needs exactly one rdfs:label")
            if not list(g.objects(shape, SH.message)):
                problems.append(f"{shape}: needs an sh:message")
            if g.value(shape, SH.severity) not in (SH.Violation, SH.Warning, SH.Info):
                problems.append(f"{shape}: needs an sh:severity")
    # every property shape is used: it has its own target or a node shape refers to it
    targets = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)
    for shape in g.subjects(RDF.type, SH.PropertyShape):
        if not any(g.objects(shape, t) for t in targets) and not any(g.subjects(SH.property, shape)):
            problems.append(f"{shape}: property shape that no node shape uses and that has no target")
    for shape in g.subjects(RDF.type, SH.NodeShape):
        if not any(g.objects(shape, t) for t in targets) and not any(g.subjects(SH.node, shape)):
            problems.append(f"{shape}: node shape without a target")
    assert not problems, "\n".join(problems)


def _instance_classes() -> set[rdflib.URIRef]:
    """Ontology classes that curated resources are typed with: all but value lists and defined classes."""
    onto = ontology_graph()
    controlled = set(onto.transitive_subjects(RDFS.subClassOf, rdflib.URIRef(BK + "ControlledTerm")))
    out = set()
    for cls in onto.subjects(RDF.type, OWL.Class):
        if not isinstance(cls, rdflib.URIRef) or not str(cls).startswith(BK):
            continue
        if cls in controlled and cls != rdflib.URIRef(BK + "ControlledTerm"):
            continue
        if (cls, OWL.equivalentClass, None) in onto and cls != rdflib.URIRef(BK + "AntibodyDrugConjugate"):
            continue
        out.add(cls)
    return out


# Known gaps, listed so that the inventory tests still fail on any NEW unshaped term and on a gap that gets
# closed (then remove it here): the evidence vocabulary of ontology/evidence.ttl (rule steps, levels, codes:
# individuals of the ontology itself, whose derived use on findings the evidence shapes check) and the SKOS
# typing of the value lists (ontology/schemes.ttl) have no shapes of their own yet.
_BK = "https://w3id.org/ballkg/ontology#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
KNOWN_UNSHAPED_CLASSES = {_BK + "EvidenceCode", _BK + "EvidenceLevelRule"}
KNOWN_UNTYPED_DATATYPE_PROPERTIES = {_BK + "levelRank", _BK + "ruleOrder"}
KNOWN_UNCHECKED_OBJECT_PROPERTIES = {_SKOS + "broader", _SKOS + "inScheme", _BK + "assignsLevel",
                                     _BK + "hasClinicalSignificance", _BK + "hasEvidenceType"}
KNOWN_FUNCTIONAL_WITHOUT_MAX_COUNT = {_BK + "assignsLevel", _BK + "levelRank", _BK + "ruleOrder"}


def test_every_instance_class_has_a_node_shape():
    g = shapes_graph()
    targeted = {o for s in g.subjects(RDF.type, SH.NodeShape) for o in g.objects(s, SH.targetClass)}
    missing = sorted(str(c) for c in _instance_classes() - targeted)
    assert set(missing) == KNOWN_UNSHAPED_CLASSES, f"classes without a node shape targeting them: {missing}"


def _property_shapes_by_path() -> dict[rdflib.URIRef, list]:
    g = shapes_graph()
    out: dict = {}
    for shape in g.subjects(SH.path, None):
        path = g.value(shape, SH.path)
        if isinstance(path, rdflib.URIRef):
            out.setdefault(path, []).append(shape)
    return out


def test_every_datatype_property_is_checked_against_its_range():
    onto, g, by_path = ontology_graph(), shapes_graph(), _property_shapes_by_path()
    missing = []
    for prop in onto.subjects(RDF.type, OWL.DatatypeProperty):
        datatypes = {g.value(s, SH.datatype) for s in by_path.get(prop, [])}
        if onto.value(prop, RDFS.range) not in datatypes:
            missing.append(f"{prop} (range {onto.value(prop, RDFS.range)})")
    assert {m.split(" ")[0] for m in missing} == KNOWN_UNTYPED_DATATYPE_PROPERTIES, "datatype properties without an sh:datatype of their range:\n" + "\n".join(sorted(missing))


def test_every_object_property_value_is_checked():
    onto, g, by_path = ontology_graph(), shapes_graph(), _property_shapes_by_path()
    value_checks = (SH["class"], SH["in"], SH["or"], SH.node, SH.nodeKind, SH.hasValue)
    missing = [str(prop) for prop in onto.subjects(RDF.type, OWL.ObjectProperty)
               if not any(g.value(s, c) is not None for s in by_path.get(prop, []) for c in value_checks)]
    assert set(missing) == KNOWN_UNCHECKED_OBJECT_PROPERTIES, "object properties whose values no shape checks:\n" + "\n".join(sorted(missing))


def test_every_functional_property_has_max_count_one():
    onto, g, by_path = ontology_graph(), shapes_graph(), _property_shapes_by_path()
    missing = []
    for prop in onto.subjects(RDF.type, OWL.FunctionalProperty):
        counts = {g.value(s, SH.maxCount) for s in by_path.get(prop, [])} - {None}
        if not any(int(c) <= 1 for c in counts):
            missing.append(str(prop))
    assert set(missing) == KNOWN_FUNCTIONAL_WITHOUT_MAX_COUNT, "functional properties without sh:maxCount 1:\n" + "\n".join(sorted(missing))


def test_ontology_and_vocabulary_alone_produce_no_results():
    """The value lists themselves satisfy the shapes (labels, definitions, IRIs)."""
    report = validate(rdflib.Graph(), shapes=shapes_graph(), ontology=ontology_graph(), engine="turbo")
    assert not report.results, report.format_text(limit=20)


# ---------------------------------------------------------------------------------------------- fixture inventory
def test_fixtures_exist():
    assert any(p.stem.startswith("valid") for p in FIXTURES), "a valid fixture is required"
    assert len(FIXTURES) > 1


@pytest.mark.parametrize("path", FIXTURES, ids=fixture_ids(FIXTURES))
def test_fixture_header_is_consistent(path):
    fixture = load_fixture(path)
    if path.stem.startswith("valid"):
        assert not fixture.expected, "valid fixtures expect no result"
        return
    assert fixture.expected, "a fixture needs at least one '# expect:' line"
    declared = {s for s, _c in _declared_constraints()}
    g = shapes_graph()
    for severity, shape, _focus, _path, _component in fixture.expected:
        assert shape in declared, f"expected shape {shape} does not exist"
        assert severity == str(g.value(rdflib.URIRef(shape), SH.severity)).split("#")[1], \
            f"{shape} has another severity than expected"
    # named after the first expectation: <shape>--<component>[-<variant>]
    first = next(l for l in path.read_text(encoding="utf-8").splitlines() if l.startswith("# expect:")).split()
    shape, component = first[3].split(":", 1)[1], first[6].split(":", 1)[1].replace("ConstraintComponent", "")
    component = "sparql" if component == "SPARQL" else component[0].lower() + component[1:]
    assert re.fullmatch(re.escape(f"{shape}--{component}") + r"(-[a-z0-9-]+)?", path.stem), \
        f"fixture should be named {shape}--{component}[-variant].ttl"


def test_every_constraint_has_a_fixture():
    covered = {(shape, component) for p in FIXTURES for (_s, shape, _f, _p, component) in load_fixture(p).expected}
    missing = sorted(_declared_constraints() - covered)
    assert not missing, "constraints without a fixture:\n" + "\n".join(f"{s} {c}" for s, c in missing)


# ---------------------------------------------------------------------------------------------- validation
@pytest.mark.parametrize("path", FIXTURES, ids=fixture_ids(FIXTURES))
def test_fixture_fires_exactly_its_constraint(path):
    """The turbo engine reports exactly the expected (severity, shape, focus, path, component) results."""
    fixture = load_fixture(path)
    got = batch_results("turbo")[fixture.name]
    assert got == set(fixture.expected), _diff(fixture.expected, got)


@pytest.mark.parametrize("path", FIXTURES, ids=fixture_ids(FIXTURES))
def test_engines_agree(path):
    """pySHACL (the reference implementation) and pyshacl-turbo report the same results on every fixture."""
    name = load_fixture(path).name
    turbo, reference = batch_results("turbo")[name], batch_results("pyshacl")[name]
    assert turbo == reference, _diff(reference, turbo)


@pytest.mark.parametrize("engine", ENGINES)
def test_valid_fixture_conforms_with_no_result(engine):
    for path in FIXTURES:
        if path.stem.startswith("valid"):
            fixture = load_fixture(path)
            report = validate(fixture.graph, shapes=shapes_graph(), ontology=ontology_graph(), engine=engine)
            assert report.conforms and not report.results, report.format_text(limit=20)


# A sample that exercises every SPARQL constraint and target and the cross-node rules.
SAMPLE = [p for p in FIXTURES if "--sparql" in p.stem or p.stem.startswith(
    ("valid", "StudyArm-armOf--", "Percent-value--", "OutcomeMeasurement-rateNeedsTimepoint", "InstanceIRIShape--"))]


@pytest.mark.parametrize("path", SAMPLE, ids=fixture_ids(SAMPLE))
def test_batch_equals_single_validation(path):
    """Validating a fixture on its own gives what the merged validation attributes to it."""
    fixture = load_fixture(path)
    assert validate_single(fixture, "turbo") == batch_results("turbo")[fixture.name]


FOCUS_SAMPLE = [p for p in SAMPLE if any(k[2] != BLANK for k in load_fixture(p).expected)]


@pytest.mark.parametrize("path", FOCUS_SAMPLE, ids=fixture_ids(FOCUS_SAMPLE))
def test_focus_node_validation_matches_full_validation(path):
    """Incremental validation of the expected focus nodes (validate(..., focus_nodes=...)) finds the same.

    Only the turbo engine: pySHACL's focus_nodes mode also filters the value nodes that nested shapes
    (sh:or, sh:not) are evaluated on, which loses or invents results.
    """
    fixture = load_fixture(path)
    foci = sorted({k[2] for k in fixture.expected if k[2] != BLANK})
    got = validate_single(fixture, "turbo", focus_nodes=[rdflib.URIRef(f) for f in foci])
    assert got == {k for k in fixture.expected if k[2] in foci}


def _diff(expected, got) -> str:
    def show(keys):
        return "\n".join("    " + " | ".join(str(v).rsplit("#", 1)[-1] for v in k) for k in sorted(keys, key=str))
    return f"\n  missing:\n{show(set(expected) - set(got))}\n  unexpected:\n{show(set(got) - set(expected))}"


# ---------------------------------------------------------------------------------------------- SPARQL constraints in the store
def test_sparql_constraints_with_targets_of_their_own_are_evaluated_by_the_store():
    """The store evaluates each SPARQL constraint once for all focus nodes to find those that fail; a shape nested in another (its
    focus nodes are its parent's) and a query the store cannot evaluate apart (a sub-select) stay with the
    SHACL engine. test_engines_agree shows that both give pySHACL's results."""
    from ballkg.validate import _pushable_sparql_constraints, sparql_constraints_in_store

    g = shapes_graph()
    pushed = {str(s).split("#")[1] for s, _c in _pushable_sparql_constraints(g)}
    all_constrained = {str(s).split("#")[1] for s in g.subjects(SH.sparql, None)}
    assert all_constrained - pushed == {"PreclinicalCARTCells-targetOfSameTaxon"}
    assert len(pushed) == 22

    extra = rdflib.Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <https://example.org/> .
        ex:S a sh:NodeShape ; sh:targetNode ex:a ;
            sh:sparql [ sh:select "SELECT $this WHERE { { SELECT ?x WHERE { ?x ?p ?o } } }" ] .""", format="turtle")
    assert _pushable_sparql_constraints(extra) == []

    import pyoxigraph as ox
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode(BKD + "x"), ox.NamedNode(str(RDFS.label)), ox.Literal("x")))
    engine_shapes, stands_for = sparql_constraints_in_store(g, store)
    # bkd:x has a statement but no type: only the untyped-resource constraint fails, and the engine gets it
    # on a stand-in shape that targets bkd:x alone
    assert list(stands_for.values()) == [BKS + "UntypedResourceShape"]
    stand_in = rdflib.URIRef(next(iter(stands_for)))
    assert set(engine_shapes.objects(stand_in, SH.targetNode)) == {rdflib.URIRef(BKD + "x")}
    assert {str(s).split("#")[1] for s in engine_shapes.subjects(SH.sparql, None) if s != stand_in} \
        == {"PreclinicalCARTCells-targetOfSameTaxon"}
