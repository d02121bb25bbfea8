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
    # 26 dose specifications carry a unit; 25 give an amount (the 26th, SAR3419 phase I, holds the MTD schedule)
    amounts = rows(kg, """SELECT DISTINCT ?d WHERE { ?d a :DoseSpecification .
        { ?d :doseValue ?x } UNION { ?d :doseMin ?x } UNION { ?d :doseLevel ?x } }""")
    assert len(amounts) == 25
    assert not rows(kg, """SELECT ?d WHERE { ?d a :DoseSpecification .
        { ?d :doseValue ?x } UNION { ?d :doseMin ?x } UNION { ?d :doseLevel ?x } FILTER NOT EXISTS { ?d :hasUnit ?u } }""")


def test_every_unit_has_one_ucum_code(kg):
    units = {local(r.u): [str(c.c) for c in rows(kg, f"SELECT ?c WHERE {{ <{r.u}> :ucumCode ?c }}")]
             for r in rows(kg, "SELECT ?u WHERE { ?u a :Unit }")}
    assert all(len(codes) == 1 for codes in units.values()), units
    assert {u: c[0] for u, c in units.items()} == {
        "percent": "%", "years": "a", "months": "mo", "weeks": "wk", "days": "d", "hours": "h", "patients": "{patients}",
        "fold": "{fold}", "ratio": "1",
        "cycles": "{cycles}", **DOSE_UNITS}


# ---------------------------------------------------------------------------------------------- counts
COUNTS = {  # outcome -> (numerator, denominator): the review's "n of N patients" figures
    "om-brudno-remission": (8, 20), "om-cai-mrd-negative-cr": (1, None),
    "om-cai-full-donor-engraftment": (1, None), "om-sgn-cd19a-phase1-orr-weekly": (6, 25),
    "om-sgn-cd19a-phase1-orr-q3w": (4, 8), "om-epratuzumab-swog-cr-table": (10, 31),
    "om-epratuzumab-swog-cri-table": (6, 31),
    "om-epratuzumab-hyper-cvad-ongoing-cr": (3, None), "om-ino-mini-hcvd-elderly-cr": (35, 42),
    "om-ino-mini-hcvd-elderly-crp": (5, 42), "om-calgb-alemtuzumab-mrd-1-log": (8, 11),
    "om-alemtuzumab-gcsf-cr": (4, 12), "om-alemtuzumab-gcsf-progression": (12, 12),   # all 12 progressed
}


def test_counts_are_numerators_never_values(kg):
    got = {local(r.o): (py(r.n), py(r.d)) for r in rows(kg, """
        SELECT ?o ?n ?d WHERE { ?o :hasStatistic bkd:count . OPTIONAL { ?o :numerator ?n } OPTIONAL { ?o :denominator ?d } }""")}
    for node, expected in COUNTS.items():
        assert got.pop(node) == expected, node
    # every count has its number: a measurement without one is a comparison or another kind of finding
    assert got == {}, got
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


# ---------------------------------------------------------------------------------------------- comparisons
# subject -> (reference, p-value relation, p-value, hazard ratio): every p-value and hazard ratio of the review
STATISTICS = {
    "om-blast-os-median-mrd-cr-cycle1": ("om-blast-os-median-no-mrd-cr-cycle1", "=", D("0.001"), None),
    "om-blast-rfs-median-mrd-cr-cycle1": ("om-blast-rfs-median-no-mrd-cr-cycle1", "=", D("0.002"), None),
    "om-epratuzumab-cog-pediatric-mrd-negativity": ("om-epratuzumab-cog-pediatric-mrd-negativity-historical", "=",
                                                    D("0.001"), None),
    "om-graall-cd20-prognosis-relapse-cd20-positive": ("om-graall-cd20-prognosis-relapse-cd20-negative", "=", D("0.04"), None),
    "om-graall-cir-2y-rituximab": ("om-graall-cir-2y-control", "=", D("0.02"), None),
    "om-graall-efs-2y-rituximab": ("om-graall-efs-2y-control", "=", D("0.038"), None),
    "om-graall-os-2y-rituximab": ("om-graall-os-2y-control", "=", D("0.095"), None),
    "om-graall-efs-2y-censored-rituximab": ("om-graall-efs-2y-censored-control", "=", D("0.021"), None),
    "om-graall-os-2y-censored-rituximab": ("om-graall-os-2y-censored-control", "=", D("0.018"), None),
    "om-ino-phase3-cr-ino": ("om-ino-phase3-cr-standard", "<", D("0.001"), None),
    "om-ino-phase3-mrd-negativity-ino": ("om-ino-phase3-mrd-negativity-standard", "<", D("0.001"), None),
    "om-ino-phase3-pfs-median-ino": ("om-ino-phase3-pfs-median-standard", "<", D("0.001"), None),
    "om-ino-phase3-os-median-ino": ("om-ino-phase3-os-median-standard", "=", D("0.04"), None),
    "om-ino-mini-hcvd-rr-pfs-2y": ("om-ino-mini-hcvd-rr-pfs-2y-historical", "=", D("0.20"), None),
    "om-ino-mini-hcvd-rr-os-2y": ("om-ino-mini-hcvd-rr-os-2y-historical", "=", D("0.01"), None),
    "om-mdacc-rituximab-crd-under60-rituximab": ("om-mdacc-rituximab-crd-under60-control", "<", D("0.001"), None),
    "om-mdacc-rituximab-os-under60-rituximab": ("om-mdacc-rituximab-os-under60-control", "=", D("0.003"), None),
    "om-nci-relapse-hsct": ("om-nci-relapse-no-hsct", "=", D("0.0001"), None),
    "om-ofatumumab-hcvad-os-3y-cd20-low": ("om-ofatumumab-hcvad-os-3y-cd20-high", "=", D("0.96"), None),
    # groups without a printed value: the comparison names the subgroups
    "subgroup-nci-hsct-after-car-t": ("subgroup-nci-no-hsct-after-car-t", "=", D("0.0006"), D("16.9")),
    "subgroup-loss-of-functional-car-t-persistence": ("subgroup-kept-functional-car-t-persistence", "=", D("0.013"), D("34.0")),
}


