"""Checks of curated CAR T-cell facts (graph/car-t.ttl, graph/car-t-safety-and-relapse.ttl) by exact value."""
from decimal import Decimal
from pathlib import Path

import pytest
import rdflib

from kgtest import one, rows

GRAPH_DIR = Path(__file__).resolve().parent.parent / "graph"

BKD = "https://w3id.org/ballkg/data/"


def values(kg, query):
    return {str(r[0]).replace(BKD, "") if str(r[0]).startswith(BKD) else r[0].toPython() for r in rows(kg, query)}


def outcome(kg, node):
    """value, numerator, denominator of an outcome node (None where absent)."""
    r = one(kg, f"""
        SELECT ?v ?n ?d WHERE {{
            OPTIONAL {{ bkd:{node} :value ?v }}
            OPTIONAL {{ bkd:{node} :numerator ?n }}
            OPTIONAL {{ bkd:{node} :denominator ?d }}
        }}""")
    return tuple(x.toPython() if x is not None else None for x in r)


# ---------------------------------------------------------------- Table 3 trials: registry ids, institutions, products
@pytest.mark.parametrize("study, registry_ids", [
    ("study-mskcc-jcar015", {"NCT01044069"}),
    ("study-nci-cd19-car-t", {"NCT01593696"}),
    ("study-zuma-3", {"NCT02614066"}),
    ("study-zuma-4", {"NCT02625480"}),
    ("study-fhcrc-cd19-car-t", {"NCT01865617"}),
    ("study-upenn-ctl019", {"NCT01626495"}),
    ("study-eliana", {"NCT02435849"}),
    ("study-ensign", {"NCT02228096"}),
    ("study-upenn-ctl119", {"NCT02374333"}),
])
def test_registry_ids(kg, study, registry_ids):
    assert values(kg, f"SELECT ?r WHERE {{ bkd:{study} a :ClinicalTrial ; :registryId ?r }}") == registry_ids


@pytest.mark.parametrize("study, row, ref", [
    ("study-mskcc-jcar015", 1, 53), ("study-nci-cd19-car-t", 2, 54), ("study-zuma-3", 3, 55), ("study-zuma-4", 3, 55),
    ("study-zuma-3-and-4-pooled", 3, 55),
    ("study-fhcrc-cd19-car-t", 4, 72), ("study-upenn-ctl019", 5, 56), ("study-eliana", 6, 57),
    ("study-ensign", 7, 58), ("study-upenn-ctl119", 8, 74),
])
def test_table_3_provenance(kg, study, row, ref):
    r = one(kg, f"""
        SELECT ?n ?num WHERE {{
            bkd:{study} :statedIn ?row ; :citesReference ?ref ; :hasSource bkd:review .
            ?row :partOf bkd:table-3 ; :rowNumber ?n .
            ?ref :referenceNumber ?num .
        }}""")
    assert (r[0].toPython(), r[1].toPython()) == (row, ref)


@pytest.mark.parametrize("study, costim, transfer", [
    ("study-mskcc-jcar015", "cd28-domain", "gamma-retroviral-transduction"),
    ("study-nci-cd19-car-t", "cd28-domain", "gamma-retroviral-transduction"),
    ("study-zuma-3", "cd28-domain", "gamma-retroviral-transduction"),
    ("study-zuma-4", "cd28-domain", "gamma-retroviral-transduction"),
    ("study-fhcrc-cd19-car-t", "4-1bb-domain", "lentiviral-transduction"),
    ("study-upenn-ctl019", "4-1bb-domain", "lentiviral-transduction"),
    ("study-eliana", "4-1bb-domain", "lentiviral-transduction"),
    ("study-ensign", "4-1bb-domain", "lentiviral-transduction"),
    ("study-upenn-ctl119", "4-1bb-domain", "lentiviral-transduction"),
])
def test_costimulation_and_gene_transfer(kg, study, costim, transfer):
    r = one(kg, f"""
        SELECT ?c ?t WHERE {{
            bkd:{study} :evaluatesIntervention ?p . ?p :expressesCAR ?car .
            ?car :hasCostimulatoryDomain ?c ; :hasGeneTransferMethod ?t .
        }}""")
    assert (str(r[0]).replace(BKD, ""), str(r[1]).replace(BKD, "")) == (costim, transfer)


def test_ctl119_humanized_scfv(kg):
    assert values(kg, "SELECT ?o WHERE { bkd:study-upenn-ctl119 :evaluatesIntervention/:expressesCAR/:hasScFvOrigin ?o }") == {"humanized-origin"}


