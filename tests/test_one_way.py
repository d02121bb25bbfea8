"""One way to say each thing: units, counts, comparisons, preferred readings, typed values, value lists.

Each test pins one modelling decision on the curated sources (the `kg` fixture: ontology + graph, no
inference), so that a second way of saying the same fact cannot come back unnoticed. The expected sets are
the review's own figures.
"""
from __future__ import annotations

from decimal import Decimal as D

BKD = "https://w3id.org/ballkg/data/"
PREFIXES = """
PREFIX : <https://w3id.org/ballkg/ontology#>
PREFIX bkd: <https://w3id.org/ballkg/data/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
"""


def rows(kg, query: str) -> list:
    return list(kg.query(PREFIXES + query))


def local(term) -> str | None:
    return None if term is None else str(term).replace(BKD, "")


def py(term):
    return None if term is None else term.toPython()


# ---------------------------------------------------------------------------------------------- units
DOSE_UNITS = {"mg-per-m2": "mg/m2", "mg-per-m2-per-day": "mg/m2/d", "ug-per-m2-per-day": "ug/m2/d",
              "g-per-m2-per-day": "g/m2/d", "mg-per-kg": "mg/kg", "mg": "mg", "cells-per-kg": "{cells}/kg",
              "cells": "{cells}"}


def test_doses_use_unit_nodes_with_ucum_codes(kg):
    got = {(local(r.unit), str(r.code)) for r in rows(kg, """
        SELECT DISTINCT ?unit ?code WHERE { ?d a :DoseSpecification ; :hasUnit ?unit . ?unit :ucumCode ?code }""")}
    assert got == set(DOSE_UNITS.items())
    assert not rows(kg, "SELECT ?s WHERE { ?s <https://w3id.org/ballkg/ontology#doseUnit> ?o }")
    # 25 dose specifications carry a unit; 24 give an amount (the 25th, SAR3419 phase I, holds the MTD schedule)
    amounts = rows(kg, """SELECT DISTINCT ?d WHERE { ?d a :DoseSpecification .
        { ?d :doseValue ?x } UNION { ?d :doseMin ?x } UNION { ?d :doseLevel ?x } }""")
    assert len(amounts) == 24
    assert not rows(kg, """SELECT ?d WHERE { ?d a :DoseSpecification .
        { ?d :doseValue ?x } UNION { ?d :doseMin ?x } UNION { ?d :doseLevel ?x } FILTER NOT EXISTS { ?d :hasUnit ?u } }""")


def test_every_unit_has_one_ucum_code(kg):
    units = {local(r.u): [str(c.c) for c in rows(kg, f"SELECT ?c WHERE {{ <{r.u}> :ucumCode ?c }}")]
             for r in rows(kg, "SELECT ?u WHERE { ?u a :Unit }")}
    assert all(len(codes) == 1 for codes in units.values()), units
    assert {u: c[0] for u, c in units.items()} == {
        "percent": "%", "months": "mo", "weeks": "wk", "days": "d", "hours": "h", "fold": "{fold}", "ratio": "1",
        "cycles": "{cycles}", **DOSE_UNITS}


# ---------------------------------------------------------------------------------------------- counts
COUNTS = {  # outcome -> (numerator, denominator): the review's "n of N patients" figures
    "om-rocket-deaths-2016-11": (2, None), "om-rocket-deaths-2016-07": (3, None), "om-brudno-remission": (8, 20),
    "om-brudno-new-gvhd": (0, 20), "om-baylor-gvhd": (0, None), "om-cai-mrd-negative-cr": (1, None),
    "om-cai-full-donor-engraftment": (1, None), "om-sgn-cd19a-phase1-orr-weekly": (6, 25),
    "om-sgn-cd19a-phase1-orr-q3w": (4, 8), "om-epratuzumab-swog-cr-table": (10, 31),
    "om-epratuzumab-swog-cri-table": (6, 31), "om-epratuzumab-hyper-cvad-death-aplasia": (3, None),
    "om-epratuzumab-hyper-cvad-death-progression": (23, None), "om-epratuzumab-hyper-cvad-death-organ-failure": (1, None),
    "om-epratuzumab-hyper-cvad-ongoing-cr": (3, None), "om-ino-mini-hcvd-elderly-cr": (35, 42),
    "om-ino-mini-hcvd-elderly-crp": (5, 42), "om-calgb-alemtuzumab-mrd-1-log": (8, 11),
    "om-alemtuzumab-gcsf-cr": (4, 12),
}


def test_counts_are_numerators_never_values(kg):
    got = {local(r.o): (py(r.n), py(r.d)) for r in rows(kg, """
        SELECT ?o ?n ?d WHERE { ?o :hasStatistic bkd:count . OPTIONAL { ?o :numerator ?n } OPTIONAL { ?o :denominator ?d } }""")}
    for node, expected in COUNTS.items():
        assert got.pop(node) == expected, node
    # the remaining counts are those for which the review prints no number (see CURATION.md)
    assert all(n is None for n, _d in got.values()), got
    assert not rows(kg, "SELECT ?o WHERE { ?o :hasStatistic bkd:count . { ?o :value ?v } UNION { ?o :hasUnit ?u } }")


def test_a_value_in_percent_is_a_proportion_or_a_rate(kg):
    kinds = {local(r.s) for r in rows(kg, """
        SELECT DISTINCT ?s WHERE { ?o a :OutcomeMeasurement ; :hasUnit bkd:percent . OPTIONAL { ?o :hasStatistic ?s } }""")}
    assert kinds == {"proportion", "rate-at-timepoint"}


def test_rate_at_or_above_90_percent_finds_no_count(kg):
    """The 35 of 42 patients in CR (elderly INO study) is a count, not 35 %: no threshold query over values sees it."""
    hits = {local(r.o) for r in rows(kg, """
        SELECT ?o WHERE { ?o a :OutcomeMeasurement ; :hasUnit bkd:percent ; :value ?v . FILTER (?v >= 90) }""")}
    assert hits.isdisjoint(COUNTS)
    assert not rows(kg, "SELECT ?o WHERE { ?o a :OutcomeMeasurement ; :value ?v . FILTER NOT EXISTS { ?o :hasUnit ?u } }")
