"""Checks of curated facts from the review's CD19 and CD22 sections (graph/cd19-agents.ttl, graph/cd22-agents.ttl).

Each test asks the curated graph a question by SPARQL and compares the answer with the value the review prints.
"""
from __future__ import annotations

from decimal import Decimal

import pytest

from kgtest import one, rows


def values(kg, subject: str, prop: str) -> set:
    return {r[0].toPython() for r in rows(kg, f"SELECT ?v WHERE {{ {subject} {prop} ?v }}")}


def local(iri) -> str:
    return str(iri).rsplit("/", 1)[-1]


def outcome(kg, node: str) -> dict:
    """The value slots of one outcome node, as Python values (missing slots are None)."""
    r = one(kg, f"""
        SELECT ?endpoint ?stat ?value ?unit ?num ?den ?arm ?study WHERE {{
            {node} a :OutcomeMeasurement ; :measures ?endpoint ; :inStudy ?study .
            OPTIONAL {{ {node} :hasStatistic ?stat }}
            OPTIONAL {{ {node} :value ?value }}
            OPTIONAL {{ {node} :hasUnit ?unit }}
            OPTIONAL {{ {node} :numerator ?num }}
            OPTIONAL {{ {node} :denominator ?den }}
            OPTIONAL {{ {node} :forArm ?arm }}
        }}""")
    keys = ["endpoint", "stat", "value", "unit", "num", "den", "arm", "study"]
    out = {}
    for k, v in zip(keys, r):
        if v is None:
            out[k] = None
        elif k in ("endpoint", "stat", "unit", "arm", "study"):
            out[k] = local(v)
        else:
            out[k] = v.toPython()
    return out


# ---------------------------------------------------------------- targets
@pytest.mark.parametrize("antigen,section", [("cd19", "sec-cd19-agents"), ("cd22", "sec-cd22-agents")])
def test_cd19_and_cd22_are_expressed_in_90_percent_of_pre_b_and_mature_all(kg, antigen, section):
    r = rows(kg, f"""
        SELECT ?f ?pct WHERE {{
            ?f a :AntigenExpressionFinding ; :ofAntigen bkd:{antigen} ; :expressionPercent ?pct ;
               :hasAlternativeCondition bkd:pre-b-all , bkd:mature-b-all ; :statedIn bkd:{section} ; :hasSource bkd:review .
        }}""")
    assert [x.pct.toPython() for x in r] == [Decimal("90.0")]


def test_cd19_is_unsuitable_for_naked_antibodies_but_suits_conjugates(kg):
    r = rows(kg, """
        SELECT ?attr ?holds WHERE {
            ?f a :AttributeFinding ; :aboutTarget bkd:cd19 ; :concernsAttribute ?attr ; :booleanValue ?holds .
        }""")
    assert {(local(x.attr), x.holds.toPython()) for x in r} == {
        ("suitability-for-naked-antibody", False),
        ("suitability-for-conjugate", True),
    }


def test_anti_cd22_antibody_mechanisms_cite_reference_34(kg):
    assert {local(v) for v in values(kg, "bkd:anti-cd22-antibodies", ":hasMechanism")} == {
        "internalized-payload-delivery", "b-cell-signalling-modulation", "proliferation-inhibition"}
    assert {local(v) for v in values(kg, "bkd:anti-cd22-antibodies", ":citesReference")} == {"ref-34"}


# ---------------------------------------------------------------- SAR3419
def test_sar3419_phase1_mtd_is_160_mg_m2_every_3_weeks_iv(kg):
    o = outcome(kg, "bkd:om-sar3419-nhl-phase1-mtd")
    assert (o["endpoint"], o["stat"], o["value"], o["unit"]) == (
        "maximum-tolerated-dose", "dose-determination", Decimal("160.0"), "mg-per-m2")
    r = one(kg, """
        SELECT ?route ?imin ?imax WHERE {
            bkd:dose-sar3419-nhl-phase1-sar3419 :hasRoute ?route ; :intervalWeeksMin ?imin ; :intervalWeeksMax ?imax .
        }""")
    assert (local(r.route), r.imin.toPython(), r.imax.toPython()) == ("intravenous", Decimal("3.0"), Decimal("3.0"))
    assert {local(v) for v in values(kg, "bkd:study-sar3419-nhl-phase1", ":citesReference")} == {"ref-17"}


def test_sar3419_vision_toxicity_is_severe_reversible_dose_limiting_and_in_table_2_row_3(kg):
    r = one(kg, """
        SELECT ?sev ?rev ?dl WHERE {
            ?ae a :AdverseEventReport ; :aboutIntervention bkd:sar3419 ; :reportsEvent bkd:vision-changes ;
                :hasDescriptiveSeverity ?sev ; :isReversible ?rev ; :isDoseLimiting ?dl ;
                :statedIn bkd:table-2-row-3 , bkd:sec-sar3419 ; :citesReference bkd:ref-17 .
        }""")
    assert (local(r.sev), r.rev.toPython(), r.dl.toPython()) == ("severe", True, True)


def test_sar3419_xenograft_study_is_preclinical_with_ref_18(kg):
    one(kg, """
        SELECT ?s WHERE {
            ?s a :PreclinicalStudy ; :evaluatesIntervention bkd:sar3419 ; :citesReference bkd:ref-18 ;
               :hasAlternativeCondition bkd:pre-b-all , bkd:mll-rearranged-leukemia .
            ?f :inStudy ?s ; :hasEvidenceStatus bkd:shown-in-models .
        }""")