@pytest.mark.parametrize("study, orgs", [
    ("study-mskcc-jcar015", {"mskcc"}), ("study-nci-cd19-car-t", {"nci"}), ("study-fhcrc-cd19-car-t", {"fhcrc"}),
    ("study-upenn-ctl019", {"upenn", "chop"}), ("study-upenn-ctl119", {"upenn", "chop"}),
])
def test_institutions(kg, study, orgs):
    assert values(kg, f"SELECT ?o WHERE {{ bkd:{study} :conductedBy ?o }}") == orgs


@pytest.mark.parametrize("arm, regimens", [
    ("arm-mskcc-jcar015", {"cyclophosphamide-conditioning", "flu-cy"}),
    ("arm-nci-cd19-car-t", {"cyclophosphamide-conditioning", "low-dose-flu-cy", "flag-conditioning",
                            "ifosfamide-etoposide", "high-dose-flu-cy"}),
    ("arm-zuma-3", {"flu-cy"}),
    ("arm-zuma-4", {"flu-cy"}),
    ("arm-fhcrc-cd19-car-t", {"cyclophosphamide-etoposide", "flu-cy"}),
    ("arm-upenn-ctl019", {"investigator-choice-lymphodepletion"}),
    ("arm-eliana", {"flu-cy"}),
    ("arm-ensign", {"flu-cy"}),
    ("arm-upenn-ctl119", {"flu-cy"}),
])
def test_lymphodepletion_options(kg, arm, regimens):
    assert values(kg, f"SELECT ?r WHERE {{ bkd:{arm} :hasLymphodepletionOption ?r }}") == regimens


# ---------------------------------------------------------------- cell doses
@pytest.mark.parametrize("arm, dmin, dmax", [
    ("arm-mskcc-jcar015", "1000000.0", "3000000.0"),
    ("arm-nci-cd19-car-t", "30000.0", "3000000.0"),
    ("arm-upenn-ctl019", "1000000.0", "17400000.0"),
    ("arm-eliana", "200000.0", "4000000.0"),
])
def test_cell_dose_ranges(kg, arm, dmin, dmax):
    r = one(kg, f"""
        SELECT ?min ?max ?u WHERE {{
            bkd:{arm} :hasDose ?d ; :receivesIntervention ?p . ?d :doseOf ?p ; :doseMin ?min ; :doseMax ?max ; :hasUnit/:ucumCode ?u .
        }}""")
    assert (r[0].toPython(), r[1].toPython(), str(r[2])) == (Decimal(dmin), Decimal(dmax), "{cells}/kg")


def test_alternatives_options_and_omission_are_explicit(kg):
    # ENSIGN: flu/cy, or none in leukopenic patients (a fact about the arm); FHCRC: cyclophosphamide with or
    # without etoposide; inotuzumab phase III control: one of FLAG, cytarabine + mitoxantrone, high-dose cytarabine
    assert values(kg, "SELECT ?b WHERE { bkd:arm-ensign :lymphodepletionMayBeOmitted ?b }") == {True}
    assert values(kg, "SELECT ?a WHERE { ?a :lymphodepletionMayBeOmitted ?b }") == {"arm-ensign"}
    assert values(kg, "SELECT ?c WHERE { bkd:cyclophosphamide-etoposide :hasComponent ?c }") == {"cyclophosphamide"}
    assert values(kg, "SELECT ?c WHERE { bkd:cyclophosphamide-etoposide :hasOptionalComponent ?c }") == {"etoposide"}
    assert values(kg, "SELECT ?c WHERE { bkd:standard-intensive-chemotherapy :hasAlternativeComponent ?c }") == {
        "flag", "cytarabine-mitoxantrone", "high-dose-cytarabine"}
    assert values(kg, "SELECT ?c WHERE { bkd:standard-intensive-chemotherapy :hasComponent ?c }") == set()
    assert values(kg, "SELECT ?p WHERE { bkd:no-lymphodepletion ?p ?o }") == set()


def test_ensign_weight_banded_doses(kg):
    r = rows(kg, """
        SELECT ?cond ?min ?max ?u WHERE {
            bkd:arm-ensign :hasDose ?d . ?d :doseOf bkd:ctl019 ; :bodyWeightCondition ?cond ;
               :doseMin ?min ; :doseMax ?max ; :hasUnit/:ucumCode ?u .
        }""")
    got = {(str(c), mn.toPython(), mx.toPython(), str(u)) for c, mn, mx, u in r}
    assert got == {("<= 50 kg", Decimal("2000000.0"), Decimal("5000000.0"), "{cells}/kg"),
                   ("> 50 kg", Decimal("100000000.0"), Decimal("250000000.0"), "{cells}")}