def test_p_values_and_hazard_ratios_sit_on_comparisons(kg):
    got = {}
    for r in rows(kg, """SELECT ?subject ?reference ?rel ?p ?hr WHERE { ?c a :Comparison ; :pValue ?p .
            OPTIONAL { ?c :pValueRelation ?rel } OPTIONAL { ?c :hazardRatio ?hr }
            { ?c :comparesMeasurement ?subject ; :hasReferenceMeasurement ?reference }
            UNION { ?c :comparesGroup ?subject ; :hasReferenceGroup ?reference } }"""):
        got.setdefault(local(r.subject), set()).add((local(r.reference), str(r.rel), py(r.p), py(r.hr)))
    # the older-patient INO study compares its 3-year OS (p = 0.05) with both readings of its historical control
    assert got.pop("om-ino-mini-hcvd-elderly-os-3y") == {
        ("om-ino-mini-hcvd-elderly-os-3y-historical-text", "=", D("0.05"), None),
        ("om-ino-mini-hcvd-elderly-os-3y-historical-table", "=", D("0.05"), None)}
    assert got == {k: {v} for k, v in STATISTICS.items()}
    assert not rows(kg, """SELECT ?s WHERE { ?s a ?type . FILTER (?type != :Comparison)
        { ?s :pValue ?x } UNION { ?s :hazardRatio ?x } UNION { ?s :pValueRelation ?x } }""")
    assert not rows(kg, "SELECT ?s WHERE { ?s <https://w3id.org/ballkg/ontology#comparedWith> ?o }")


def test_every_comparison_names_its_reference_and_endpoint(kg):
    assert len(rows(kg, "SELECT ?c WHERE { ?c a :Comparison }")) == 33   # with GRAALL's "worse" EFS of CD20+ patients
    assert not rows(kg, """SELECT ?c WHERE { ?c a :Comparison .
        FILTER NOT EXISTS { ?c :measures ?e }
        FILTER NOT EXISTS { ?c :hasReferenceMeasurement ?r } FILTER NOT EXISTS { ?c :hasReferenceGroup ?g } }""")


def test_a_comparative_finding_has_one_subject_and_one_comparator(kg):
    assert not rows(kg, """SELECT ?f WHERE { ?f a :ComparativeFinding ; :aboutIntervention ?a1 , ?a2 . FILTER (?a1 != ?a2) }""")
    assert not rows(kg, """SELECT ?f WHERE { ?f a :ComparativeFinding ; :comparedWithIntervention ?c1 , ?c2 .
        FILTER (?c1 != ?c2) }""")
    # the background's "BiTEs and CAR T cells vs naked and conjugated antibodies" became four findings per attribute
    assert len(rows(kg, """SELECT ?f WHERE { ?f a :ComparativeFinding ; :concernsAttribute bkd:potency ;
        :statedIn bkd:sec-background }""")) == 4