def test_sar3419_phase2_was_terminated_early_multicentre_single_arm(kg):
    r = one(kg, """
        SELECT ?nct ?reason WHERE {
            bkd:study-sar3419-phase2 :registryId ?nct ; :hasStatus bkd:terminated-early ; :statusReason ?reason ;
                :hasPhase bkd:phase-2 ; :hasDesignFeature bkd:multicenter , bkd:single-arm .
        }""")
    assert str(r.nct) == "NCT01440179"
    assert "modest" in str(r.reason)


def test_sar3419_phase2_induction_doses_and_maintenance(kg):
    assert values(kg, "bkd:dose-sar3419-phase2-sar3419-induction", ":doseLevel") == {
        Decimal("55.0"), Decimal("70.0"), Decimal("90.0")}
    assert values(kg, "bkd:dose-sar3419-phase2-sar3419-induction", ":numberOfDosesMax") == {8}
    assert values(kg, "bkd:dose-sar3419-phase2-sar3419-maintenance", ":treatmentWeeks") == {Decimal("24.0")}


def test_sar3419_phase2_estimated_orr_with_80_percent_ci(kg):
    o = outcome(kg, "bkd:om-sar3419-phase2-orr")
    assert (o["value"], o["num"], o["den"]) == (Decimal("25.5"), 4, 17)
    r = one(kg, """
        SELECT ?est ?lo ?hi ?lvl WHERE {
            bkd:om-sar3419-phase2-orr :isEstimate ?est ; :ciLower ?lo ; :ciUpper ?hi ; :ciLevelPercent ?lvl .
        }""")
    assert (r.est.toPython(), r.lo.toPython(), r.hi.toPython(), r.lvl.toPython()) == (
        True, Decimal("14.2"), Decimal("39.6"), Decimal("80.0"))


def test_sar3419_phase2_duration_of_response_and_range(kg):
    r = one(kg, """
        SELECT ?v ?lo ?hi WHERE {
            bkd:om-sar3419-phase2-dor :measures bkd:duration-of-response ; :value ?v ;
                :hasStatistic bkd:unspecified-central-value ;
                :observedRangeMin ?lo ; :observedRangeMax ?hi ; :hasUnit bkd:months .
        }""")
    assert (r.v.toPython(), r.lo.toPython(), r.hi.toPython()) == (Decimal("1.9"), Decimal("1.0"), Decimal("5.6"))


def test_sar3419_development_may_be_limited_is_review_assessment(kg):
    one(kg, """
        SELECT ?f WHERE {
            ?f a :DevelopmentStatusFinding ; :aboutIntervention bkd:sar3419 ;
               :hasDevelopmentStatus bkd:development-may-be-limited ; :hasAssertionKind bkd:review-assessment .
        }""")


# ---------------------------------------------------------------- SGN-CD19A
def test_sgn_cd19a_phase1_population_and_subpopulations(kg):
    r = one(kg, """
        SELECT ?n ?e ?nct WHERE {
            bkd:study-sgn-cd19a-phase1 :registryId ?nct ; :hasPhase bkd:phase-1 ;
                :hasDesignFeature bkd:dose-escalation ; :hasPopulation ?p .
            ?p :enrolledCount ?n ; :evaluableCount ?e .
        }""")
    assert (r.n.toPython(), r.e.toPython(), str(r.nct)) == (49, 33, "NCT01786096")
    r = rows(kg, """
        SELECT ?n ?cond WHERE { bkd:pop-sgn-cd19a-phase1 :hasSubpopulation ?s . ?s :enrolledCount ?n ; :hasCondition ?cond . }""")
    assert {(x.n.toPython(), local(x.cond)) for x in r} == {(40, "all"), (9, "lymphoma")}


def test_sgn_cd19a_dose_ranges_by_schedule(kg):
    r = rows(kg, """
        SELECT ?arm ?lo ?hi WHERE {
            ?arm :armOf bkd:study-sgn-cd19a-phase1 ; :hasDose ?d .
            ?d :doseMin ?lo ; :doseMax ?hi ; :hasUnit bkd:mg-per-kg ; :hasRoute bkd:intravenous .
        }""")
    assert {(local(x.arm), x.lo.toPython(), x.hi.toPython()) for x in r} == {
        ("arm-sgn-cd19a-phase1-weekly", Decimal("0.3"), Decimal("4.5")),
        ("arm-sgn-cd19a-phase1-q3w", Decimal("0.5"), Decimal("6.0")),
    }


def test_sgn_cd19a_objective_responses_overall_and_by_schedule(kg):
    o = outcome(kg, "bkd:om-sgn-cd19a-phase1-orr")
    assert (o["value"], o["num"], o["den"]) == (Decimal("30.0"), 10, 33)
    assert (outcome(kg, "bkd:om-sgn-cd19a-phase1-orr-weekly")["num"],
            outcome(kg, "bkd:om-sgn-cd19a-phase1-orr-weekly")["den"]) == (6, 25)
    assert (outcome(kg, "bkd:om-sgn-cd19a-phase1-orr-q3w")["num"],
            outcome(kg, "bkd:om-sgn-cd19a-phase1-orr-q3w")["den"]) == (4, 8)