def test_dose_levels_fhcrc_and_zuma(kg):
    assert values(kg, "SELECT ?l WHERE { bkd:dose-fhcrc-cd19-car-t :doseLevel ?l }") == {
        Decimal("200000.0"), Decimal("2000000.0"), Decimal("20000000.0")}
    assert str(one(kg, "SELECT ?r WHERE { bkd:dose-fhcrc-cd19-car-t :cd4ToCd8Ratio ?r }")[0]) == "1:1"
    for dose in ("dose-zuma-3", "dose-zuma-4"):
        assert values(kg, f"SELECT ?l WHERE {{ bkd:{dose} :doseLevel ?l }}") == {Decimal("1000000.0"), Decimal("2000000.0")}


def test_ctl119_has_no_dose(kg):
    assert rows(kg, "SELECT ?d WHERE { bkd:arm-upenn-ctl119 :hasDose ?d }") == []


# ---------------------------------------------------------------- populations
def test_populations(kg):
    r = one(kg, "SELECT ?e ?v WHERE { bkd:study-mskcc-jcar015 :hasPopulation ?p . ?p :enrolledCount ?e ; :evaluableCount ?v }")
    assert (r[0].toPython(), r[1].toPython()) == (44, 43)
    r = one(kg, "SELECT ?e ?v WHERE { bkd:study-fhcrc-cd19-car-t :hasPopulation ?p . ?p :enrolledCount ?e ; :evaluableCount ?v }")
    assert (r[0].toPython(), r[1].toPython()) == (30, 29)
    assert one(kg, "SELECT ?e WHERE { bkd:pop-nci-cd19-car-t :enrolledCount ?e }")[0].toPython() == 51
    assert one(kg, "SELECT ?e WHERE { bkd:pop-ensign :enrolledCount ?e }")[0].toPython() == 29
    assert one(kg, "SELECT ?e WHERE { bkd:pop-eliana :evaluableCount ?e }")[0].toPython() == 29
    assert one(kg, "SELECT ?e WHERE { bkd:pop-upenn-ctl119 :enrolledCount ?e }")[0].toPython() == 30


def test_zuma_population(kg):
    for pop in ("pop-zuma-3", "pop-zuma-4"):
        assert one(kg, f"SELECT ?b WHERE {{ bkd:{pop} :minimumMarrowBlastPercent ?b }}")[0].toPython() == Decimal("25.0")
        assert values(kg, f"SELECT ?c WHERE {{ bkd:{pop} :allowsCondition ?c }}") == {"ph-positive-all", "cns-disease"}
        assert values(kg, f"SELECT ?c WHERE {{ bkd:{pop} :hasCondition ?c }}") == {"all"}
    assert one(kg, "SELECT ?a WHERE { bkd:pop-zuma-3 :eligibleAgeMinYears ?a }")[0].toPython() == Decimal("18.0")
    r = one(kg, "SELECT ?a ?b WHERE { bkd:pop-zuma-4 :eligibleAgeMinYears ?a ; :eligibleAgeMaxYears ?b }")
    assert (r[0].toPython(), r[1].toPython()) == (Decimal("2.0"), Decimal("21.0"))
    assert values(kg, "SELECT ?s WHERE { ?s :hasPopulation bkd:pop-zuma-3 }") == {"study-zuma-3"}
    assert values(kg, "SELECT ?s WHERE { ?s :hasPopulation bkd:pop-zuma-4 }") == {"study-zuma-4"}
    for study in ("study-zuma-3", "study-zuma-4"):
        assert values(kg, f"SELECT ?p WHERE {{ bkd:{study} :hasPhase ?p }}") == {"phase-1-2"}


def test_zuma_complete_remissions_are_a_pooled_result_of_both_trials(kg):
    # Table 3 row 3 gives one figure, CR 5/5 (100%), for ZUMA-3 and ZUMA-4 together
    assert values(kg, "SELECT ?s WHERE { bkd:study-zuma-3-and-4-pooled a :PooledAnalysis ; :poolsStudy ?s }") == {
        "study-zuma-3", "study-zuma-4"}
    assert values(kg, "SELECT ?s WHERE { bkd:om-zuma-cr :inStudy ?s }") == {"study-zuma-3-and-4-pooled"}
    assert values(kg, "SELECT ?p WHERE { bkd:pop-zuma-3-and-4-pooled :hasSubpopulation ?p }") == {"pop-zuma-3", "pop-zuma-4"}
    assert rows(kg, "SELECT ?r WHERE { bkd:study-zuma-3-and-4-pooled :registryId ?r }") == []