# ---------------------------------------------------------------------------------------------- text/table twins
PREFERRED = {  # discrepancy -> (preferred reading, alternative reading); the table reading by the CURATION.md rule
    "disc-mskcc-mrd-negativity": {("om-mskcc-mrd-negativity-table", "om-mskcc-mrd-negativity-text")},
    "disc-blast-mrd-response-text-vs-table": {("om-blast-complete-mrd-response-cycle1-table",
                                               "om-blast-complete-mrd-response-cycle1-text")},
    "disc-ino-single-dose-os-text-vs-table": {("om-ino-weekly-os-median-single-dose", "om-ino-single-dose-os-median")},
    "disc-ino-mini-hcvd-elderly-comparator": {("om-ino-mini-hcvd-elderly-os-3y-historical-table",
                                               "om-ino-mini-hcvd-elderly-os-3y-historical-text"),
                                              ("cmp-ino-mini-hcvd-elderly-os-3y-table", "cmp-ino-mini-hcvd-elderly-os-3y-text")},
    "disc-epratuzumab-reference-swap": {("om-epratuzumab-swog-cr-cri-table", "om-epratuzumab-swog-response-text"),
                                        ("om-epratuzumab-hyper-cvad-orr-table", "om-epratuzumab-hyper-cvad-orr-text")},
}
# the review's wording vs a reference record: the record's reading is preferred (graph/CURATION.md)
PREFERRED_OVER_REVIEW_WORDING = {
    f"disc-{key}-reference-record": {(f"finding-{key}-reference-reading", f"finding-{key}-review-reading")}
    for key in ("tocilizumab-target", "rituximab-origin", "alemtuzumab-origin")}


def test_each_pair_of_readings_has_one_preferred_reading_reachable_from_its_discrepancy(kg):
    got = {}
    for r in rows(kg, """SELECT ?d ?yes ?no WHERE { ?d :involves ?yes , ?no . ?yes :isPreferredReading true ;
            a ?kind . ?no :isPreferredReading false ; a ?kind .
            { ?yes :measures ?e . ?no :measures ?e2 } UNION { ?yes a :Comparison . ?no a :Comparison } }"""):
        got.setdefault(local(r.d), set()).add((local(r.yes), local(r.no)))
    # the SWOG readings name different endpoints (response vs CR/CRi), so they pair through the discrepancy only
    assert {d: {p for p in pairs if p in PREFERRED.get(d, set())} for d, pairs in got.items()} == PREFERRED
    flagged = {local(r.o) for r in rows(kg, "SELECT ?o WHERE { ?o :isPreferredReading ?f }")}
    assert flagged == {n for pairs in (*PREFERRED.values(), *PREFERRED_OVER_REVIEW_WORDING.values())
                       for pair in pairs for n in pair}
    wording = {}
    for r in rows(kg, """SELECT ?d ?yes ?no WHERE { ?d :involves ?yes , ?no . ?yes :isPreferredReading true ;
            a :AgentDescriptionFinding . ?no :isPreferredReading false ; a :AgentDescriptionFinding }"""):
        wording.setdefault(local(r.d), set()).add((local(r.yes), local(r.no)))
    assert wording == PREFERRED_OVER_REVIEW_WORDING


def test_aggregate_counts_each_result_once(release):
    from ballkg.api import run_stored

    def outcomes(name, column="outcome", **params):
        result = run_stored(name, params, release_dir=release, rebuild=False)
        return [local(row[column]) for row in result.rows]

    alternatives = {alt for pairs in PREFERRED.values() for _yes, alt in pairs}
    mrd = outcomes("studies-with-mrd-negativity-at-or-above-a-threshold", threshold="80")
    assert "om-mskcc-mrd-negativity-table" in mrd and "om-mskcc-mrd-negativity-text" not in mrd
    for name in ("survival-rates-at-time-points", "median-survival-and-response-durations",
                 "studies-with-mrd-negativity-at-or-above-a-threshold"):
        assert alternatives.isdisjoint(outcomes(name)), name
    assert alternatives.isdisjoint(outcomes("comparisons-with-historical-controls", "comparison"))