def test_sgn_cd19a_keratopathy_most_common_managed_with_steroid_eye_drops(kg):
    one(kg, """
        SELECT ?ae WHERE {
            ?ae :aboutIntervention bkd:sgn-cd19a ; :reportsEvent bkd:microcystic-keratopathy ;
                :hasFrequencyDescriptor bkd:most-common ; :managedWith bkd:steroid-eye-drops ;
                :statedIn bkd:table-2-row-4 ; :citesReference bkd:ref-20 .
        }""")


# ---------------------------------------------------------------- blinatumomab pharmacology and MRD trial
def test_blinatumomab_b_cell_depletion_mean_and_range(kg):
    r = one(kg, """
        SELECT ?v ?lo ?hi WHERE {
            bkd:om-blinatumomab-pk-b-cell-depletion :hasStatistic bkd:mean ; :value ?v ; :hasUnit bkd:days ;
                :observedRangeMin ?lo ; :observedRangeMax ?hi ; :citesReference bkd:ref-23 , bkd:ref-24 .
        }""")
    assert (r.v.toPython(), r.lo.toPython(), r.hi.toPython()) == (Decimal("2.18"), Decimal("0.03"), Decimal("13.94"))


def test_blinatumomab_crs_onset_1_to_2_days(kg):
    r = one(kg, """
        SELECT ?a ?b ?ua ?ub WHERE {
            bkd:ae-blinatumomab-crs-early :reportsEvent bkd:cytokine-release-syndrome ;
                :onsetFrom ?a ; :onsetTo ?b ; :onsetFromUnit ?ua ; :onsetToUnit ?ub ; :citesReference bkd:ref-25 .
        }""")
    assert (r.a.toPython(), r.b.toPython(), local(r.ua), local(r.ub)) == (Decimal("1.0"), Decimal("2.0"), "days", "days")


def test_blinatumomab_mrd_phase2_dose_and_results(kg):
    r = one(kg, """
        SELECT ?dose ?unit ?on ?off ?n ?fu WHERE {
            bkd:study-blinatumomab-mrd-phase2 :medianFollowUpMonths ?fu ; :hasPopulation/:enrolledCount ?n ;
                :hasArm/:hasDose ?d .
            ?d :doseValue ?dose ; :hasUnit/:ucumCode ?unit ; :treatmentWeeks ?on ; :breakWeeks ?off ;
               :hasRoute bkd:continuous-intravenous-infusion .
        }""")
    assert (r.dose.toPython(), str(r.unit), r.on.toPython(), r.off.toPython(), r.n.toPython(), r.fu.toPython()) == (
        Decimal("15.0"), "ug/m2/d", Decimal("4.0"), Decimal("2.0"), 21, Decimal("33.0"))
    assert outcome(kg, "bkd:om-blinatumomab-mrd-phase2-molecular-response")["value"] == Decimal("80.0")
    assert outcome(kg, "bkd:om-blinatumomab-mrd-phase2-rfs")["value"] == Decimal("61.0")


# ---------------------------------------------------------------- BLAST
def test_blast_population_from_table_1_row_4(kg):
    r = one(kg, """
        SELECT ?n ?age ?lo ?hi ?mrd ?prior WHERE {
            bkd:study-blast :studyAcronym "BLAST" ; :hasPopulation ?p ; :statedIn bkd:table-1-row-4 ; :citesReference bkd:ref-26 .
            ?p :enrolledCount ?n ; :medianAgeYears ?age ; :observedAgeMinYears ?lo ; :observedAgeMaxYears ?hi ;
               :minimumMrdLevel ?mrd ; :minimumPriorTherapies ?prior ; :hasCondition bkd:ph-negative-all .
        }""")
    assert (r.n.toPython(), r.age.toPython(), r.lo.toPython(), r.hi.toPython(), r.mrd.toPython(), r.prior.toPython()) == (
        116, Decimal("45.0"), Decimal("18.0"), Decimal("76.0"), Decimal("0.001"), 3)


def test_blast_cycle1_mrd_response_text_and_table_readings(kg):
    text = outcome(kg, "bkd:om-blast-complete-mrd-response-cycle1-text")
    table = outcome(kg, "bkd:om-blast-complete-mrd-response-cycle1-table")
    assert (text["value"], text["num"], text["den"]) == (Decimal("76.0"), 88, 106)
    assert table["value"] == Decimal("78.0")
    assert {local(v) for v in values(kg, "bkd:om-blast-complete-mrd-response-cycle1-table", ":statedIn")} == {"table-1-row-4"}
    assert outcome(kg, "bkd:om-blast-complete-mrd-response")["value"] == Decimal("80.0")


def test_blast_median_os_rfs_and_follow_up(kg):
    assert outcome(kg, "bkd:om-blast-os-median")["value"] == Decimal("18.9")
    assert outcome(kg, "bkd:om-blast-rfs-median")["value"] == Decimal("36.5")
    assert values(kg, "bkd:study-blast", ":medianFollowUpMonths") == {Decimal("29.5")}