# ---------------------------------------------------------------- outcomes with counts
@pytest.mark.parametrize("node, expected", [
    ("om-mskcc-cr", (Decimal("84.0"), 36, 43)),
    ("om-mskcc-mrd-negativity-text", (Decimal("83.0"), 29, 36)),
    ("om-mskcc-mrd-negativity-table", (Decimal("83.0"), 29, 35)),
    ("om-nci-cr", (Decimal("60.8"), 31, 51)),
    ("om-nci-mrd-negativity", (Decimal("90.0"), 28, 31)),
    ("om-nci-relapse-no-hsct", (Decimal("85.7"), 6, 7)),
    ("om-nci-relapse-hsct", (Decimal("9.5"), 2, 21)),
    ("om-zuma-cr", (Decimal("100.0"), 5, 5)),
    ("om-fhcrc-cr", (Decimal("93.0"), 27, 29)),
    ("om-upenn-ctl019-cr", (Decimal("94.0"), 50, 53)),
    ("om-upenn-ctl019-mrd-negativity", (Decimal("94.0"), 47, 50)),
    ("om-eliana-cr", (Decimal("83.0"), 24, 29)),
    ("om-eliana-mrd-negativity", (Decimal("100.0"), None, None)),
    ("om-ensign-orr", (Decimal("69.0"), 20, 29)),
    ("om-ensign-mrd-negativity", (Decimal("62.1"), 18, 29)),
    ("om-ctl119-cr", (Decimal("87.0"), 26, 30)),
    ("om-ctl119-cr-prior-car-t", (Decimal("64.0"), 7, 11)),
    ("om-ctl119-mrd-negativity-prior-car-t", (Decimal("71.0"), 5, 7)),
    ("om-ctl119-cr-car-naive", (Decimal("100.0"), 19, 19)),
    ("om-ctl119-mrd-negativity-car-naive", (Decimal("100.0"), 19, 19)),
    ("om-brudno-remission", (None, 8, 20)),  # "eight of the 20": a count of patients, so no value
])
def test_outcome_counts(kg, node, expected):
    assert outcome(kg, node) == expected


def test_ensign_orr_endpoint_is_cr_or_cri(kg):
    assert values(kg, "SELECT ?e WHERE { bkd:om-ensign-orr :measures ?e }") == {"cr-or-cri"}


@pytest.mark.parametrize("node, value, months, ci", [
    ("om-mskcc-os-6m-mrd-negative-cr", "76.0", "6.0", ("51.0", "89.0")),
    ("om-mskcc-os-6m-mrd-positive-cr", "14.0", "6.0", ("8.0", "45.0")),
    ("om-upenn-ctl019-rfs-6m", "72.0", "6.0", ("59.0", "87.0")),
    ("om-upenn-ctl019-rfs-12m", "44.0", "12.0", ("30.0", "65.0")),
    ("om-upenn-ctl019-os-12m", "78.0", "12.0", ("67.0", "91.0")),
    ("om-mskcc-os-6m-allo-hsct", "70.0", "6.0", None),
    ("om-mskcc-os-6m-no-allo-hsct", "64.0", "6.0", None),
    ("om-nci-os-38m-flu-cy", "34.7", "38.0", None),
    ("om-nci-lfs-18m-mrd-negative-cr", "49.5", "18.0", None),
    ("om-nci-lfs-18m-mrd-negative-cr-hsct", "62.0", "18.0", None),
    ("om-ensign-rfs-6m", "66.4", "6.0", None),
    ("om-ensign-os-6m", "75.7", "6.0", None),
])
def test_rates_at_timepoints(kg, node, value, months, ci):
    r = one(kg, f"""
        SELECT ?v ?t ?lo ?hi ?lvl WHERE {{
            bkd:{node} :value ?v ; :timepointMonths ?t ; :hasStatistic bkd:rate-at-timepoint .
            OPTIONAL {{ bkd:{node} :ciLower ?lo ; :ciUpper ?hi ; :ciLevelPercent ?lvl }}
        }}""")
    assert (r[0].toPython(), r[1].toPython()) == (Decimal(value), Decimal(months))
    if ci is None:
        assert r[2] is None
    else:
        assert (r[2].toPython(), r[3].toPython(), r[4].toPython()) == (Decimal(ci[0]), Decimal(ci[1]), Decimal("95.0"))