# ---------------------------------------------------------------------------------------------- value lists
def test_every_controlled_term_is_a_skos_concept_in_the_scheme_of_its_value_list(kg):
    terms = {local(r.t) for r in rows(kg, """SELECT DISTINCT ?t WHERE { ?t a/rdfs:subClassOf* :ControlledTerm .
        FILTER STRSTARTS(STR(?t), "https://w3id.org/ballkg/data/") }""")}
    in_one_scheme = {local(r.t) for r in rows(kg, """SELECT ?t WHERE { ?t a skos:Concept ; skos:inScheme ?s .
        ?s a skos:ConceptScheme } GROUP BY ?t HAVING (COUNT(DISTINCT ?s) = 1)""")}
    assert terms == in_one_scheme
    # members of one scheme share their value-list class
    assert not rows(kg, """SELECT ?s WHERE { ?a skos:inScheme ?s ; a ?ca . ?b skos:inScheme ?s ; a ?cb .
        ?ca rdfs:subClassOf+ :ControlledTerm . ?cb rdfs:subClassOf+ :ControlledTerm .
        FILTER NOT EXISTS { ?ca rdfs:subClassOf* ?common . ?cb rdfs:subClassOf* ?common .
                            ?common rdfs:subClassOf :ControlledTerm } }""")
    # OWL 2 DL typing that Protégé needs
    for term, kind in (("Concept", "Class"), ("ConceptScheme", "Class"), ("inScheme", "ObjectProperty"),
                       ("broader", "ObjectProperty")):
        assert rows(kg, f"ASK {{ skos:{term} a owl:{kind} }}")[0]


def test_severity_is_split_into_four_value_lists(kg):
    got = {}
    for r in rows(kg, "SELECT ?c ?t WHERE { ?c rdfs:subClassOf :Severity . ?t a ?c }"):
        got.setdefault(str(r.c).rsplit("#", 1)[1], set()).add(local(r.t))
    assert got == {"ToxicityGrade": {"grade-1-2", "grade-3-4"}, "DescriptiveSeverity": {"mild", "mild-to-moderate", "severe"},
                   "Seriousness": {"serious", "life-threatening"}, "EventOutcome": {"fatal"}}
    assert not rows(kg, "SELECT ?t WHERE { ?t a :Severity }")
    # one property per list, with the list as its range, at most one value of each per report
    assert not rows(kg, "SELECT ?r WHERE { ?r :hasSeverity ?s }")
    prop_of = {"ToxicityGrade": "hasToxicityGrade", "DescriptiveSeverity": "hasDescriptiveSeverity",
               "Seriousness": "hasSeriousness", "EventOutcome": "hasEventOutcome"}
    for cls, prop in prop_of.items():
        assert rows(kg, f"ASK {{ :{prop} rdfs:range :{cls} ; rdfs:domain :AdverseEventReport }}")[0], prop
        assert not rows(kg, f"SELECT ?r WHERE {{ ?r :{prop} ?v . FILTER NOT EXISTS {{ ?v a :{cls} }} }}"), prop
        assert not rows(kg, f"SELECT ?r WHERE {{ ?r :{prop} ?a , ?b . FILTER (?a != ?b) }}"), prop
    used = {str(r.p).rsplit("#", 1)[1]: int(r.n) for r in rows(kg, """SELECT ?p (COUNT(?r) AS ?n) WHERE {
        ?r ?p ?v . VALUES ?p { :hasToxicityGrade :hasDescriptiveSeverity :hasSeriousness :hasEventOutcome } } GROUP BY ?p""")}
    assert set(used) == set(prop_of.values())


ANY_REMISSION = {  # the review's remission figures of every kind, by the endpoint they report
    "remission": {"om-brudno-remission"},
    "complete-remission": {
        "om-background-cr-adults", "om-mskcc-cr", "om-nci-cr", "om-zuma-cr", "om-fhcrc-cr", "om-upenn-ctl019-cr",
        "om-eliana-cr", "om-ctl119-cr", "om-ctl119-cr-prior-car-t", "om-ctl119-cr-car-naive", "om-car-t-review-summary-cr",
        "om-graall-cr-rituximab", "om-graall-cr-control", "om-ofatumumab-hcvad-cr-cycle1", "om-epratuzumab-cog-pediatric-cr",
        "om-epratuzumab-cog-pediatric-cr-historical", "om-epratuzumab-swog-cr-table", "om-epratuzumab-hyper-cvad-cr",
        "om-epratuzumab-hyper-cvad-ongoing-cr", "om-ino-single-dose-cr", "om-ino-weekly-cr", "om-ino-phase3-cr-ino",
        "om-ino-phase3-cr-standard", "om-ino-mini-hcvd-rr-cr", "om-ino-mini-hcvd-elderly-cr", "om-alemtuzumab-gcsf-cr"},
    "cr-incomplete-recovery": {"om-epratuzumab-swog-cri-table", "om-epratuzumab-hyper-cvad-cri", "om-ino-single-dose-cri",
                               "om-ino-mini-hcvd-rr-cri"},
    "cr-incomplete-platelet-recovery": {"om-ino-weekly-crp", "om-ino-mini-hcvd-rr-crp", "om-ino-mini-hcvd-elderly-crp"},
    "cr-or-cri": {"om-ensign-orr", "om-blinatumomab-rr-phase2-cr-cri", "om-blinatumomab-rr-high-burden-cr-cri",
                  "om-epratuzumab-swog-cr-cri-table"},
    "cr-or-crp": {"om-ino-mini-hcvd-elderly-cr-crp"},
    "marrow-cr": {"om-ino-weekly-marrow-cr"},
}