@pytest.mark.parametrize("endpoint,exp,comp,p", [
    ("os", Decimal("40.4"), Decimal("12.0"), Decimal("0.001")),
    ("rfs", Decimal("35.2"), Decimal("7.1"), Decimal("0.002")),
])
def test_blast_survival_by_cycle1_mrd_response(kg, endpoint, exp, comp, p):
    r = one(kg, f"""
        SELECT ?v ?cv ?p ?rel WHERE {{
            bkd:om-blast-{endpoint}-median-mrd-cr-cycle1 :value ?v ; ^:comparesMeasurement/:hasReferenceMeasurement ?c ; ^:comparesMeasurement/:pValue ?p ; ^:comparesMeasurement/:pValueRelation ?rel ;
                :inSubgroup bkd:subgroup-blast-mrd-cr-cycle1 .
            ?c :value ?cv ; :inSubgroup bkd:subgroup-blast-no-mrd-cr-cycle1 .
        }}""")
    assert (r.v.toPython(), r.cv.toPython(), r.p.toPython(), str(r.rel)) == (exp, comp, p, "=")


# ---------------------------------------------------------------- blinatumomab in R/R ALL
def test_blinatumomab_rr_phase2_population_and_response(kg):
    r = one(kg, """
        SELECT ?n ?age ?lo ?hi WHERE {
            bkd:pop-blinatumomab-rr-phase2 :enrolledCount ?n ; :medianAgeYears ?age ;
                :observedAgeMinYears ?lo ; :observedAgeMaxYears ?hi .
        }""")
    assert (r.n.toPython(), r.age.toPython(), r.lo.toPython(), r.hi.toPython()) == (
        36, Decimal("32.0"), Decimal("18.0"), Decimal("77.0"))
    o = outcome(kg, "bkd:om-blinatumomab-rr-phase2-cr-cri")
    assert (o["endpoint"], o["value"]) == ("cr-or-cri", Decimal("69.0"))
    r = one(kg, """
        SELECT ?v ?thr ?at WHERE {
            bkd:om-blinatumomab-rr-phase2-molecular-response-responders :value ?v ; :mrdThreshold ?thr ; :assessedAt ?at ;
                :statedIn bkd:table-1-row-5 .
        }""")
    assert (r.v.toPython(), r.thr.toPython(), local(r.at)) == (Decimal("88.0"), Decimal("0.0001"), "within-first-two-cycles")


@pytest.mark.parametrize("node,v,lo,hi", [
    ("om-blinatumomab-rr-phase2-os-median", Decimal("9.8"), Decimal("8.5"), Decimal("14.9")),
    ("om-blinatumomab-rr-phase2-rfs-median", Decimal("7.6"), Decimal("4.5"), Decimal("9.5")),
])
def test_blinatumomab_rr_phase2_medians_with_95_ci(kg, node, v, lo, hi):
    r = one(kg, f"""
        SELECT ?v ?lo ?hi ?lvl WHERE {{ bkd:{node} :value ?v ; :ciLower ?lo ; :ciUpper ?hi ; :ciLevelPercent ?lvl ;
            :hasStatistic bkd:median ; :citesReference bkd:ref-27 . }}""")
    assert (r.v.toPython(), r.lo.toPython(), r.hi.toPython(), r.lvl.toPython()) == (v, lo, hi, Decimal("95.0"))


def test_blinatumomab_high_burden_study_189_patients(kg):
    assert values(kg, "bkd:pop-blinatumomab-rr-high-burden", ":enrolledCount") == {189}
    assert outcome(kg, "bkd:om-blinatumomab-rr-high-burden-cr-cri")["value"] == Decimal("43.0")
    assert outcome(kg, "bkd:om-blinatumomab-rr-high-burden-os-median")["value"] == Decimal("6.1")


def test_blinatumomab_table_2_side_effects(kg):
    r = rows(kg, """
        SELECT ?event ?desc WHERE {
            ?ae a :AdverseEventReport ; :aboutIntervention bkd:blinatumomab ; :reportsEvent ?event ;
                :statedIn bkd:table-2-row-5 .
            OPTIONAL { ?ae :hasFrequencyDescriptor ?desc }
            OPTIONAL { ?ae :hasSeriousness ?desc }
        }""")
    assert {(local(x.event), local(x.desc)) for x in r} == {
        ("fever", "common"), ("chills", "common"), ("hypogammaglobulinemia", "common"),
        ("cytokine-release-syndrome", "serious"), ("neurotoxicity", "serious")}


def test_blinatumomab_resistance_mechanisms_and_references(kg):
    r = rows(kg, """
        SELECT ?mech ?ref WHERE {
            ?f a :ResistanceFinding ; :aboutIntervention bkd:blinatumomab ; :proposesMechanism ?mech ; :citesReference ?ref .
        }""")
    assert {(local(x.mech), local(x.ref)) for x in r} == {
        ("cd19-negative-subclone-selection", "ref-29"), ("regulatory-t-cell-increase", "ref-30"),
        ("pd-l1-upregulation", "ref-31"), ("pd-l1-upregulation", "ref-32")}
    assert {local(v) for v in values(kg, "bkd:finding-blinatumomab-resistance-tregs", ":hasRiskFactor")} == {"high-ldh"}