def test_mskcc_median_os(kg):
    assert outcome(kg, "om-mskcc-os-median-all")[0] == Decimal("8.5")
    assert outcome(kg, "om-mskcc-os-median-mrd-negative-cr")[0] == Decimal("10.8")
    assert values(kg, "SELECT ?u WHERE { bkd:om-mskcc-os-median-all :hasStatistic bkd:median ; :hasUnit ?u }") == {"months"}


def test_nci_relapse_comparison_p_value(kg):
    r = one(kg, """SELECT ?c ?p ?rel WHERE { ?cmp :comparesMeasurement bkd:om-nci-relapse-hsct ; :hasReferenceMeasurement ?c ;
                   :pValue ?p ; :pValueRelation ?rel }""")
    assert (str(r[0]).replace(BKD, ""), r[1].toPython(), str(r[2])) == ("om-nci-relapse-no-hsct", Decimal("0.0001"), "=")


def test_nci_lfs_hazard_ratio(kg):
    # neither median is printed: the comparison names the two subgroups and carries HR 16.9, p = 0.0006
    r = one(kg, """SELECT ?hr ?p ?s ?c ?dir WHERE { ?cmp a :Comparison ; :hazardRatio ?hr ; :pValue ?p ; :comparesGroup ?s ;
                   :hasReferenceGroup ?c ; :hasDirection ?dir ; :measures bkd:leukemia-free-survival }""")
    assert (r[0].toPython(), r[1].toPython(), *(str(x).replace(BKD, "") for x in r[2:])) == (
        Decimal("16.9"), Decimal("0.0006"), "subgroup-nci-hsct-after-car-t", "subgroup-nci-no-hsct-after-car-t", "higher")


def test_mskcc_mrd_cr_compared_with_mrd_positive(kg):
    assert values(kg, """SELECT ?c WHERE { ?cmp :comparesMeasurement bkd:om-mskcc-os-6m-mrd-negative-cr ;
                                           :hasReferenceMeasurement ?c }""") == {"om-mskcc-os-6m-mrd-positive-cr"}
    assert values(kg, "SELECT ?s WHERE { bkd:om-mskcc-os-6m-mrd-negative-cr :inSubgroup ?s }") == {"subgroup-mskcc-mrd-negative-cr"}


def test_ctl119_study_details(kg):
    r = one(kg, "SELECT ?ph ?y ?m WHERE { bkd:study-upenn-ctl119 :hasPhase ?ph ; :reportYear ?y ; :reportedAtMeeting ?m }")
    assert (str(r[0]).replace(BKD, ""), r[1].toPython()) == ("phase-1", 2016)
    assert "ASH" in str(r[2])
    assert values(kg, "SELECT ?s WHERE { bkd:om-ctl119-cr-prior-car-t :statedIn ?s }") == {"table-3-row-8", "sec-car-t-relapse"}


# ---------------------------------------------------------------- CAR biology
def test_car_biology_values(kg):
    assert outcome(kg, "om-car-t-ex-vivo-target-dose")[0] == Decimal("3000000.0")
    assert values(kg, "SELECT ?r WHERE { bkd:om-car-t-ex-vivo-target-dose :citesReference/:referenceNumber ?r }") == {48, 49}
    assert outcome(kg, "om-car-t-in-vivo-expansion")[0] == Decimal("1000.0")
    r = one(kg, "SELECT ?a ?b WHERE { bkd:om-stephan-car-t-persistence :valueMin ?a ; :valueMax ?b }")
    assert (r[0].toPython(), r[1].toPython()) == (Decimal("3.0"), Decimal("39.0"))
    assert one(kg, "SELECT ?b WHERE { bkd:om-davila-car-t-persistence :valueMax ?b }")[0].toPython() == Decimal("3.0")
    assert values(kg, "SELECT ?r WHERE { bkd:finding-car-t-enter-csf :citesReference/:referenceNumber ?r }") == {50}


def test_gene_transfer_methods(kg):
    assert values(kg, "SELECT ?m WHERE { bkd:finding-car-gene-transfer-methods :hasGeneTransferMethod ?m }") == {
        "lentiviral-transduction", "gamma-retroviral-transduction", "electroporation", "sleeping-beauty-transposon"}


