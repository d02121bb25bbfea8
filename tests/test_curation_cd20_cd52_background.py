"""Curated facts of the CD20 agents, CD52 agent, Background and Conclusions parts, checked by exact value."""
from decimal import Decimal

import pytest

from kgtest import ask, dec, one, rows


# ---------------------------------------------------------------- GRAALL rituximab trial
def test_graall_cir_rituximab_arm_is_compared_with_the_control_value_30_5(kg):
    r = one(kg, """SELECT ?v ?p ?rel ?cv ?t WHERE {
        bkd:om-graall-cir-2y-rituximab :value ?v ; ^:comparesMeasurement/:pValue ?p ; ^:comparesMeasurement/:pValueRelation ?rel ; :timepointMonths ?t ;
            ^:comparesMeasurement/:hasReferenceMeasurement ?c ; :forArm bkd:arm-graall-rituximab .
        ?c :value ?cv ; :forArm bkd:arm-graall-control . }""")
    assert (dec(r.v), dec(r.p), str(r.rel), dec(r.cv), dec(r.t)) == (
        Decimal("18.0"), Decimal("0.02"), "=", Decimal("30.5"), Decimal("24.0"))


@pytest.mark.parametrize("node, value, control_value, p", [
    ("om-graall-efs-2y-rituximab", "65.0", "52.0", "0.038"),
    ("om-graall-os-2y-rituximab", "71.0", "64.0", "0.095"),
    ("om-graall-efs-2y-censored-rituximab", "66.0", "53.0", "0.021"),
    ("om-graall-os-2y-censored-rituximab", "74.0", "63.0", "0.018"),
])
def test_graall_two_year_survival_comparisons(kg, node, value, control_value, p):
    r = one(kg, f"""SELECT ?v ?cv ?p ?t ?ct ?arm WHERE {{
        bkd:{node} :value ?v ; ^:comparesMeasurement/:pValue ?p ; :timepointMonths ?t ; ^:comparesMeasurement/:hasReferenceMeasurement ?c .
        ?c :value ?cv ; :timepointMonths ?ct ; :forArm ?arm . }}""")
    assert (dec(r.v), dec(r.cv), dec(r.p)) == (Decimal(value), Decimal(control_value), Decimal(p))
    assert dec(r.t) == dec(r.ct) == Decimal("24.0")
    assert str(r.arm).endswith("arm-graall-control")


def test_graall_censored_analysis_is_a_subgroup_on_both_arms_and_stated_only_in_text(kg):
    result = rows(kg, """SELECT ?om WHERE { ?om :inSubgroup bkd:subgroup-censored-at-allo-hsct-in-cr1 ;
        :inStudy bkd:study-graall-rituximab . }""")
    assert len(result) == 4
    assert ask(kg, "bkd:subgroup-censored-at-allo-hsct-in-cr1 a :Subgroup")
    assert not ask(kg, "?om :inSubgroup bkd:subgroup-censored-at-allo-hsct-in-cr1 ; :statedIn bkd:table-1-row-2")


def test_graall_os_is_stated_in_table_row_2_and_cites_refs_9_and_10(kg):
    assert ask(kg, """bkd:om-graall-os-2y-rituximab :statedIn bkd:table-1-row-2 , bkd:sec-rituximab ;
        :citesReference bkd:ref-9 , bkd:ref-10 ; :hasAssertionKind bkd:reported-result""")


# ---------------------------------------------------------------- GRAALL CD20 prognostic analysis
def test_graall_cd20_prognosis_relapse_39_vs_20(kg):
    r = one(kg, """SELECT ?v ?cv ?p ?rel WHERE {
        bkd:study-graall-cd20-prognosis a :CohortAnalysis ; :conductedBy bkd:graall ; :citesReference bkd:ref-6 .
        bkd:om-graall-cd20-prognosis-relapse-cd20-positive :inStudy bkd:study-graall-cd20-prognosis ;
            :measures bkd:relapse-rate ; :value ?v ; ^:comparesMeasurement/:pValue ?p ; ^:comparesMeasurement/:pValueRelation ?rel ; ^:comparesMeasurement/:hasReferenceMeasurement ?c ;
            :hasRiskFactor bkd:high-white-blood-count ; :inSubgroup bkd:subgroup-cd20-positive-high-wbc-pre-b-all .
        ?c :value ?cv . }""")
    assert (dec(r.v), dec(r.cv), dec(r.p), str(r.rel)) == (Decimal("39.0"), Decimal("20.0"), Decimal("0.04"), "=")