# ---------------------------------------------------------------- epratuzumab
def test_epratuzumab_pediatric_cr_and_mrd_vs_historical(kg):
    r = one(kg, """
        SELECT ?cr ?crh ?mrd ?mrdh ?p ?rel WHERE {
            bkd:om-epratuzumab-cog-pediatric-cr :value ?cr ; ^:comparesMeasurement/:hasReferenceMeasurement/:value ?crh .
            bkd:om-epratuzumab-cog-pediatric-mrd-negativity :value ?mrd ; ^:comparesMeasurement/:hasReferenceMeasurement ?h ; ^:comparesMeasurement/:pValue ?p ; ^:comparesMeasurement/:pValueRelation ?rel .
            ?h :value ?mrdh ; :forArm/:hasArmRole bkd:historical-control .
        }""")
    assert tuple(x.toPython() for x in r[:5]) == (
        Decimal("65.0"), Decimal("66.0"), Decimal("42.0"), Decimal("25.0"), Decimal("0.001"))
    assert str(r.rel) == "="
    r = one(kg, """
        SELECT ?dose ?n ?pw WHERE { bkd:dose-epratuzumab-cog-pediatric-epratuzumab :doseValue ?dose ; :numberOfDoses ?n ; :dosesPerWeek ?pw . }""")
    assert (r.dose.toPython(), r.n.toPython(), r.pw.toPython()) == (Decimal("360.0"), 4, Decimal("2.0"))


def test_epratuzumab_swog_regimen_days(kg):
    assert values(kg, "bkd:dose-epratuzumab-swog-clofarabine", ":administrationDay") == {2, 3, 4, 5, 6}
    assert values(kg, "bkd:dose-epratuzumab-swog-cytarabine", ":administrationDay") == {1, 2, 3, 4, 5}
    assert values(kg, "bkd:dose-epratuzumab-swog-epratuzumab", ":administrationDay") == {7, 14, 21, 28}
    assert values(kg, "bkd:dose-epratuzumab-swog-cytarabine", ":hasUnit/:ucumCode") == {"g/m2/d"}


def test_epratuzumab_swog_response_vs_earlier_swog_trial_and_table_counts(kg):
    r = one(kg, """
        SELECT ?v ?hv WHERE { bkd:om-epratuzumab-swog-response-text :value ?v ; ^:comparesMeasurement/:hasReferenceMeasurement ?h ; :citesReference bkd:ref-37 .
                              ?h :value ?hv ; :forArm/:receivesIntervention bkd:clofarabine-cytarabine . }""")
    assert (r.v.toPython(), r.hv.toPython()) == (Decimal("52.0"), Decimal("17.0"))
    assert outcome(kg, "bkd:om-epratuzumab-swog-cr-table")["num"] == 10
    assert outcome(kg, "bkd:om-epratuzumab-swog-cri-table")["num"] == 6
    assert outcome(kg, "bkd:om-epratuzumab-swog-os-median")["value"] == Decimal("5.0")
    assert {local(v) for v in values(kg, "bkd:om-epratuzumab-swog-cr-cri-table", ":citesReference")} == {"ref-38"}


def test_epratuzumab_planned_phase3_in_children(kg):
    one(kg, """
        SELECT ?s WHERE { ?s :registryId "NCT01802814" ; :hasPhase bkd:phase-3 ; :hasDesignFeature bkd:randomized ;
                          :hasStatus bkd:planned ; :hasPopulation/:hasAgeGroup bkd:children . }""")


def test_epratuzumab_hyper_cvad_table_row_6(kg):
    got = {local(n): (outcome(kg, f"bkd:{local(n)}")["value"], outcome(kg, f"bkd:{local(n)}")["num"])
           for n in ["om-epratuzumab-hyper-cvad-cr", "om-epratuzumab-hyper-cvad-cri", "om-epratuzumab-hyper-cvad-pr"]}
    assert got == {"om-epratuzumab-hyper-cvad-cr": (Decimal("30.0"), 9), "om-epratuzumab-hyper-cvad-cri": (Decimal("3.0"), 1),
                   "om-epratuzumab-hyper-cvad-pr": (Decimal("17.0"), 5)}
    deaths = rows(kg, """
        SELECT ?v WHERE { ?o a :AdverseEventReport ; :inStudy bkd:study-epratuzumab-hyper-cvad ; :hasEventOutcome bkd:fatal ;
                              :numerator ?v ; :statedIn bkd:table-1-row-6 . }""")
    assert sorted(x.v.toPython() for x in deaths) == [1, 3, 23]
    assert values(kg, "bkd:dose-epratuzumab-hyper-cvad-epratuzumab", ":administrationDay") == {1, 8, 15, 22}
    r = one(kg, """SELECT ?a ?lo ?hi WHERE { bkd:pop-epratuzumab-hyper-cvad :medianAgeYears ?a ;
                   :eligibleAgeMinYears ?lo ; :eligibleAgeMaxYears ?hi ; :evaluableCount 30 . }""")
    assert (r.a.toPython(), r.lo.toPython(), r.hi.toPython()) == (Decimal("35.0"), Decimal("18.0"), Decimal("59.0"))


# ---------------------------------------------------------------- inotuzumab ozogamicin
def test_ino_single_dose_phase2_results(kg):
    assert outcome(kg, "bkd:om-ino-single-dose-orr")["value"] == Decimal("57.0")
    assert outcome(kg, "bkd:om-ino-single-dose-cr")["value"] == Decimal("18.0")
    assert outcome(kg, "bkd:om-ino-single-dose-cri")["value"] == Decimal("39.0")
    assert outcome(kg, "bkd:om-ino-single-dose-os-median")["value"] == Decimal("5.1")
    assert outcome(kg, "bkd:om-ino-single-dose-os-median-responders")["value"] == Decimal("7.9")
    mrd = outcome(kg, "bkd:om-ino-single-dose-mrd-negativity")
    assert (mrd["value"], mrd["num"], mrd["den"]) == (Decimal("63.0"), 17, 27)
    assert values(kg, "bkd:ae-ino-single-dose-liver-tests-severe", ":value") == {Decimal("31.0")}