def test_any_remission_finds_every_kind_of_remission(release):
    from ballkg.api import run_stored

    result = run_stored("remission-or-response-of-any-kind", {}, release_dir=release, rebuild=False)
    got = {}
    for row in result.rows:
        got.setdefault(local(row["measuredEndpoint"]), set()).add(local(row["outcome"]))
    assert got == ANY_REMISSION
    # CR lies within CR/CRi: asking for CR/CRi also finds the CR and CRi figures, but no CRp or marrow CR
    result = run_stored("remission-or-response-of-any-kind", {"endpoint": "cr-or-cri"}, release_dir=release, rebuild=False)
    assert {local(row["measuredEndpoint"]) for row in result.rows} == {"cr-or-cri", "complete-remission",
                                                                        "cr-incomplete-recovery"}


# ---------------------------------------------------------------------------------------------- classes
def test_only_clinical_trials_have_a_phase_and_analyses_point_to_their_trial(kg):
    assert not rows(kg, "SELECT ?s WHERE { ?s :hasPhase ?p . FILTER NOT EXISTS { ?s a :ClinicalTrial } }")
    # the blinatumomab pharmacokinetic analyses [23, 24] come from the phase II MRD trial [24]
    assert {(local(r.a), local(r.t), local(r.p)) for r in rows(kg, """SELECT ?a ?t ?p WHERE {
        ?a a :CohortAnalysis ; :analysisOf ?t . ?t a :ClinicalTrial ; :hasPhase ?p }""")} == {
        ("study-blinatumomab-pk", "study-blinatumomab-mrd-phase2", "phase-2")}


def test_a_case_report_is_a_study_of_a_few_patients(kg):
    sizes = {local(r.s): py(r.n) for r in rows(kg, """SELECT ?s ?n WHERE {
        ?s a :CaseReport ; :hasPopulation/:enrolledCount ?n }""")}
    # Dai: three patients [63]; Cai: one patient [65]; Lacey: one case [78]
    assert sizes == {"study-dai-donor-car-t": 3, "study-cai-haploidentical-car-t": 1,
                     "study-lacey-car19-transduced-leukemia": 1}
    assert rows(kg, "ASK { :CaseReport rdfs:subClassOf :Study }")[0]


AGENT_ONLY = (":doseOf", ":hasComponent", ":hasAlternativeComponent", ":hasOptionalComponent",
              ":hasLymphodepletionOption")


def test_an_agent_is_never_a_procedure(kg):
    # one of the three disjoint kinds per intervention, and :Intervention is exactly their union
    assert not rows(kg, """SELECT ?x WHERE { ?x a/rdfs:subClassOf* ?k1 , ?k2 .
        VALUES (?k1 ?k2) { (:TherapeuticAgent :Procedure) (:TherapeuticAgent :TreatmentRegimen)
                           (:TreatmentRegimen :Procedure) } }""")
    assert rows(kg, """ASK {
        :Intervention owl:equivalentClass ?u . ?u owl:unionOf ?l .
        ?l <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest>*/<http://www.w3.org/1999/02/22-rdf-syntax-ns#first>
           :TherapeuticAgent , :TreatmentRegimen , :Procedure }""")[0]
    # a procedure is never dosed, never a part of a regimen, never a conditioning option, and has no target
    for prop in AGENT_ONLY:
        assert not rows(kg, f"SELECT ?s WHERE {{ ?s {prop} ?p . ?p a :Procedure }}"), prop
    assert not rows(kg, "SELECT ?p WHERE { ?p a :Procedure ; :hasTarget|:hasMechanism ?x }")
    # what arms receive still spans all three kinds
    kinds = {str(r.k).rsplit("#", 1)[1] for r in rows(kg, """SELECT DISTINCT ?k WHERE {
        ?arm :receivesIntervention ?i . ?i a/rdfs:subClassOf* ?k .
        VALUES ?k { :TherapeuticAgent :TreatmentRegimen :Procedure } }""")}
    assert kinds == {"TherapeuticAgent", "TreatmentRegimen", "Procedure"}