def test_graall_cd20_prognosis_worse_efs_has_no_value(kg):
    # "worse" EFS without a figure: a comparison of the two subgroups with its direction, not a valueless measurement
    assert ask(kg, "bkd:cmp-graall-cd20-prognosis-efs-cd20-positive a :Comparison ; :measures bkd:event-free-survival ; "
                   ":hasDirection bkd:lower ; :comparesGroup bkd:subgroup-cd20-positive-high-wbc-pre-b-all ; "
                   ":hasReferenceGroup bkd:subgroup-cd20-negative-high-wbc-pre-b-all")
    assert not ask(kg, "bkd:om-graall-cd20-prognosis-efs-cd20-positive ?p ?o")


def test_cd20_expressed_in_25_percent_of_pre_b_all(kg):
    r = one(kg, """SELECT ?pct WHERE { ?f a :AntigenExpressionFinding ; :ofAntigen bkd:cd20 ;
        :hasCondition bkd:pre-b-all ; :expressionPercent ?pct ; :statedIn bkd:sec-cd20-agents . }""")
    assert dec(r.pct) == Decimal("25.0")


# ---------------------------------------------------------------- MD Anderson hyper-CVAD +/- rituximab
def test_mdacc_population_has_216_patients_median_46_from_the_table(kg):
    r = one(kg, """SELECT ?n ?med ?lo ?hi WHERE { bkd:study-mdacc-rituximab :hasPopulation ?pop ; :hasPhase bkd:phase-3 ;
        :citesReference bkd:ref-8 .
        ?pop :enrolledCount ?n ; :medianAgeYears ?med ; :observedAgeMinYears ?lo ; :observedAgeMaxYears ?hi . }""")
    assert (int(r.n), dec(r.med), dec(r.lo), dec(r.hi)) == (216, Decimal("46.0"), Decimal("16.0"), Decimal("84.0"))
    places = {str(x.loc) for x in rows(kg, "SELECT ?loc WHERE { bkd:pop-mdacc-rituximab :statedIn ?loc }")}
    # the text describes the population; its size and ages are printed in Table 1 only
    assert places == {"https://w3id.org/ballkg/data/table-1-row-1", "https://w3id.org/ballkg/data/sec-rituximab"}


@pytest.mark.parametrize("node, value, control_value, p, rel", [
    ("om-mdacc-rituximab-crd-under60-rituximab", "69.0", "38.0", "0.001", "<"),
    ("om-mdacc-rituximab-os-under60-rituximab", "71.0", "47.0", "0.003", "="),
])
def test_mdacc_under_60_comparisons(kg, node, value, control_value, p, rel):
    r = one(kg, f"""SELECT ?v ?cv ?p ?rel WHERE {{
        bkd:{node} :value ?v ; ^:comparesMeasurement/:pValue ?p ; ^:comparesMeasurement/:pValueRelation ?rel ; :inSubgroup bkd:subgroup-age-under-60 ;
            :forArm bkd:arm-mdacc-rituximab-hcvad-rituximab ; :statedIn bkd:table-1-row-1 ; ^:comparesMeasurement/:hasReferenceMeasurement ?c .
        ?c :value ?cv ; :forArm bkd:arm-mdacc-rituximab-hcvad ; :inSubgroup bkd:subgroup-age-under-60 . }}""")
    assert (dec(r.v), dec(r.cv), dec(r.p), str(r.rel)) == (
        Decimal(value), Decimal(control_value), Decimal(p), rel)


def test_mdacc_no_benefit_in_elderly_with_infection_deaths(kg):
    assert ask(kg, """bkd:finding-mdacc-rituximab-no-benefit-elderly a :ComparativeFinding ;
        :hasDirection bkd:similar ; :inSubgroup bkd:subgroup-age-60-or-older ; :hasRiskFactor bkd:infection-deaths-in-cr .
        bkd:ae-rituximab-fatal-infection-elderly-mdacc :reportsEvent bkd:infection ; :hasEventOutcome bkd:fatal""")