def test_ino_weekly_vs_single_dose_liver_toxicity(kg):
    r = rows(kg, """
        SELECT ?arm ?v ?n ?d WHERE {
            ?ae :reportsEvent bkd:liver-toxicity ; :inStudy bkd:study-ino-weekly ; :forArm ?arm ;
                :value ?v ; :numerator ?n ; :denominator ?d ; :citesReference bkd:ref-40 .
        }""")
    assert {(local(x.arm), x.v.toPython(), x.n.toPython(), x.d.toPython()) for x in r} == {
        ("arm-ino-weekly-weekly", Decimal("27.0"), 11, 41),
        ("arm-ino-weekly-single-dose", Decimal("57.0"), 28, 49)}


def test_ino_table_row_8_response_categories_and_survival(kg):
    for node, v, n in [("om-ino-weekly-cr", "19.0", 17), ("om-ino-weekly-crp", "30.0", 27), ("om-ino-weekly-marrow-cr", "9.0", 8)]:
        o = outcome(kg, f"bkd:{node}")
        assert (o["value"], o["num"], o["den"]) == (Decimal(v), n, 90)
    assert outcome(kg, "bkd:om-ino-weekly-orr")["value"] == Decimal("58.0")
    assert outcome(kg, "bkd:om-ino-weekly-os-median")["value"] == Decimal("6.2")
    assert outcome(kg, "bkd:om-ino-weekly-os-median-weekly")["value"] == Decimal("7.3")
    r = one(kg, "SELECT ?a ?lo ?hi WHERE { bkd:pop-ino-weekly :medianAgeYears ?a ; :observedAgeMinYears ?lo ; :observedAgeMaxYears ?hi . }")
    assert (r.a.toPython(), r.lo.toPython(), r.hi.toPython()) == (Decimal("39.5"), Decimal("4.0"), Decimal("84.0"))


def test_ino_weekly_dosing_days(kg):
    r = rows(kg, """
        SELECT ?dose ?day WHERE { bkd:arm-ino-weekly-weekly :hasDose ?d . ?d :doseValue ?dose ; :administrationDay ?day . }""")
    assert {(x.dose.toPython(), x.day.toPython()) for x in r} == {
        (Decimal("0.8"), 1), (Decimal("0.5"), 8), (Decimal("0.5"), 15)}


@pytest.mark.parametrize("endpoint,ino,std,p,rel", [
    ("cr", "80.7", "29.4", "0.001", "<"),
    ("mrd-negativity", "78.4", "28.1", "0.001", "<"),
    ("pfs-median", "5.0", "1.8", "0.001", "<"),
    ("os-median", "7.7", "6.7", "0.04", "="),
])
def test_ino_phase3_inotuzumab_vs_standard_chemotherapy(kg, endpoint, ino, std, p, rel):
    r = one(kg, f"""
        SELECT ?v ?cv ?p ?rel WHERE {{
            bkd:om-ino-phase3-{endpoint}-ino :value ?v ; ^:comparesMeasurement/:pValue ?p ; ^:comparesMeasurement/:pValueRelation ?rel ; ^:comparesMeasurement/:hasReferenceMeasurement ?c ;
                :forArm/:hasArmRole bkd:experimental-arm ; :statedIn bkd:table-1-row-9 ; :citesReference bkd:ref-41 .
            ?c :value ?cv ; :forArm/:receivesIntervention bkd:standard-intensive-chemotherapy .
        }}""")
    assert (r.v.toPython(), r.cv.toPython(), r.p.toPython(), str(r.rel)) == (Decimal(ino), Decimal(std), Decimal(p), rel)


def test_ino_phase3_design_and_sizes(kg):
    r = one(kg, """
        SELECT ?n ?e WHERE { bkd:study-ino-phase3 :hasDesignFeature bkd:randomized , bkd:open-label , bkd:global ;
                             :hasPopulation ?p . ?p :enrolledCount ?n ; :evaluableCount ?e ; :requiresAntigenPositivity bkd:cd22 . }""")
    assert (r.n.toPython(), r.e.toPython()) == (326, 218)
    assert values(kg, "bkd:arm-ino-phase3-ino", ":cyclesMax") == {6}
    caps = rows(kg, "SELECT ?reg ?c WHERE { bkd:arm-ino-phase3-standard :hasDose ?d . ?d :doseOf ?reg ; :cyclesMax ?c . }")
    assert {(local(x.reg), x.c.toPython()) for x in caps} == {
        ("flag", 4), ("cytarabine-mitoxantrone", 4), ("high-dose-cytarabine", 1)}


def test_ino_mini_hcvd_rr_results_and_historical_comparison(kg):
    assert outcome(kg, "bkd:om-ino-mini-hcvd-rr-orr")["value"] == Decimal("71.0")
    hsct = outcome(kg, "bkd:om-ino-mini-hcvd-rr-allo-hsct")
    assert (hsct["value"], hsct["num"], hsct["den"]) == (Decimal("47.0"), 27, 57)
    r = rows(kg, """
        SELECT ?o ?v ?hv ?p ?t WHERE {
            ?o :inStudy bkd:study-ino-mini-hcvd-rr ; :value ?v ; ^:comparesMeasurement/:pValue ?p ; :timepointMonths ?t ; ^:comparesMeasurement/:hasReferenceMeasurement ?h .
            ?h :value ?hv ; :forArm/:hasArmRole bkd:historical-control .
        }""")
    assert {(local(x.o), x.v.toPython(), x.hv.toPython(), x.p.toPython(), x.t.toPython()) for x in r} == {
        ("om-ino-mini-hcvd-rr-pfs-2y", Decimal("52.0"), Decimal("36.0"), Decimal("0.20"), Decimal("24.0")),
        ("om-ino-mini-hcvd-rr-os-2y", Decimal("44.0"), Decimal("25.0"), Decimal("0.01"), Decimal("24.0"))}