def test_cd28_vs_4_1bb(kg):
    r = one(kg, """SELECT ?a ?d WHERE { ?f a :ComparativeFinding ; :aboutIntervention bkd:cd28-car-t-cells ;
                   :comparedWithIntervention bkd:4-1bb-car-t-cells ; :concernsAttribute ?a ; :hasDirection ?d }""")
    assert (str(r[0]).replace(BKD, ""), str(r[1]).replace(BKD, "")) == ("killing-strength", "higher")
    r = one(kg, """SELECT ?a ?d WHERE { ?f a :ComparativeFinding ; :aboutIntervention bkd:4-1bb-car-t-cells ;
                   :comparedWithIntervention bkd:cd28-car-t-cells ; :concernsAttribute ?a ; :hasDirection ?d }""")
    assert (str(r[0]).replace(BKD, ""), str(r[1]).replace(BKD, "")) == ("in-vivo-persistence", "higher")


def test_first_generation_cites_46_47(kg):
    assert values(kg, "SELECT ?r WHERE { bkd:finding-first-generation-car-t-weak :citesReference/:referenceNumber ?r }") == {46, 47}


# ---------------------------------------------------------------- donor-derived CAR T
def test_dai_gvhd(kg):
    assert outcome(kg, "ae-dai-donor-car-t-gvhd")[1:] == (2, 3)
    assert values(kg, "SELECT ?r WHERE { bkd:ae-dai-donor-car-t-gvhd-possible-causes :hasRiskFactor ?r }") == {
        "higher-car-t-dose", "mixed-chimerism", "car-design"}


def test_smith_preclinical(kg):
    assert values(kg, """SELECT ?c WHERE { ?f :inStudy bkd:study-smith-mouse-allo-hsct ; a :ComparativeFinding ;
        :aboutIntervention bkd:m1928z-car-t ; :comparedWithIntervention ?c ; :concernsAttribute bkd:gvhd-induction ;
        :hasDirection bkd:lower }""") == {"m19delta-car-t", "m19bbz-car-t"}
    assert rows(kg, "ASK { bkd:study-smith-mouse-allo-hsct a :PreclinicalStudy }")[0] is True


def test_cai_case(kg):
    assert rows(kg, "ASK { bkd:study-cai-haploidentical-car-t a :CaseReport ; :citesReference bkd:ref-65 }")[0] is True
    assert values(kg, "SELECT ?i WHERE { bkd:arm-cai-haploidentical-car-t :receivesIntervention ?i }") == {
        "induction-chemotherapy", "cai-haploidentical-car-t", "pbsc-coinfusion"}


# ---------------------------------------------------------------- toxicities
def test_crs(kg):
    r = one(kg, """SELECT ?f ?fu ?t ?tu WHERE { bkd:ae-cd19-car-t-crs-onset :onsetFrom ?f ; :onsetFromUnit ?fu ;
                   :onsetTo ?t ; :onsetToUnit ?tu }""")
    assert (r[0].toPython(), str(r[1]).replace(BKD, ""), r[2].toPython(), str(r[3]).replace(BKD, "")) == (
        Decimal("24.0"), "hours", Decimal("3.0"), "weeks")
    assert values(kg, "SELECT ?r WHERE { bkd:ae-cd19-car-t-crs-onset :citesReference/:referenceNumber ?r }") == {51, 68}
    assert outcome(kg, "ae-cd19-car-t-crs-severe")[0] == Decimal("30.0")
    assert values(kg, "SELECT ?m WHERE { bkd:ae-cd19-car-t-crs-severe :managedWith ?m }") == {
        "hemodynamic-support", "mechanical-ventilation", "tocilizumab", "corticosteroids"}
    assert values(kg, "SELECT ?m WHERE { bkd:ae-cd19-car-t-crs-severe :hasManifestation ?m }") == {
        "vascular-leak", "hypotension", "multi-organ-dysfunction"}
    assert values(kg, "SELECT ?f WHERE { bkd:ae-cd19-car-t-crs-mild :hasFrequencyDescriptor ?f }") == {"almost-all"}


def test_neurotoxicity_manifestations(kg):
    assert values(kg, "SELECT ?m WHERE { bkd:ae-cd19-car-t-neurotoxicity :hasManifestation ?m }") == {
        "delirium", "dysphasia", "akinetic-mutism", "seizure"}


def test_b_cell_toxicity_chain(kg):
    assert rows(kg, """ASK { bkd:on-target-off-tumor-toxicity :mayLeadTo bkd:b-cell-aplasia .
                        bkd:b-cell-aplasia :mayLeadTo bkd:agammaglobulinemia .
                        bkd:agammaglobulinemia :mayLeadTo bkd:opportunistic-infection }""")[0] is True
    assert values(kg, "SELECT ?m WHERE { bkd:ae-cd19-car-t-opportunistic-infection :managedWith ?m }") == {
        "immunoglobulin-infusion", "antibiotics"}