# ---------------------------------------------------------------- rituximab general findings
def test_rituximab_does_not_cross_bbb_and_cns_relapse(kg):
    assert ask(kg, """bkd:finding-rituximab-no-bbb-crossing a :AttributeFinding ; :aboutIntervention bkd:rituximab ;
        :concernsAttribute bkd:crosses-blood-brain-barrier ; :booleanValue false .
        bkd:finding-rituximab-cns-relapse a :ResistanceFinding ; :proposesMechanism bkd:cns-sanctuary-relapse ;
        :supportedBy bkd:finding-rituximab-no-bbb-crossing""")


def test_rituximab_low_toxicity_and_older_patients_cite_ref_11(kg):
    for node in ("finding-rituximab-low-toxicity", "finding-rituximab-older-unfit-patients"):
        assert ask(kg, f"bkd:{node} :citesReference bkd:ref-11 ; :booleanValue true")


def test_rituximab_nhl_burkitt_efficacy_cites_ref_7(kg):
    assert ask(kg, """bkd:finding-rituximab-efficacy-nhl-burkitt a :DevelopmentStatusFinding ;
        :hasAlternativeCondition bkd:non-hodgkin-lymphoma , bkd:burkitt-lymphoma-leukemia ; :citesReference bkd:ref-7""")


def test_rituximab_table_2_adverse_events(kg):
    result = {str(r.ev).rsplit("/", 1)[1] for r in rows(kg, """SELECT ?ev WHERE {
        ?ae a :AdverseEventReport ; :aboutIntervention bkd:rituximab ; :statedIn bkd:table-2-row-1 ; :reportsEvent ?ev . }""")}
    assert result == {"infusion-reaction", "mucocutaneous-reaction", "hbv-reactivation", "pml"}
    assert ask(kg, "bkd:ae-rituximab-infusion-reaction :hasDescriptiveSeverity bkd:mild-to-moderate ; :hasFrequencyDescriptor bkd:most-common")


# ---------------------------------------------------------------- ofatumumab
def test_ofatumumab_more_potent_adcc_and_cdc_than_rituximab(kg):
    result = {str(r.attr).rsplit("/", 1)[1] for r in rows(kg, """SELECT ?attr WHERE {
        ?f a :ComparativeFinding ; :aboutIntervention bkd:ofatumumab ; :comparedWithIntervention bkd:rituximab ;
           :hasDirection bkd:higher ; :concernsAttribute ?attr ; :citesReference bkd:ref-12 . }""")}
    assert result == {"adcc-potency", "cdc-potency"}


def test_ofatumumab_grade_3_4_infections_9_percent(kg):
    r = one(kg, """SELECT ?v WHERE { bkd:ae-ofatumumab-infection-grade-3-4 :value ?v ; :hasToxicityGrade bkd:grade-3-4 ;
        :reportsEvent bkd:infection ; :hasUnit bkd:percent . }""")
    assert dec(r.v) == Decimal("9.0")


def test_ofatumumab_population_55_de_novo_and_4_in_cr(kg):
    r = one(kg, """SELECT ?med ?lo ?hi WHERE { bkd:study-ofatumumab-hcvad :hasPhase bkd:phase-2 ; :hasPopulation ?pop .
        ?pop :medianAgeYears ?med ; :observedAgeMinYears ?lo ; :observedAgeMaxYears ?hi . }""")
    assert (dec(r.med), dec(r.lo), dec(r.hi)) == (Decimal("41.0"), Decimal("18.0"), Decimal("71.0"))
    counts = sorted(int(x.n) for x in rows(kg, """SELECT ?n WHERE { bkd:pop-ofatumumab-hcvad :hasSubpopulation ?s .
        ?s :enrolledCount ?n . }"""))
    assert counts == [4, 55]
    assert not ask(kg, "bkd:pop-ofatumumab-hcvad :enrolledCount ?n")


def test_ofatumumab_given_on_courses_1_and_3(kg):
    cycles = sorted(int(x.c) for x in rows(kg, "SELECT ?c WHERE { bkd:dose-ofatumumab-hcvad-ofatumumab :cycleNumber ?c }"))
    assert cycles == [1, 3]
    assert ask(kg, "bkd:dose-ofatumumab-hcvad-mtx-ara-c :doseOf bkd:mtx-ara-c ; :cyclesMax 4")


def test_ofatumumab_median_8_cycles_range_1_to_8(kg):
    r = one(kg, """SELECT ?v ?lo ?hi WHERE { bkd:om-ofatumumab-hcvad-cycles-received :value ?v ;
        :observedRangeMin ?lo ; :observedRangeMax ?hi ; :hasStatistic bkd:median . }""")
    assert (dec(r.v), dec(r.lo), dec(r.hi)) == (Decimal("8.0"), Decimal("1.0"), Decimal("8.0"))