def test_ino_mini_hcvd_elderly_results(kg):
    o = outcome(kg, "bkd:om-ino-mini-hcvd-elderly-cr-crp")
    assert (o["value"], o["num"], o["den"]) == (Decimal("95.0"), 40, 42)
    o = outcome(kg, "bkd:om-ino-mini-hcvd-elderly-mrd-negativity")
    assert (o["value"], o["num"], o["den"]) == (Decimal("93.0"), 41, 44)
    assert outcome(kg, "bkd:om-ino-mini-hcvd-elderly-mrd-negativity-at-cr")["value"] == Decimal("71.0")
    r = one(kg, """
        SELECT ?v ?p (COUNT(DISTINCT ?h) AS ?n) WHERE { bkd:om-ino-mini-hcvd-elderly-os-3y :value ?v ; ^:comparesMeasurement/:pValue ?p ; ^:comparesMeasurement/:hasReferenceMeasurement ?h ;
                                                :timepointMonths 36.0 . } GROUP BY ?v ?p""")
    assert (r.v.toPython(), r.p.toPython(), r.n.toPython()) == (Decimal("52.0"), Decimal("0.05"), 2)
    r = one(kg, "SELECT ?a ?lo ?hi WHERE { bkd:pop-ino-mini-hcvd-elderly :medianAgeYears ?a ; :observedAgeMinYears ?lo ; :observedAgeMaxYears ?hi ; :hasAgeGroup bkd:older-adults . }")
    assert (r.a.toPython(), r.lo.toPython(), r.hi.toPython()) == (Decimal("68.0"), Decimal("60.0"), Decimal("81.0"))


def test_ino_veno_occlusive_disease_in_transplant_patients(kg):
    one(kg, """
        SELECT ?ae WHERE { ?ae :aboutIntervention bkd:inotuzumab-ozogamicin ; :reportsEvent bkd:veno-occlusive-disease ;
                           :hasRiskFactor bkd:transplant-recipient ; :statedIn bkd:table-2-row-7 . }""")


# ---------------------------------------------------------------- discrepancies
DISCREPANCIES = {
    "disc-blast-mrd-response-arithmetic": ("arithmetic-mismatch", {"om-blast-complete-mrd-response-cycle1-text"}, {"83.0"}),
    "disc-blast-mrd-response-text-vs-table": ("text-vs-table", {"om-blast-complete-mrd-response-cycle1-text",
                                                                "om-blast-complete-mrd-response-cycle1-table"}, set()),
    "disc-blast-cohort-size": ("cohort-size-mismatch", {"pop-blast", "om-blast-complete-mrd-response-cycle1-text"}, {"75.9"}),
    "disc-blast-rfs-exceeds-subgroups": ("summary-vs-data", {"om-blast-rfs-median", "om-blast-rfs-median-mrd-cr-cycle1",
                                                             "om-blast-rfs-median-no-mrd-cr-cycle1", "om-blast-os-median"}, set()),
    "disc-sar3419-phase2-orr": ("arithmetic-mismatch", {"om-sar3419-phase2-orr"}, {"23.5"}),
    "disc-blinatumomab-mrd-phase2-molecular-response": ("arithmetic-mismatch",
                                                        {"om-blinatumomab-mrd-phase2-molecular-response", "pop-blinatumomab-mrd-phase2"},
                                                        {"76.2", "81.0"}),
    "disc-blinatumomab-pd-l1-abbreviation": ("terminology-inconsistency",
                                             {"finding-blinatumomab-resistance-pd-l1", "pd-l1", "pd-1"}, set()),
    "disc-epratuzumab-reference-swap": ("reference-number-mismatch", {
        "study-epratuzumab-swog", "study-epratuzumab-hyper-cvad", "om-epratuzumab-swog-response-text",
        "om-epratuzumab-swog-cr-cri-table", "om-epratuzumab-hyper-cvad-orr-text", "om-epratuzumab-hyper-cvad-orr-table",
        "om-epratuzumab-hyper-cvad-ongoing-cr"}, set()),
    "disc-epratuzumab-cog-pediatric-percentages": ("arithmetic-mismatch", {
        "om-epratuzumab-cog-pediatric-cr", "om-epratuzumab-cog-pediatric-mrd-negativity", "pop-epratuzumab-cog-pediatric"},
        {"60.0", "66.7", "40.0", "46.7"}),
    "disc-epratuzumab-hyper-cvad-mrd-share": ("arithmetic-mismatch", {
        "om-epratuzumab-hyper-cvad-mrd-negativity-cr-cri", "om-epratuzumab-hyper-cvad-cr", "om-epratuzumab-hyper-cvad-cri"},
        {"40.0", "50.0"}),
    "disc-ino-single-dose-os-text-vs-table": ("text-vs-table", {"om-ino-single-dose-os-median",
                                                                "om-ino-weekly-os-median-single-dose"}, set()),
    "disc-ino-phase3-mrd-denominator": ("denominator-inconsistency", {
        "om-ino-phase3-mrd-negativity-ino", "om-ino-phase3-mrd-negativity-standard", "pop-ino-phase3",
        "cmp-ino-phase3-mrd-negativity-ino"}, {"78.0", "28.4"}),
    "disc-ino-mini-hcvd-rr-orr-components": ("components-do-not-add-up", {
        "om-ino-mini-hcvd-rr-orr", "om-ino-mini-hcvd-rr-cr", "om-ino-mini-hcvd-rr-crp", "om-ino-mini-hcvd-rr-cri"}, {"78.9"}),
    "disc-ino-mini-hcvd-rr-orr-arithmetic": ("arithmetic-mismatch", {"om-ino-mini-hcvd-rr-orr"}, {"70.2", "71.9"}),
    "disc-ino-mini-hcvd-rr-cr-arithmetic": ("arithmetic-mismatch", {"om-ino-mini-hcvd-rr-cr"}, {"54.4"}),
    "disc-ino-mini-hcvd-elderly-comparator": ("text-vs-table", {
        "arm-ino-mini-hcvd-elderly-historical-text", "arm-ino-mini-hcvd-elderly-historical-table",
        "om-ino-mini-hcvd-elderly-os-3y-historical-text", "om-ino-mini-hcvd-elderly-os-3y-historical-table",
        "cmp-ino-mini-hcvd-elderly-os-3y-text", "cmp-ino-mini-hcvd-elderly-os-3y-table"}, set()),
    "disc-ino-mini-hcvd-elderly-reference": ("reference-number-mismatch",
                                             {"study-ino-mini-hcvd-elderly", "study-ino-mini-hcvd-rr"}, set()),
}