def test_rocket(kg):
    r = one(kg, """SELECT ?ph ?st ?reason WHERE { bkd:study-rocket a :ClinicalTrial ; :hasPhase ?ph ; :hasStatus ?st ;
                   :statusReason ?reason ; :evaluatesIntervention bkd:jcar015 ; :citesReference bkd:ref-69 }""")
    assert (str(r[0]).replace(BKD, ""), str(r[1]).replace(BKD, "")) == ("phase-2", "halted-for-safety")
    r = one(kg, """SELECT ?n ?y ?m WHERE { bkd:ae-rocket-cerebral-edema-deaths-2016-11 :reportsEvent bkd:cerebral-edema ;
                   :hasEventOutcome bkd:fatal ; :numerator ?n ; :reportYear ?y ; :reportMonth ?m }""")
    assert tuple(x.toPython() for x in r) == (2, 2016, 11)
    r = one(kg, """SELECT ?n ?m WHERE { bkd:ae-rocket-deaths-2016-07 :reportsEvent bkd:death-cause-not-given ;
                   :hasEventOutcome bkd:fatal ; :numerator ?n ; :reportMonth ?m }""")
    assert tuple(x.toPython() for x in r) == (3, 7)


def test_juno_findings(kg):
    # one comparative finding per compared product
    assert values(kg, """SELECT ?p WHERE { ?f :aboutIntervention ?p ; :comparedWithIntervention bkd:jcar015 ;
        :concernsAttribute bkd:toxicity-level ; :hasDirection bkd:lower }""") == {"jcar017", "jcar014"}
    r = one(kg, "SELECT ?k WHERE { bkd:ae-jcar015-neurotoxicity-juno-hypothesis :hasAssertionKind ?k }")
    assert str(r[0]).replace(BKD, "") == "cited-hypothesis"
    assert values(kg, "SELECT ?r WHERE { bkd:ae-jcar015-neurotoxicity-juno-hypothesis :hasRiskFactor ?r }") == {
        "flu-cy-conditioning-factor", "cd28-costimulation-factor"}
    assert values(kg, "SELECT ?s WHERE { bkd:ae-car-t-neurotoxicity-etiology-unproven :hasEvidenceStatus ?s }") == {"unproven"}


# ---------------------------------------------------------------- relapse
def test_persistence_hazard_ratio(kg):
    r = one(kg, """SELECT ?hr ?p WHERE { bkd:finding-loss-of-persistence-cd19-positive-relapse a :ResistanceFinding ;
        :proposesMechanism bkd:loss-of-car-t-persistence ; :supportedBy ?o . ?o :hazardRatio ?hr ; :pValue ?p ;
        :measures bkd:cd19-positive-relapse ; :citesReference bkd:ref-71 }""")
    assert (r[0].toPython(), r[1].toPython()) == (Decimal("34.0"), Decimal("0.013"))


@pytest.mark.parametrize("finding, mechanism, counter, ref", [
    ("finding-fludarabine-lymphodepletion-persistence", "inadequate-lymphodepletion", "fludarabine-in-lymphodepletion", 75),
    ("finding-pd-1-inhibitor-car-t-persistence", "loss-of-car-t-persistence", "pd-1-inhibitor", 76),
    ("finding-btk-inhibitor-car-t-persistence", "loss-of-car-t-persistence", "btk-inhibitor", 77),
    ("finding-humanized-scfv-retreatment", "immune-rejection-of-murine-scfv", "humanized-scfv-car-t-retreatment", 73),
    ("finding-ctl119-after-murine-car-t", "immune-rejection-of-murine-scfv", "humanized-scfv-car-t-retreatment", 74),
])
def test_relapse_countermeasures(kg, finding, mechanism, counter, ref):
    r = one(kg, f"""SELECT ?m ?c ?n WHERE {{ bkd:{finding} a :ResistanceFinding ; :proposesMechanism ?m ; :counteredBy ?c ;
        :citesReference/:referenceNumber ?n ; :statedIn bkd:sec-car-t-relapse }}""")
    assert (str(r[0]).replace(BKD, ""), str(r[1]).replace(BKD, ""), r[2].toPython()) == (mechanism, counter, ref)