MOUSE_CAR_T = {"m1928z-car-t", "m19delta-car-t", "m19bbz-car-t"}


def test_mouse_model_car_t_cells_have_a_species_and_target_mouse_cd19(kg):
    got = {(local(r.p), local(r.t), local(r.tt)) for r in rows(kg, """SELECT ?p ?t ?tt WHERE {
        ?p a :PreclinicalCARTCells ; :inTaxon ?x ; :hasTarget ?t . ?t :inTaxon ?tt }""")}
    assert got == {(p, "mouse-cd19", "mus-musculus") for p in MOUSE_CAR_T}
    assert {local(r.p) for r in rows(kg, "SELECT ?p WHERE { ?p :inTaxon bkd:mus-musculus ; a :PreclinicalCARTCells }")} == MOUSE_CAR_T
    # no CAR T-cell product (a patient product) targets mouse CD19, and no preclinical cells target human CD19
    assert not rows(kg, "SELECT ?p WHERE { ?p a :CARTCellProduct ; :hasTarget bkd:mouse-cd19 }")
    assert not rows(kg, "SELECT ?p WHERE { ?p a :PreclinicalCARTCells ; :hasTarget bkd:cd19 }")
    assert not rows(kg, "SELECT ?p WHERE { ?p a :PreclinicalCARTCells , :CARTCellProduct }")
    assert rows(kg, "ASK { bkd:cd19 :inTaxon bkd:homo-sapiens }")[0]


# ---------------------------------------------------------------------------------------------- condition logic
def _conditions(kg, prop):
    out = {}
    for r in rows(kg, f"SELECT ?s ?c WHERE {{ ?s {prop} ?c }}"):
        out.setdefault(local(r.s), set()).add(local(r.c))
    return out


def test_several_conditions_say_whether_they_mean_all_any_or_allowed(kg):
    # all of: Ph-negative precursor-B (or B-lineage) ALL, both conditions of every patient
    assert {s: c for s, c in _conditions(kg, ":hasCondition").items() if len(c) > 1} == {
        "pop-blinatumomab-rr-phase2": {"pre-b-all", "ph-negative-all"}, "pop-blast": {"pre-b-all", "ph-negative-all"},
        "pop-graall-rituximab": {"pre-b-all", "ph-negative-all"}, "pop-mdacc-rituximab": {"b-all", "ph-negative-all"},
        "pop-epratuzumab-swog": {"b-all", "ph-negative-all"}}
    # any of: a group or finding that spans several diseases (each case has one; the finding holds in each)
    assert _conditions(kg, ":hasAlternativeCondition") == {
        "finding-cd19-expression": {"pre-b-all", "mature-b-all"},
        "finding-cd22-expression": {"pre-b-all", "mature-b-all"},
        "finding-cd52-expression": {"t-all", "pre-b-all"},
        "finding-alemtuzumab-development-limited": {"t-all", "b-all"},
        "finding-rituximab-efficacy-nhl-burkitt": {"non-hodgkin-lymphoma", "burkitt-lymphoma-leukemia"},
        "finding-juno-4-1bb-products-lower-toxicity-jcar014-vs-jcar015": {"all", "b-cell-malignancy"},
        "finding-juno-4-1bb-products-lower-toxicity-jcar017-vs-jcar015": {"all", "b-cell-malignancy"},
        "study-sar3419-xenograft": {"pre-b-all", "mll-rearranged-leukemia"},
        "pop-sgn-cd19a-phase1": {"all", "lymphoma"}}
    # allowed, not required: "including Ph+ ALL" (MSKCC), "Ph+ ALL and low-burden CNS disease are eligible" (ZUMA)
    assert _conditions(kg, ":allowsCondition") == {"pop-mskcc-jcar015": {"ph-positive-all"},
                                                   "pop-zuma-3": {"ph-positive-all", "cns-disease"},
                                                   "pop-zuma-4": {"ph-positive-all", "cns-disease"}}
    # a disease has one logic per node
    assert not rows(kg, """SELECT ?s WHERE { ?s :hasCondition ?c . { ?s :allowsCondition ?c }
        UNION { ?s :hasAlternativeCondition ?c } }""")