@pytest.mark.parametrize("disc", sorted(DISCREPANCIES))
def test_discrepancy_kind_nodes_and_recomputed_values(kg, disc):
    kind, involved, computed = DISCREPANCIES[disc]
    assert {local(v) for v in values(kg, f"bkd:{disc}", ":hasDiscrepancyKind")} == {kind}
    assert {local(v) for v in values(kg, f"bkd:{disc}", ":involves")} == involved
    assert values(kg, f"bkd:{disc}", ":computedValue") == {Decimal(c) for c in computed}
    # every involved node points back, and the discrepancy has provenance and a comment
    for node in involved:
        assert rows(kg, f"ASK {{ bkd:{node} :hasDiscrepancy bkd:{disc} }}")[0] is True
    assert rows(kg, f"ASK {{ bkd:{disc} a :Discrepancy ; :statedIn ?loc ; :hasSource bkd:review ; rdfs:comment ?c ; rdfs:label ?l }}")[0] is True


def test_discrepant_readings_keep_their_own_locations(kg):
    """Both readings of a text-vs-table conflict survive, each stated in its own place."""
    assert {local(v) for v in values(kg, "bkd:om-blast-complete-mrd-response-cycle1-text", ":statedIn")} == {"sec-blinatumomab"}
    assert {local(v) for v in values(kg, "bkd:om-ino-weekly-os-median-single-dose", ":statedIn")} == {"table-1-row-8"}
    assert {local(v) for v in values(kg, "bkd:arm-ino-mini-hcvd-elderly-historical-table", ":receivesIntervention")} == {
        "hyper-cvad", "rituximab"}
    assert {local(v) for v in values(kg, "bkd:arm-ino-mini-hcvd-elderly-historical-text", ":receivesIntervention")} == {
        "hyper-cvad"}
    # the epratuzumab reference swap: each reading cites the number printed where it stands
    assert {local(v) for v in values(kg, "bkd:om-epratuzumab-hyper-cvad-orr-text", ":citesReference")} == {"ref-38"}
    assert {local(v) for v in values(kg, "bkd:om-epratuzumab-hyper-cvad-orr-table", ":citesReference")} == {"ref-37"}
    assert {local(v) for v in values(kg, "bkd:study-ino-mini-hcvd-elderly", ":citesReference")} == {"ref-42", "ref-43"}


# ---------------------------------------------------------------- provenance
def test_every_cd19_and_cd22_finding_has_source_location_and_assertion_kind(kg):
    missing = rows(kg, """
        SELECT ?f WHERE {
            ?f a ?cls .
            VALUES ?cls { :OutcomeMeasurement :AdverseEventReport :AttributeFinding :ComparativeFinding
                          :ResistanceFinding :DevelopmentStatusFinding :AntigenExpressionFinding }
            FILTER (REGEX(STR(?f), "(sar3419|sgn-cd19a|blinatumomab|blast|bite|cd19-|cd22|epratuzumab|ino-)"))
            FILTER NOT EXISTS { ?f :hasSource bkd:review ; :statedIn ?loc ; :hasAssertionKind ?k }
        }""")
    assert missing == []


def test_every_arm_of_a_cd19_or_cd22_study_points_back_to_it(kg):
    bad = rows(kg, """
        SELECT ?s ?a WHERE {
            ?s :hasArm ?a .
            FILTER (REGEX(STR(?s), "study-(sar3419|sgn-cd19a|blinatumomab|blast|epratuzumab|ino-)"))
            FILTER NOT EXISTS { ?a :armOf ?s ; :hasArmRole ?role ; rdfs:label ?l }
        }""")
    assert bad == []