def test_ofatumumab_cr_and_mrd(kg):
    r = one(kg, "SELECT ?v WHERE { bkd:om-ofatumumab-hcvad-cr-cycle1 :value ?v ; :assessedAt bkd:after-cycle-1 . }")
    assert dec(r.v) == Decimal("98.0")
    r = one(kg, """SELECT ?v ?n WHERE { bkd:om-ofatumumab-hcvad-mrd-negativity :value ?v ; :numerator ?n ;
        :statedIn bkd:table-1-row-3 ; :citesReference bkd:ref-13 , bkd:ref-14 . }""")
    assert (dec(r.v), int(r.n)) == (Decimal("93.0"), 53)
    assert not ask(kg, "bkd:om-ofatumumab-hcvad-mrd-negativity :denominator ?d")


@pytest.mark.parametrize("node, value", [("om-ofatumumab-hcvad-crd-3y", "78.0"), ("om-ofatumumab-hcvad-os-3y", "68.0")])
def test_ofatumumab_three_year_rates(kg, node, value):
    r = one(kg, f"SELECT ?v ?t WHERE {{ bkd:{node} :value ?v ; :timepointMonths ?t . }}")
    assert (dec(r.v), dec(r.t)) == (Decimal(value), Decimal("36.0"))


def test_ofatumumab_os_by_cd20_level(kg):
    r = one(kg, """SELECT ?v ?cv ?p WHERE { bkd:om-ofatumumab-hcvad-os-3y-cd20-low :value ?v ; ^:comparesMeasurement/:pValue ?p ;
        :inSubgroup bkd:subgroup-cd20-below-20-percent ; ^:comparesMeasurement/:hasReferenceMeasurement ?c .
        ?c :value ?cv ; :inSubgroup bkd:subgroup-cd20-20-percent-or-more . }""")
    assert (dec(r.v), dec(r.cv), dec(r.p)) == (Decimal("82.0"), Decimal("64.0"), Decimal("0.96"))


def test_ofatumumab_mrd_discrepancy(kg):
    r = one(kg, """SELECT ?cv WHERE { bkd:disc-ofatumumab-mrd-percentage a :Discrepancy ;
        :hasDiscrepancyKind bkd:arithmetic-mismatch ; :computedValue ?cv ;
        :involves bkd:om-ofatumumab-hcvad-mrd-negativity , bkd:pop-ofatumumab-hcvad-de-novo , bkd:pop-ofatumumab-hcvad-prior-cr .
        bkd:om-ofatumumab-hcvad-mrd-negativity :hasDiscrepancy bkd:disc-ofatumumab-mrd-percentage . }""")
    assert dec(r.cv) == Decimal("89.8")


def test_ofatumumab_may_overcome_rituximab_resistance(kg):
    assert ask(kg, """bkd:finding-ofatumumab-overcomes-rituximab-resistance :aboutIntervention bkd:rituximab ;
        :counteredBy bkd:ofatumumab ; :hasAssertionKind bkd:review-assessment""")


# ---------------------------------------------------------------- obinutuzumab
def test_obinutuzumab_fda_approved_for_cll(kg):
    assert ask(kg, """bkd:finding-obinutuzumab-fda-approval-cll a :DevelopmentStatusFinding ;
        :hasDevelopmentStatus bkd:approved-in-other-indication ; :hasCondition bkd:cll ; :grantedBy bkd:fda""")


def test_obinutuzumab_adcc_up_cdc_down(kg):
    assert ask(kg, "bkd:finding-obinutuzumab-adcc :concernsAttribute bkd:adcc-potency ; :hasDirection bkd:higher")
    assert ask(kg, "bkd:finding-obinutuzumab-cdc :concernsAttribute bkd:cdc-potency ; :hasDirection bkd:lower")
    for other in ("rituximab", "ofatumumab"):  # one comparative finding per comparator
        assert ask(kg, f"""bkd:finding-obinutuzumab-potency-vs-anti-cd20-obinutuzumab-vs-{other} :citesReference bkd:ref-15 ;
            :comparedWithIntervention bkd:{other} ; :hasEvidenceStatus bkd:proposed""")