def test_ctl119_relapse_finding_points_to_table_outcomes(kg):
    assert values(kg, "SELECT ?o WHERE { bkd:finding-ctl119-after-murine-car-t :supportedBy ?o }") == {
        "cmp-ctl119-cr-prior-car-t"}
    assert values(kg, """SELECT ?m WHERE { bkd:cmp-ctl119-cr-prior-car-t :comparesMeasurement|:hasReferenceMeasurement ?m }""") == {
        "om-ctl119-cr-prior-car-t", "om-ctl119-cr-car-naive"}


def test_cd22_car_t_and_lacey(kg):
    assert values(kg, "SELECT ?n WHERE { bkd:finding-cd22-car-t-for-cd19-negative-relapse :counteredBy bkd:cd22-car-t-cells ; :citesReference/:referenceNumber ?n }") == {79, 80, 81}
    assert values(kg, "SELECT ?m WHERE { bkd:finding-lacey-car-transduced-leukemic-cell :proposesMechanism ?m ; :citesReference bkd:ref-78 }") == {"car-transduced-leukemic-cell"}
    assert values(kg, "SELECT ?r WHERE { bkd:finding-fhcrc-anti-car-cd8-response :inStudy bkd:study-fhcrc-cd19-car-t ; :citesReference/:referenceNumber ?r }") == {72}


# ---------------------------------------------------------------- discrepancies
@pytest.mark.parametrize("disc, kinds, involved, computed", [
    ("disc-mskcc-mrd-negativity", {"text-vs-table", "arithmetic-mismatch"},
     {"om-mskcc-mrd-negativity-text", "om-mskcc-mrd-negativity-table"}, {Decimal("80.6")}),
    ("disc-mskcc-mrd-table-denominator", {"denominator-inconsistency"},
     {"om-mskcc-cr", "om-mskcc-mrd-negativity-table"}, {Decimal("80.6")}),
    ("disc-ensign-mrd-denominator", {"denominator-inconsistency"},
     {"om-ensign-mrd-negativity", "om-ensign-orr"}, {Decimal("90.0")}),
    ("disc-car-t-summary-90-percent", {"summary-vs-data"},
     {"om-car-t-review-summary-cr", "om-mskcc-cr", "om-nci-cr", "om-zuma-cr", "om-fhcrc-cr", "om-upenn-ctl019-cr",
      "om-eliana-cr", "om-ensign-orr"}, set()),
    ("disc-on-tumor-off-target-naming", {"terminology-inconsistency"},
     {"ae-cd19-car-t-normal-b-cell-toxicity"}, set()),
])
def test_discrepancies(kg, disc, kinds, involved, computed):
    assert rows(kg, f"ASK {{ bkd:{disc} a :Discrepancy ; :hasSource bkd:review ; :statedIn ?s }}")[0] is True
    assert values(kg, f"SELECT ?k WHERE {{ bkd:{disc} :hasDiscrepancyKind ?k }}") == kinds
    assert values(kg, f"SELECT ?n WHERE {{ bkd:{disc} :involves ?n . ?n :hasDiscrepancy bkd:{disc} }}") == involved
    assert values(kg, f"SELECT ?c WHERE {{ bkd:{disc} :computedValue ?c }}") == computed


def test_summary_is_review_assessment(kg):
    r = one(kg, "SELECT ?v ?k WHERE { bkd:om-car-t-review-summary-cr :value ?v ; :hasAssertionKind ?k }")
    assert (r[0].toPython(), str(r[1]).replace(BKD, "")) == (Decimal("90.0"), "review-assessment")


def test_every_finding_in_car_t_files_has_provenance(kg):
    own = rdflib.Graph()
    for name in ("car-t.ttl", "car-t-safety-and-relapse.ttl"):
        own.parse(GRAPH_DIR / name, format="turtle")
    subjects = {s for s in own.subjects() if str(s).startswith(BKD)}
    findings = {r[0] for r in rows(kg, "SELECT ?f WHERE { ?f a ?c . ?c rdfs:subClassOf* :Finding }")} & subjects
    studies = {r[0] for r in rows(kg, "SELECT ?f WHERE { ?f a ?c . ?c rdfs:subClassOf* :Study }")} & subjects
    assert len(findings) > 80 and len(studies) >= 15
    for node in findings | studies:
        # a reading taken from a drug's reference record has that record as its source (graph/CURATION.md)
        q = f"ASK {{ <{node}> :hasSource ?src ; :statedIn ?where . FILTER (?src = bkd:review || EXISTS {{ ?src a :ReferenceRecord }}) }}"
        assert rows(kg, q)[0] is True, node
    for node in findings:
        assert rows(kg, f"ASK {{ <{node}> :hasAssertionKind ?k }}")[0] is True, node
