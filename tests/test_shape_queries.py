"""The store finds the focus nodes that may fail a shape; the SHACL engine checks only those (ballkg.shape_queries).

test_shapes' fixture tests run every constraint through this path (the batch of fixtures is validated with it)
and test_build compares it with the engine alone on a synthetic graph. Here: that the path is really taken,
that the compiled checks let conforming nodes through and stop failing ones, component by component, that what
cannot be compiled stays with the engine, and that the engine still reports literals as written.
"""
from __future__ import annotations

import pytest
import rdflib
from rdflib.namespace import SH

from ballkg import shape_queries
from ballkg.parse import Triples
from ballkg.validate import load_shapes, sparql_constraints_in_store, validate_triples

PREFIXES = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <https://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""
EX = "https://example.org/"


def _triples(turtle: str) -> Triples:
    out = Triples()
    out.add_rdflib(rdflib.Graph().parse(data=PREFIXES + turtle, format="turtle"))
    return out


def _shapes(turtle: str) -> rdflib.Graph:
    return rdflib.Graph().parse(data=PREFIXES + turtle, format="turtle")


def _candidates(shape_ttl: str, data_ttl: str) -> set[str]:
    shapes, data = _shapes(shape_ttl), _triples(data_ttl)
    found = set()
    for query in shape_queries.candidate_queries(shapes, rdflib.URIRef(EX + "S"), data.store()):
        found.update(sol["this"].value for sol in data.store().query(query))
    return {n.removeprefix(EX) for n in found}