def test_obinutuzumab_preclinical_only_in_all(kg):
    assert ask(kg, """bkd:study-obinutuzumab-preclinical-all a :PreclinicalStudy ; :citesReference bkd:ref-12 .
        bkd:finding-obinutuzumab-preclinical-only-in-all :hasDevelopmentStatus bkd:preclinical-only-in-all""")


# ---------------------------------------------------------------- alemtuzumab
def test_cd52_expressed_in_70_percent_of_t_and_pre_b_all(kg):
    r = one(kg, """SELECT ?pct WHERE { bkd:finding-cd52-expression :ofAntigen bkd:cd52 ;
        :hasAlternativeCondition bkd:t-all , bkd:pre-b-all ; :expressionPercent ?pct . }""")
    assert dec(r.pct) == Decimal("70.0")


def test_calgb_population_and_dose(kg):
    r = one(kg, """SELECT ?n ?med ?lo ?hi WHERE { bkd:study-calgb-alemtuzumab :hasPhase bkd:phase-1 ; :conductedBy bkd:calgb ;
        :hasPopulation ?pop . ?pop :enrolledCount ?n ; :medianAgeYears ?med ; :observedAgeMinYears ?lo ;
        :observedAgeMaxYears ?hi ; :hasDiseaseSetting bkd:first-complete-remission . }""")
    assert (int(r.n), dec(r.med), dec(r.lo), dec(r.hi)) == (24, Decimal("37.0"), Decimal("18.0"), Decimal("77.0"))
    r = one(kg, """SELECT ?dose ?unit ?perweek ?weeks ?n WHERE { bkd:arm-calgb-alemtuzumab :hasDose ?d .
        ?d :doseValue ?dose ; :hasUnit/:ucumCode ?unit ; :dosesPerWeek ?perweek ; :treatmentWeeks ?weeks ; :numberOfDoses ?n ;
           :hasRoute bkd:subcutaneous . }""")
    assert (dec(r.dose), str(r.unit), dec(r.perweek), dec(r.weeks), int(r.n)) == (
        Decimal("30.0"), "mg", Decimal("3.0"), Decimal("4.0"), 12)


def test_calgb_outcomes(kg):
    r = one(kg, "SELECT ?n ?d WHERE { bkd:om-calgb-alemtuzumab-mrd-1-log :numerator ?n ; :denominator ?d ; :statedIn bkd:table-1-row-12 . }")
    assert (int(r.n), int(r.d)) == (8, 11)
    r = one(kg, """SELECT ?os ?dfs ?fu WHERE { bkd:om-calgb-alemtuzumab-os-median :value ?os ; :hasUnit bkd:months .
        bkd:om-calgb-alemtuzumab-dfs-median :value ?dfs . bkd:study-calgb-alemtuzumab :followUpMonths ?fu . }""")
    assert (dec(r.os), dec(r.dfs), dec(r.fu)) == (Decimal("55.0"), Decimal("53.0"), Decimal("51.0"))
    assert ask(kg, "bkd:ae-alemtuzumab-cmv-viremia-calgb :reportsEvent bkd:cmv-viremia ; :citesReference bkd:ref-44")


def test_alemtuzumab_gcsf_phase_2(kg):
    r = one(kg, """SELECT ?n ?d WHERE { bkd:study-alemtuzumab-gcsf :hasPhase bkd:phase-2 ; :citesReference bkd:ref-45 .
        bkd:om-alemtuzumab-gcsf-cr :numerator ?n ; :denominator ?d ; :statedIn bkd:table-1-row-13 . }""")
    assert (int(r.n), int(r.d)) == (4, 12)
    counts = sorted(int(x.n) for x in rows(kg, """SELECT ?n WHERE { bkd:pop-alemtuzumab-gcsf :hasSubpopulation ?s .
        ?s :enrolledCount ?n . }"""))
    assert counts == [1, 11]
    r = one(kg, "SELECT ?n WHERE { bkd:pop-alemtuzumab-gcsf-relapsed :hasSubpopulation ?s . ?s :enrolledCount ?n . }")
    assert int(r.n) == 4


def test_alemtuzumab_table_2_and_development_limited(kg):
    result = {str(r.ev).rsplit("/", 1)[1] for r in rows(kg, """SELECT ?ev WHERE {
        ?ae :aboutIntervention bkd:alemtuzumab ; :statedIn bkd:table-2-row-8 ; :reportsEvent ?ev . }""")}
    assert result == {"neutropenia", "cmv-viremia"}
    assert ask(kg, """bkd:finding-alemtuzumab-development-limited :hasDevelopmentStatus bkd:development-may-be-limited ;
        :hasAssertionKind bkd:review-assessment""")