# ---------------------------------------------------------------------------------------------- one study per registry record
def test_no_study_has_two_registry_ids_or_two_acronyms(kg):
    """Two registry numbers are two studies; a result reported for both is a pooled analysis naming them."""
    assert rows(kg, """
        SELECT ?s WHERE { ?s :registryId ?a , ?b . FILTER (?a != ?b) }""") == []
    assert rows(kg, """
        SELECT ?s WHERE { ?s :studyAcronym ?a , ?b . FILTER (?a != ?b) }""") == []
    got = {(local(r.s), str(r.id), str(r.acronym)) for r in rows(kg, """
        SELECT ?s ?id ?acronym WHERE { ?s :registryId ?id ; :studyAcronym ?acronym .
                                      FILTER (?id IN ("NCT02614066", "NCT02625480")) }""")}
    assert got == {("study-zuma-3", "NCT02614066", "ZUMA-3"), ("study-zuma-4", "NCT02625480", "ZUMA-4")}
    pooled = {(local(r.a), local(r.s)) for r in rows(kg, "SELECT ?a ?s WHERE { ?a a :PooledAnalysis ; :poolsStudy ?s }")}
    assert pooled == {("study-zuma-3-and-4-pooled", "study-zuma-3"), ("study-zuma-3-and-4-pooled", "study-zuma-4")}


# ---------------------------------------------------------------------------------------------- reference records
REFERENCE_FACTS = {
    # agent, property, the reference record's value (on the agent), the review's wording (a reading), record
    "disc-tocilizumab-target-reference-record": ("tocilizumab", "hasTarget", "il-6-receptor", "il-6",
                                                 "record-roactemra-smpc"),
    "disc-rituximab-origin-reference-record": ("rituximab", "hasAntibodyOrigin", "chimeric-origin",
                                               "humanized-murine-origin", "record-mabthera-smpc"),
    "disc-alemtuzumab-origin-reference-record": ("alemtuzumab", "hasAntibodyOrigin", "humanized-origin",
                                                 "fully-humanized-origin", "record-campath-label"),
}


def test_the_agent_carries_the_reference_record_fact_and_the_review_wording_is_a_reading(kg):
    discrepancies = {local(r.d) for r in rows(kg, """
        SELECT ?d WHERE { ?d :hasDiscrepancyKind bkd:differs-from-reference-record }""")}
    assert discrepancies == set(REFERENCE_FACTS)
    for disc, (agent, prop, standard, wording, record) in REFERENCE_FACTS.items():
        # the agent has the standard value only, with the record as the statement's source
        assert {local(r.o) for r in rows(kg, f"SELECT ?o WHERE {{ bkd:{agent} :{prop} ?o }}")} == {standard}
        assert {local(r.src) for r in rows(kg, f"""SELECT ?src WHERE {{ ?ax owl:annotatedSource bkd:{agent} ;
            owl:annotatedProperty :{prop} ; owl:annotatedTarget bkd:{standard} ; :statementSource ?src }}""")} == {record}
        # both readings hang off the discrepancy: the review's wording not preferred, the record's preferred
        readings = {(local(r.value), py(r.preferred), local(r.source)) for r in rows(kg, f"""
            SELECT ?value ?preferred ?source WHERE {{
                bkd:{disc} :involves ?f . ?f a :AgentDescriptionFinding ; :aboutIntervention bkd:{agent} ;
                   :isPreferredReading ?preferred ; :hasSource ?source .
                {{ ?f :statesAntibodyOrigin ?value }} UNION {{ ?f :aboutTarget ?value }} }}""")}
        assert readings == {(wording, False, "review"), (standard, True, record)}
        assert rows(kg, f"ASK {{ bkd:{disc} :involves bkd:{agent} . bkd:{agent} :hasDiscrepancy bkd:{disc} }}")[0] is True


# ---------------------------------------------------------------------------------------------- harms vs outcomes
HARMS = {  # adverse event report -> (event, numerator, denominator): deaths and GVHD are harms, never outcomes
    "ae-rocket-cerebral-edema-deaths-2016-11": ("cerebral-edema", 2, None),
    "ae-rocket-deaths-2016-07": ("death-cause-not-given", 3, None),
    "ae-epratuzumab-hyper-cvad-death-aplasia": ("death-during-aplasia", 3, None),
    "ae-epratuzumab-hyper-cvad-death-progression": ("disease-progression-fatal", 23, None),
    "ae-epratuzumab-hyper-cvad-death-organ-failure": ("multi-organ-dysfunction", 1, None),
    "ae-alemtuzumab-gcsf-deaths": ("death-cause-not-given", None, 12),          # all but one of 12 died
    "ae-brudno-donor-car-t-gvhd": ("graft-versus-host-disease", 0, 20),
    "ae-baylor-donor-car-t-gvhd": ("graft-versus-host-disease", 0, None),
    "ae-dai-donor-car-t-gvhd": ("graft-versus-host-disease", 2, 3),
    "ae-rituximab-fatal-infection-elderly-mdacc": ("infection", None, None),   # fatal infections, no count printed
}