# one case per component: ex:bad fails the shape, ex:good conforms; both are focus nodes of ex:S
CASES = {
    "class": ("ex:S sh:targetClass ex:T ; sh:property [ sh:path ex:p ; sh:class ex:C ] .",
              "ex:good a ex:T ; ex:p ex:c . ex:c a ex:D . ex:D rdfs:subClassOf ex:C . ex:bad a ex:T ; ex:p ex:x ."),
    "datatype-ill-formed": ("ex:S sh:targetSubjectsOf ex:p ; sh:property [ sh:path ex:p ; sh:datatype xsd:decimal ] .",
                            'ex:good ex:p "1.0"^^xsd:decimal . ex:bad ex:p "abc"^^xsd:decimal .'),
    "datatype-other-type": ("ex:S sh:targetSubjectsOf ex:p ; sh:property [ sh:path ex:p ; sh:datatype xsd:string ] .",
                            'ex:good ex:p "a" . ex:bad ex:p "a"@en .'),
    "minCount": ("ex:S sh:targetClass ex:T ; sh:property [ sh:path ex:p ; sh:minCount 2 ] .",
                 "ex:good a ex:T ; ex:p ex:a , ex:b . ex:bad a ex:T ; ex:p ex:a ."),
    "maxCount": ("ex:S sh:targetClass ex:T ; sh:property [ sh:path ex:p ; sh:maxCount 1 ] .",
                 'ex:good a ex:T ; ex:p "53.0"^^xsd:decimal . ex:bad a ex:T ; ex:p 1 , 2 .'),
    "inverse-path": ("ex:S sh:targetClass ex:T ; sh:property [ sh:path [ sh:inversePath ex:p ] ; sh:minCount 1 ] .",
                     "ex:good a ex:T . ex:x ex:p ex:good . ex:bad a ex:T ."),
    "pattern": ('ex:S sh:targetSubjectsOf ex:p ; sh:property [ sh:path ex:p ; sh:pattern "^NCT[0-9]{8}$" ] .',
                'ex:good ex:p "NCT01234567" . ex:bad ex:p "NCT1" .'),
    "in": ("ex:S sh:targetSubjectsOf ex:p ; sh:property [ sh:path ex:p ; sh:in ( ex:a ex:b ) ] .",
           "ex:good ex:p ex:b . ex:bad ex:p ex:c ."),
    "not-in": ("ex:S sh:targetSubjectsOf ex:p ; sh:property [ sh:path ex:p ; sh:not [ sh:in ( ex:a ) ] ] .",
               "ex:good ex:p ex:b . ex:bad ex:p ex:a ."),
    "or": ("ex:S sh:targetSubjectsOf ex:p ; sh:property [ sh:path ex:p ; sh:or ( [ sh:class ex:A ] [ sh:class ex:B ] ) ] .",
           "ex:good ex:p ex:b . ex:b a ex:B . ex:bad ex:p ex:c . ex:c a ex:C ."),
    "xone": ("ex:S sh:targetSubjectsOf ex:p ; sh:xone ( [ sh:path ex:p ; sh:minCount 2 ] [ sh:path ex:q ; sh:minCount 1 ] ) .",
             "ex:good ex:p ex:a . ex:good ex:q ex:a . ex:bad ex:p ex:a . ex:bad ex:p ex:b . ex:bad ex:q ex:c ."),
    "range": ("ex:S sh:targetSubjectsOf ex:p ; sh:property [ sh:path ex:p ; sh:minExclusive 0 ; sh:maxInclusive 100 ] .",
              'ex:good ex:p 100 . ex:bad ex:p "-1.0"^^xsd:decimal .'),
    "range-not-comparable": ("ex:S sh:targetSubjectsOf ex:p ; sh:property [ sh:path ex:p ; sh:minInclusive 0 ] .",
                             'ex:good ex:p 3 . ex:bad ex:p "three" .'),
    "lessThanOrEquals": ("ex:S sh:targetSubjectsOf ex:lo ; sh:property [ sh:path ex:lo ; sh:lessThanOrEquals ex:hi ] .",
                         "ex:good ex:lo 1 ; ex:hi 2 . ex:bad ex:lo 3 ; ex:hi 2 ."),
    "hasValue": ("ex:S sh:targetSubjectsOf ex:p ; sh:property [ sh:path ex:p ; sh:hasValue ex:v ] .",
                 "ex:good ex:p ex:v . ex:bad ex:p ex:w ."),
    "disjoint": ("ex:S sh:targetSubjectsOf ex:p ; sh:property [ sh:path ex:p ; sh:disjoint ex:q ] .",
                 "ex:good ex:p ex:a ; ex:q ex:b . ex:bad ex:p ex:a ; ex:q ex:a ."),
    "closed": ("ex:S sh:targetSubjectsOf ex:p ; sh:closed true ; sh:property [ sh:path ex:p ] .",
               "ex:good ex:p ex:a . ex:bad ex:p ex:a ; ex:q ex:b ."),
    "node": ("ex:S sh:targetSubjectsOf ex:p ; sh:property [ sh:path ex:p ; sh:node ex:N ] . "
             "ex:N sh:property [ sh:path ex:q ; sh:minCount 1 ] .",
             "ex:good ex:p ex:a . ex:a ex:q 1 . ex:bad ex:p ex:b ."),
    "nested-sparql": ('ex:S sh:targetSubjectsOf ex:p ; sh:property [ sh:path ex:p ; sh:sparql [ sh:select '
                      '"SELECT $this WHERE { $this <https://example.org/p> ?v . FILTER (?v > 5) }" ] ] .',
                      "ex:good ex:p 1 . ex:bad ex:p 9 ."),
    "equals-as-written": ("ex:S sh:targetSubjectsOf ex:p ; sh:property [ sh:path ex:p ; sh:equals ex:q ] .",
                          'ex:good ex:p ex:a ; ex:q ex:a . ex:bad ex:p "1.0"^^xsd:decimal ; ex:q "1"^^xsd:decimal .'),
    "maxCount-over-a-path": ("ex:S sh:targetSubjectsOf ex:p ; sh:property [ sh:path ( ex:p ex:q ) ; sh:maxCount 1 ] .",
                             'ex:good ex:p ex:g . ex:g ex:q "x" . ex:bad ex:p ex:b1 , ex:b2 . '
                             'ex:b1 ex:q "1.0"^^xsd:decimal . ex:b2 ex:q "1"^^xsd:decimal .'),
    "class-with-an-anonymous-subclass": ("ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .",
                                         "ex:good a ex:C ; ex:p 1 . ex:bad a ex:C . [] rdfs:subClassOf ex:C ."),
    "node-target": ("ex:S sh:targetNode ex:good , ex:bad ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .",
                    "ex:good ex:p 1 ."),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_store_stops_the_failing_node_and_lets_the_conforming_one_through(case):
    shape_ttl, data_ttl = CASES[case]
    assert _candidates(shape_ttl, data_ttl) == {"bad"}


def test_the_engine_reports_the_same_on_each_case():
    """The engine alone and the engine after the store agree on every case above (one violation each)."""
    for case, (shape_ttl, data_ttl) in CASES.items():
        shapes, data = _shapes(shape_ttl), _triples(data_ttl)
        ours = validate_triples(data, shapes=shapes, ontology=rdflib.Graph()).results
        alone = validate_triples(data, shapes=shapes, ontology=rdflib.Graph(), store_first=False).results
        assert ours == alone, case
        assert {r.focus_node for r in ours} == {EX + "bad"}, case


@pytest.mark.parametrize("shape_ttl", [
    # a negation over a check whose store semantics can differ from the engine's on some literal
    "ex:S sh:targetSubjectsOf ex:p ; sh:property [ sh:path ex:p ; sh:not [ sh:datatype xsd:decimal ] ] .",
    "ex:S sh:targetSubjectsOf ex:p ; sh:property [ sh:path ex:p ; sh:qualifiedValueShape [ sh:class ex:A ] ; "
    "sh:qualifiedMinCount 1 ] .",
    "ex:S sh:targetSubjectsOf ex:p ; sh:property [ sh:path ex:p ; sh:in ( 1 2 ) ] .",  # numbers are canonicalised
    "ex:S sh:targetSubjectsOf ex:p ; sh:property [ sh:path ex:p ; sh:pattern \"(?<=a)b\" ] .",  # lookbehind
    "ex:S sh:targetSubjectsOf ex:p ; sh:sparql [ sh:select \"SELECT $this WHERE { $this ?p ?o }\" ] .",
])
def test_what_cannot_be_compiled_stays_with_the_engine(shape_ttl):
    shapes = _shapes(shape_ttl)
    with pytest.raises(shape_queries.Unsupported):
        shape_queries.candidate_queries(shapes, rdflib.URIRef(EX + "S"))
    data = _triples("ex:a ex:p 1.0 .")
    out, counts = shape_queries.core_shapes_in_store(shapes, data.store())
    assert counts == {} and set(out.objects(rdflib.URIRef(EX + "S"), SH.targetSubjectsOf)) == {rdflib.URIRef(EX + "p")}


def test_two_numbers_the_store_would_merge_turn_the_store_off():
    """53.0 and 53 are two values to the engine and one to the store: maxCount 1 must still fail."""
    shapes = _shapes("ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:maxCount 1 ] .")
    data = _triples('ex:a ex:p "53.0"^^xsd:decimal , "53"^^xsd:decimal .')
    assert len(data) == 2 and not shape_queries.usable(data.store(), len(data))
    assert shape_queries.usable(_triples('ex:a ex:p "53.0"^^xsd:decimal , "54"^^xsd:decimal .').store(), 2)
    assert shape_queries.usable(_triples('ex:a ex:p "53.0"^^xsd:decimal , 54 .').store(), 2)
    report = validate_triples(data, shapes=shapes, ontology=rdflib.Graph())
    assert [(r.focus_node, r.constraint) for r in report.results] == [(EX + "a", str(SH.MaxCountConstraintComponent))]


def test_the_engine_reads_the_neighbourhood_with_literals_as_written():
    shapes = _shapes("ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:maxInclusive 50 ] .")
    data = _triples('ex:a ex:p "53.0"^^xsd:decimal ; ex:q ex:b . ex:b ex:p 1 . ex:c ex:p 2 .')
    store = data.store()
    engine_shapes, counts = shape_queries.core_shapes_in_store(shapes, store)
    assert counts == {EX + "S": 1}
    lines = shape_queries.neighbourhood_lines(engine_shapes, store, data.lines)
    assert lines == b'<https://example.org/a> <https://example.org/p> "53.0"^^<http://www.w3.org/2001/XMLSchema#decimal> .\n'
    [result] = validate_triples(data, shapes=shapes, ontology=rdflib.Graph()).results
    assert (result.focus_node, result.value) == (EX + "a", "53.0")


def test_a_shape_the_engine_must_see_whole_keeps_the_whole_text():
    """A SPARQL constraint can read anything: with one left for the engine, it gets every triple."""
    shapes = _shapes('ex:S sh:targetNode ex:a ; sh:sparql [ sh:select "SELECT $this WHERE { ?x ?p ?o }" ] .')
    data = _triples("ex:a ex:p 1 . ex:c ex:p 2 .")
    assert shape_queries.neighbourhood_lines(shapes, data.store(), data.lines) is None


def test_every_targeted_shape_of_ballkg_is_checked_in_the_store():
    """After the SPARQL constraints have gone to the store, every shape with targets compiles, so on
    conforming data the engine has nothing to do."""
    import pyoxigraph as ox

    shapes, _stands_for = sparql_constraints_in_store(load_shapes(), ox.Store())
    targeted = {s for p in shape_queries._TARGETS for s in shapes.subjects(p, None)}
    compiled = set()
    for shape in targeted:
        try:
            shape_queries.candidate_queries(shapes, shape)
            compiled.add(shape)
        except shape_queries.Unsupported:
            pass
    assert compiled == targeted and len(targeted) == 125


def test_the_fixture_batch_goes_through_the_store():
    """test_shapes validates every fixture in one batch; it tests this path only if the store is used there."""
    from test_shapes import merged_fixtures

    merged, _owner = merged_fixtures()
    data = Triples()
    data.add_rdflib(merged)
    assert shape_queries.usable(data.store(), len(data))


def test_an_incremental_run_asks_the_store_about_its_focus_nodes_only():
    shapes, data = _shapes(CASES["minCount"][0]), _triples(CASES["minCount"][1])
    store = data.store()
    for focus, expected in (({EX + "good"}, 0), ({EX + "bad"}, 1), ({EX + "good", EX + "bad"}, 1)):
        [query] = shape_queries.candidate_queries(shapes, rdflib.URIRef(EX + "S"), store, focus)
        assert "VALUES ?this" in query
        assert len(list(store.query(query))) == expected
        out, counts = shape_queries.core_shapes_in_store(shapes, store, focus)
        assert counts == {EX + "S": expected}
    # a focus too large to name in a query is filtered from the answers instead
    many = {f"{EX}n{i}" for i in range(shape_queries.FOCUS_IN_QUERY_LIMIT)} | {EX + "bad"}
    [query] = shape_queries.candidate_queries(shapes, rdflib.URIRef(EX + "S"), store, many)
    assert "VALUES ?this" not in query
    assert shape_queries.core_shapes_in_store(shapes, store, many)[1] == {EX + "S": 1}


def test_on_conforming_data_the_engine_does_not_run(monkeypatch):
    """Nothing can fail once the store has let every focus node through, so the engine is not started."""
    import pyshacl_turbo

    def not_expected(*_args, **_kwargs):
        raise AssertionError("the SHACL engine was started on conforming data")

    shape_ttl, data_ttl = CASES["class"]
    shapes = _shapes(shape_ttl)
    conforming = _triples(data_ttl.replace("ex:bad a ex:T ; ex:p ex:x .", ""))
    monkeypatch.setattr(pyshacl_turbo, "compile_shapes", not_expected)
    assert validate_triples(conforming, shapes=shapes, ontology=rdflib.Graph()).results == []
    with pytest.raises(AssertionError, match="engine was started"):
        validate_triples(_triples(data_ttl), shapes=shapes, ontology=rdflib.Graph())


def test_many_candidates_are_checked_on_the_whole_text(monkeypatch):
    """Past NEIGHBOURHOOD_LIMIT candidates, walking their neighbourhoods would cost more than the engine's parse."""
    shapes = _shapes("ex:S sh:targetNode ex:a , ex:b ; sh:property [ sh:path ex:p ; sh:maxInclusive 5 ] .")
    data = _triples("ex:a ex:p 9 . ex:b ex:p 8 .")
    store = data.store()
    engine_shapes, _counts = shape_queries.core_shapes_in_store(shapes, store)
    lines = shape_queries.neighbourhood_lines(engine_shapes, store, data.lines)
    integer = "<http://www.w3.org/2001/XMLSchema#integer>"
    assert lines is not None and set(lines.decode().splitlines()) == {
        f'<{EX}a> <{EX}p> "9"^^{integer} .', f'<{EX}b> <{EX}p> "8"^^{integer} .'}
    monkeypatch.setattr(shape_queries, "NEIGHBOURHOOD_LIMIT", 1)
    assert shape_queries.neighbourhood_lines(engine_shapes, store, data.lines) is None
    assert {r.focus_node for r in validate_triples(data, shapes=shapes, ontology=rdflib.Graph()).results} \
        == {EX + "a", EX + "b"}