# ---------------------------------------------------------------- background
@pytest.mark.parametrize("node, lo, hi", [
    ("om-background-os-long-term-children", "80.0", "90.0"),
    ("om-background-cr-adults", "80.0", "90.0"),
    ("om-background-os-long-term-adults", "30.0", "50.0"),
    ("om-background-allo-hsct-bridging-rr", "5.0", "10.0"),
])
def test_background_value_ranges(kg, node, lo, hi):
    r = one(kg, f"SELECT ?lo ?hi WHERE {{ bkd:{node} :valueMin ?lo ; :valueMax ?hi ; :forPopulation ?pop . }}")
    assert (dec(r.lo), dec(r.hi)) == (Decimal(lo), Decimal(hi))


def test_background_rr_five_year_os_and_references(kg):
    r = one(kg, """SELECT ?v ?t WHERE { bkd:om-background-os-5y-rr :value ?v ; :timepointMonths ?t ;
        :forPopulation bkd:pop-adult-rr-all ; :citesReference bkd:ref-1 , bkd:ref-2 . }""")
    assert (dec(r.v), dec(r.t)) == (Decimal("10.0"), Decimal("60.0"))
    assert ask(kg, "bkd:om-background-allo-hsct-bridging-rr :citesReference bkd:ref-3")


@pytest.mark.parametrize("agent, value", [("clofarabine", "17.0"), ("liposomal-vincristine", "20.0")])
def test_background_single_agent_responses(kg, agent, value):
    r = one(kg, f"""SELECT ?v WHERE {{ ?om :aboutIntervention bkd:{agent} ; :forPopulation bkd:pop-adult-rr-all ;
        :value ?v ; :citesReference bkd:ref-4 , bkd:ref-5 . }}""")
    assert dec(r.v) == Decimal(value)


def test_modality_comparisons(kg):
    assert ask(kg, """bkd:finding-mabs-bite-availability-vs-car-t-bispecific-t-cell-engagers-vs-cd19-car-t-cells
        :aboutIntervention bkd:bispecific-t-cell-engagers ;
        :comparedWithIntervention bkd:cd19-car-t-cells ; :concernsAttribute bkd:availability ; :hasDirection bkd:higher""")
    assert ask(kg, """bkd:finding-car-t-no-repeat-infusion :concernsAttribute bkd:need-for-repeat-infusion ;
        :booleanValue false""")
    assert ask(kg, """bkd:finding-bite-car-t-side-effects-vs-mabs-cd19-car-t-cells-vs-antibody-drug-conjugates
        :concernsAttribute bkd:side-effect-severity ;
        :hasDirection bkd:higher ; :supportedBy bkd:ae-car-t-class-crs""")
    assert ask(kg, "bkd:naked-monoclonal-antibodies :hasMechanism bkd:adcc , bkd:cdc , bkd:direct-apoptosis-induction")


def test_conclusions(kg):
    antigens = {str(r.a).rsplit("/", 1)[1] for r in rows(kg, """SELECT ?a WHERE { ?f :ofAntigen ?a ;
        :statedIn bkd:sec-conclusions ; :hasAssertionKind bkd:review-assessment . }""")}
    assert antigens == {"cd19", "cd20", "cd22", "cd52"}
    assert ask(kg, "bkd:finding-conclusion-mabs-safety :concernsAttribute bkd:low-toxicity ; :booleanValue true")


@pytest.mark.parametrize("disc, kind, nodes", [
    ("disc-cd20-main-marker-vs-expression", "summary-vs-data",
     ["finding-conclusion-cd20-main-marker", "finding-cd20-expression-pre-b-all"]),
    ("disc-cd52-b-lineage-specificity", "summary-vs-data",
     ["finding-abstract-cd52-b-lineage-specific", "finding-cd52-expression"]),
])
def test_summary_discrepancies(kg, disc, kind, nodes):
    assert ask(kg, f"bkd:{disc} a :Discrepancy ; :hasDiscrepancyKind bkd:{kind} ; :hasSource bkd:review")
    for n in nodes:
        assert ask(kg, f"bkd:{disc} :involves bkd:{n} . bkd:{n} :hasDiscrepancy bkd:{disc}")