def test_deaths_and_gvhd_are_adverse_event_reports_never_outcomes(kg):
    assert rows(kg, """SELECT ?o WHERE { ?o a :OutcomeMeasurement ; :measures ?e .
                                       FILTER (?e IN (bkd:death, bkd:new-onset-gvhd)) }""") == []
    got = {local(r.r): (local(r.e), py(r.n), py(r.d)) for r in rows(kg, """
        SELECT ?r ?e ?n ?d WHERE { ?r a :AdverseEventReport ; :reportsEvent ?e ; :forArm ?arm .
            OPTIONAL { ?r :numerator ?n } OPTIONAL { ?r :denominator ?d }
            FILTER (?e = bkd:graft-versus-host-disease || EXISTS { ?r :hasEventOutcome bkd:fatal }) }""")}
    assert got == HARMS
    # each fatal report of a trial arm says so
    assert {local(r.r) for r in rows(kg, "SELECT ?r WHERE { ?r :hasEventOutcome bkd:fatal ; :forArm ?a }")} == {
        k for k, v in HARMS.items() if v[0] != "graft-versus-host-disease"}


# ---------------------------------------------------------------------------------------------- typed values and subgroups
def test_every_measurement_has_a_value_or_a_count_and_every_subgroup_its_population_and_criterion(kg):
    assert rows(kg, """SELECT ?o WHERE { ?o a :OutcomeMeasurement .
        FILTER NOT EXISTS { ?o :value|:valueMin|:valueMax|:numerator ?x } }""") == []
    assert rows(kg, """SELECT ?s WHERE { ?s a :Subgroup .
        FILTER NOT EXISTS { ?s :subgroupOf ?p ; :hasSubgroupCriterion ?c } }""") == []
    # the parent is the population of the study whose findings use the subgroup
    assert rows(kg, """SELECT ?s ?f WHERE { ?f :inSubgroup ?s ; :inStudy ?study . ?study :hasPopulation ?pop .
        ?s :subgroupOf ?parent . FILTER NOT EXISTS { ?study :hasPopulation ?parent } }""") == []
    assert {local(r.c) for r in rows(kg, "SELECT ?c WHERE { bkd:subgroup-nci-mrd-negative-cr-hsct :hasSubgroupCriterion ?c }")} == {
        "response-status-criterion", "mrd-status-criterion", "later-transplant-criterion"}
    # the cut-offs the review prints are typed values: age < 60 / >= 60 years (MD Anderson, rituximab),
    # CD20 on < 20% / >= 20% of blasts (ofatumumab with hyper-CVAD)
    assert {(local(r.s), str(r.side).rsplit("#", 1)[1], py(r.v), local(r.u)) for r in rows(kg, """SELECT ?s ?side ?v ?u WHERE {
        ?s a :Subgroup ; ?side ?v ; :hasUnit ?u . VALUES ?side { :criterionAtLeast :criterionBelow } }""")} == {
        ("subgroup-age-under-60", "criterionBelow", 60, "years"),
        ("subgroup-age-60-or-older", "criterionAtLeast", 60, "years"),
        ("subgroup-cd20-below-20-percent", "criterionBelow", 20, "percent"),
        ("subgroup-cd20-20-percent-or-more", "criterionAtLeast", 20, "percent")}


GENERAL_FINDINGS = {
    "finding-car-components", "finding-car-gene-transfer-methods", "finding-car-t-trials-led-by-three-centres",
    "finding-ctl019-multicenter-not-yet-reproduced", "finding-donor-car-t-for-post-transplant-relapse",
    "finding-donor-car-t-preliminary-results", "finding-smith-consistent-with-dai"}


def test_findings_typed_only_as_finding_are_the_seven_general_statements_without_a_number(kg):
    """A finding that carries a number of the review is a measurement, a report or a comparison, never a bare
    :Finding (graph/CURATION.md): the seven general statements have no typed numeric value."""
    bare = {local(r.f): str(r.l) for r in rows(kg, """SELECT ?f ?l WHERE { ?f a :Finding ; rdfs:label ?l .
        FILTER NOT EXISTS { ?f a ?c . FILTER (?c != :Finding && STRSTARTS(STR(?c), STR(:))) } }""")}
    assert set(bare) == GENERAL_FINDINGS
    assert not rows(kg, """SELECT ?f WHERE { ?f a :Finding ; ?p ?v . FILTER (isLiteral(?v) && isNumeric(?v))
        FILTER NOT EXISTS { ?f a ?c . FILTER (?c != :Finding && STRSTARTS(STR(?c), STR(:))) } }""")
