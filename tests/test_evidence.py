"""Evidence on findings: the level rule (one fixture per rule step), exact levels of curated findings, the
defined classes HermiT fills from them, and the three evidence queries with their exact answers.

Expected levels follow from what the review says about each study's design and from the rule stated in the
README ("Evidence levels"): GRAALL is "a multicenter randomized trial" with a control arm and a phase III row in
Table 1, INO-VATE "a global, open-label, randomized phase III" trial; the MD Anderson rituximab study has a phase III
row in Table 1 but the review never calls it randomized; Cai et al. and Dai et al. describe single patients.
"""
from __future__ import annotations

import pytest
import rdflib
from rdflib.namespace import RDF

from ballkg import sources
from ballkg.api import run_stored
from ballkg.evidence import DERIVED_PROPERTIES, EvidenceRuleError, RuleStep, derive_evidence, load_steps, with_evidence
from ballkg.sources import load_ontology

BK = rdflib.Namespace(sources.BK_IRI)
BKD = rdflib.Namespace(sources.BKD_IRI)
ECO = "http://purl.obolibrary.org/obo/ECO_"

PREFIXES = """
@prefix :    <https://w3id.org/ballkg/ontology#> .
@prefix bkd: <https://w3id.org/ballkg/data/> .
"""
RCT = """bkd:s a :ClinicalTrial ; :hasPhase bkd:phase-3 ; :hasDesignFeature bkd:randomized ;
    :hasArm bkd:arm-x , bkd:arm-c ; :hasPopulation bkd:pop .
bkd:arm-x a :StudyArm ; :armOf bkd:s ; :hasArmRole bkd:experimental-arm .
bkd:arm-c a :StudyArm ; :armOf bkd:s ; :hasArmRole bkd:control-arm .
bkd:pop a :Population ; :enrolledCount 300 .
"""
FINDING = "bkd:f a :OutcomeMeasurement ; :hasAssertionKind bkd:reported-result ; :inStudy bkd:s .\n"

# one fixture per rule step: (step that must level bkd:f, Turtle)
BRANCHES = {
    "assessment in a randomized trial": ("level-rule-review-inference",
        RCT + "bkd:f a :OutcomeMeasurement ; :hasAssertionKind bkd:review-assessment ; :inStudy bkd:s ."),
    "cited hypothesis": ("level-rule-review-inference",
        "bkd:f a :ResistanceFinding ; :hasAssertionKind bkd:cited-hypothesis ."),
    "proposed result of a trial": ("level-rule-proposed-or-unproven",
        RCT + "bkd:f a :ResistanceFinding ; :hasAssertionKind bkd:reported-result ; :inStudy bkd:s ;"
              " :hasEvidenceStatus bkd:proposed ."),
    "unproven": ("level-rule-proposed-or-unproven",
        "bkd:f a :AdverseEventReport ; :hasAssertionKind bkd:background-knowledge ; :hasEvidenceStatus bkd:unproven ."),
    "preclinical study": ("level-rule-preclinical-study",
        "bkd:s a :PreclinicalStudy ; :studyModel \"xenografts\" .\n" + FINDING),
    "case report": ("level-rule-case-report",
        "bkd:s a :CaseReport ; :hasPopulation bkd:pop . bkd:pop a :Population ; :enrolledCount 1 .\n" + FINDING),
    "trial of four patients (largest count of population and arms)": ("level-rule-very-small-study",
        "bkd:s a :ClinicalTrial ; :hasPhase bkd:phase-1 ; :hasPopulation bkd:pop ; :hasArm bkd:arm ."
        " bkd:pop a :Population ; :enrolledCount 3 . bkd:arm a :StudyArm ; :armOf bkd:s ; :enrolledCount 4 .\n" + FINDING),
    "stopped randomized phase III": ("level-rule-randomized-phase-3-stopped",
        RCT + "bkd:s :hasStatus bkd:terminated-early .\n" + FINDING),
    "randomized phase III result in a discrepancy": ("level-rule-randomized-phase-3-discrepancy",
        RCT + FINDING + "bkd:f :hasDiscrepancy bkd:d . bkd:d a :Discrepancy ; :involves bkd:f ."),
    "randomized phase III with a concurrent control": ("level-rule-randomized-phase-3", RCT + FINDING),
    "randomized phase III, study reached through the arm": ("level-rule-randomized-phase-3",
        RCT + "bkd:f a :OutcomeMeasurement ; :hasAssertionKind bkd:reported-result ; :forArm bkd:arm-x ."),
    "phase III not randomized (hard case)": ("level-rule-phase-3-not-randomized",
        RCT.replace(" :hasDesignFeature bkd:randomized ;", "") + FINDING),
    "randomized phase III against a historical control only": ("level-rule-phase-3-not-randomized",
        RCT.replace("bkd:control-arm", "bkd:historical-control") + FINDING),
    "trial without a patient count (hard case)": ("level-rule-clinical-study-without-count",
        "bkd:s a :ClinicalTrial ; :hasPhase bkd:phase-2 .\n" + FINDING),
    "cohort analysis without a count": ("level-rule-clinical-study-without-count",
        "bkd:s a :CohortAnalysis .\n" + FINDING),
    "phase II trial of 40 patients": ("level-rule-clinical-study",
        "bkd:s a :ClinicalTrial ; :hasPhase bkd:phase-2 ; :hasPopulation bkd:pop . bkd:pop a :Population ; :enrolledCount 40 .\n"
        + FINDING),
    "no study, shown in models": ("level-rule-shown-in-models",
        "bkd:f a :AttributeFinding ; :hasAssertionKind bkd:background-knowledge ; :hasEvidenceStatus bkd:shown-in-models ."),
    "no study, observed in patients": ("level-rule-observed-in-patients",
        "bkd:f a :ResistanceFinding ; :hasAssertionKind bkd:reported-result ; :hasEvidenceStatus bkd:observed-in-patients ."),
    "rests on a randomized result through another finding": ("level-rule-rests-on-level-a",
        RCT + "bkd:g a :OutcomeMeasurement ; :hasAssertionKind bkd:reported-result ; :inStudy bkd:s .\n"
        "bkd:h a :Finding ; :hasAssertionKind bkd:background-knowledge ; :supportedBy bkd:g .\n"
        "bkd:f a :Finding ; :hasAssertionKind bkd:background-knowledge ; :supportedBy bkd:h ."),
    "rests on clinical and preclinical findings: the strongest wins": ("level-rule-rests-on-level-b",
        "bkd:s a :ClinicalTrial . bkd:m a :PreclinicalStudy .\n"
        "bkd:g a :OutcomeMeasurement ; :hasAssertionKind bkd:reported-result ; :inStudy bkd:s .\n"
        "bkd:k a :AttributeFinding ; :hasAssertionKind bkd:reported-result ; :inStudy bkd:m .\n"
        "bkd:f a :Finding ; :hasAssertionKind bkd:background-knowledge ; :supportedBy bkd:g , bkd:k ."),
    "rests on a case report": ("level-rule-rests-on-level-c",
        "bkd:s a :CaseReport . bkd:g a :AdverseEventReport ; :hasAssertionKind bkd:reported-result ; :inStudy bkd:s .\n"
        "bkd:f a :Finding ; :hasAssertionKind bkd:reported-result ; :supportedBy bkd:g ."),
    "rests on a preclinical finding": ("level-rule-rests-on-level-d",
        "bkd:m a :PreclinicalStudy . bkd:k a :AttributeFinding ; :hasAssertionKind bkd:reported-result ; :inStudy bkd:m .\n"
        "bkd:f a :Finding ; :hasAssertionKind bkd:reported-result ; :supportedBy bkd:k ."),
    "rests on an assessment": ("level-rule-rests-on-level-e",
        "bkd:g a :Finding ; :hasAssertionKind bkd:review-assessment .\n"
        "bkd:f a :AttributeFinding ; :hasAssertionKind bkd:background-knowledge ; :supportedBy bkd:g ."),
    "no study, no status, nothing to rest on (hard case)": ("level-rule-no-recorded-evidence",
        "bkd:f a :AntigenExpressionFinding ; :hasAssertionKind bkd:background-knowledge ."),
    "study of an unrecorded kind": ("level-rule-no-recorded-evidence", "bkd:s a :Study .\n" + FINDING),
    "findings resting on each other only": ("level-rule-no-recorded-evidence",
        "bkd:f a :Finding ; :hasAssertionKind bkd:reported-result ; :supportedBy bkd:g .\n"
        "bkd:g a :Finding ; :hasAssertionKind bkd:reported-result ; :supportedBy bkd:f ."),
}


@pytest.fixture(scope="module")
def ontology():
    return load_ontology()


def derive(ontology, turtle: str) -> rdflib.Graph:
    data = rdflib.Graph().parse(data=PREFIXES + turtle, format="turtle")
    return derive_evidence(ontology + data)


def steps_of(derived: rdflib.Graph) -> dict[str, str]:
    return {str(f)[len(BKD):]: str(r)[len(BKD):] for f, r in derived.subject_objects(BK.evidenceLevelAssignedBy)}


# ============================================================================ the rule, one fixture per step
@pytest.mark.parametrize("case", sorted(BRANCHES))
def test_each_rule_step_levels_its_fixture(ontology, case):
    step, turtle = BRANCHES[case]
    derived = derive(ontology, turtle)
    assert steps_of(derived)["f"] == step
    # the level is the one the step assigns, and every finding of the fixture has exactly one of each
    assert derived.value(BKD.f, BK.hasEvidenceLevel) == ontology.value(BKD[step], BK.assignsLevel)
    findings = set(derived.subjects(BK.evidenceLevelAssignedBy, None))
    for p in (BK.evidenceLevelAssignedBy, BK.hasEvidenceLevel, BK.hasEvidenceDirection, BK.hasEvidenceCode):
        assert {f: len(list(derived.objects(f, p))) for f in findings} == {f: 1 for f in findings}, p


def test_every_rule_step_has_a_fixture(ontology):
    declared = {str(s)[len(BKD):] for s in ontology.subjects(RDF.type, BK.EvidenceLevelRule)}
    assert {step for step, _ in BRANCHES.values()} == declared
    # and every level step of the rule file names a declared step (or builds the level from the steps)
    level_steps = {s.name for s in load_steps() if s.name.startswith("level")}
    assert level_steps - {"level", "level-rule-rests-on"} == declared - {f"level-rule-rests-on-level-{x}" for x in "abcde"}


def test_deriving_is_deterministic_and_ignores_hand_written_evidence(ontology):
    turtle = RCT + FINDING + "bkd:f :hasEvidenceLevel bkd:evidence-level-e ; :evidenceLevelAssignedBy bkd:level-rule-case-report ."
    data = rdflib.Graph().parse(data=PREFIXES + turtle, format="turtle")
    first, second = derive_evidence(ontology + data), derive_evidence(ontology + data)
    assert set(first) == set(second)
    assert first.value(BKD.f, BK.hasEvidenceLevel) == BKD["evidence-level-a"]
    cleaned = with_evidence(ontology + data)
    assert set(cleaned.objects(BKD.f, BK.hasEvidenceLevel)) == {BKD["evidence-level-a"]}


def test_a_broken_rule_step_is_reported_with_its_name(ontology):
    with pytest.raises(EvidenceRuleError, match="step 'broken'"):
        derive_evidence(ontology, steps=[RuleStep("broken", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p }")])
    with pytest.raises(EvidenceRuleError, match="not a CONSTRUCT"):
        derive_evidence(ontology, steps=[RuleStep("select", "SELECT ?s WHERE { ?s ?p ?o }")])


@pytest.mark.parametrize("turtle, expected", [
    # a cited clinical result; an animal-model result; a cell-line result; a cited assessment; an uncited statement
    ("bkd:s a :ClinicalTrial .\n" + FINDING, "0006017"),
    ("bkd:s a :PreclinicalStudy ; :studyModel \"mouse model of transplantation\" .\n" + FINDING, "0007120"),
    ("bkd:s a :PreclinicalStudy ; :studyModel \"ALL cell lines\" .\n" + FINDING, "0007122"),
    ("bkd:f a :Finding ; :hasAssertionKind bkd:review-assessment ; :citesReference bkd:ref-1 .", "0000304"),
    ("bkd:f a :Finding ; :hasAssertionKind bkd:background-knowledge .", "0000303"),
])
def test_evidence_code(ontology, turtle, expected):
    assert str(derive(ontology, turtle).value(BKD.f, BK.hasEvidenceCode)) == ECO + expected


@pytest.mark.parametrize("turtle, expected", [
    (RCT + FINDING + "bkd:c a :Comparison ; :comparesMeasurement bkd:f ; :hasReferenceMeasurement bkd:g ; :pValue 0.095 .\n"
     "bkd:g a :OutcomeMeasurement .", "does-not-support"),
    (RCT + FINDING + "bkd:c a :Comparison ; :comparesMeasurement bkd:f ; :hasReferenceMeasurement bkd:g ; :pValue 0.02 .\n"
     "bkd:g a :OutcomeMeasurement .", "supports"),
    (RCT + FINDING + "bkd:c a :Comparison ; :comparesMeasurement bkd:f ; :hasReferenceMeasurement bkd:g ; :pValue 0.05 .\n"
     "bkd:g a :OutcomeMeasurement .", "does-not-support"),
    (RCT + FINDING + "bkd:c a :Comparison ; :comparesMeasurement bkd:f ; :hasReferenceMeasurement bkd:g ; :pValue 0.05 ;\n"
     ":pValueRelation \"<\" . bkd:g a :OutcomeMeasurement .", "supports"),
    ("bkd:f a :AttributeFinding ; :hasAssertionKind bkd:background-knowledge ; :booleanValue false .", "does-not-support"),
    ("bkd:f a :ComparativeFinding ; :hasAssertionKind bkd:background-knowledge ; :hasDirection bkd:similar .",
     "does-not-support"),
    ("bkd:f a :ComparativeFinding ; :hasAssertionKind bkd:background-knowledge ; :hasDirection bkd:higher .", "supports"),
])
def test_direction(ontology, turtle, expected):
    assert derive(ontology, turtle).value(BKD.f, BK.hasEvidenceDirection) == BKD[expected]


# ============================================================================ the curated graph
@pytest.fixture(scope="module")
def curated(kg):
    return derive_evidence(kg)


def level_and_step(curated, finding):
    f = BKD[finding]
    level = str(curated.value(f, BK.hasEvidenceLevel))[len(BKD) + len("evidence-level-"):].upper()
    return level, str(curated.value(f, BK.evidenceLevelAssignedBy))[len(BKD):]


GRAALL_A = {f"om-graall-{o}-{arm}" for o in ("cr", "cir-2y", "efs-2y", "efs-2y-censored", "os-2y", "os-2y-censored")
            for arm in ("rituximab", "control")}
INO_PHASE3_A = {f"om-ino-phase3-{o}-{arm}" for o in ("cr", "os-median", "pfs-median") for arm in ("ino", "standard")}
# the comparisons between those arms (p-values) are graded like the measurements they link
COMPARISONS_A = ({f"cmp-graall-{o}-rituximab" for o in ("cr", "cir-2y", "efs-2y", "efs-2y-censored", "os-2y", "os-2y-censored")}
                 | {f"cmp-ino-phase3-{o}-ino" for o in ("cr", "os-median", "pfs-median")})


def test_level_a_is_exactly_the_randomized_phase_3_results_without_discrepancy(curated):
    level_a = {str(f)[len(BKD):] for f in curated.subjects(BK.hasEvidenceLevel, BKD["evidence-level-a"])}
    assert level_a == GRAALL_A | INO_PHASE3_A | COMPARISONS_A


@pytest.mark.parametrize("finding, level, step", [
    ("om-graall-cir-2y-rituximab", "A", "level-rule-randomized-phase-3"),
    ("om-ino-phase3-cr-ino", "A", "level-rule-randomized-phase-3"),
    # INO-VATE MRD negativity: text and table disagree (a recorded discrepancy)
    ("om-ino-phase3-mrd-negativity-ino", "B", "level-rule-randomized-phase-3-discrepancy"),
    # MD Anderson: phase III in Table 1, never said to be randomized
    ("om-mdacc-rituximab-os-under60-rituximab", "B", "level-rule-phase-3-not-randomized"),
    # ELIANA: no patient count in the review
    ("om-eliana-cr", "B", "level-rule-clinical-study-without-count"),
    ("om-upenn-ctl019-cr", "B", "level-rule-clinical-study"),
    # UPenn/CHOP CTL119: known only from a meeting report (ASH 2016); still prospective patient data, so B
    ("om-ctl119-cr", "B", "level-rule-clinical-study"),
    ("finding-cd19-loss-relapse-after-car-t", "B", "level-rule-observed-in-patients"),
    ("om-cai-mrd-negative-cr", "C", "level-rule-case-report"),
    ("ae-dai-donor-car-t-gvhd", "C", "level-rule-case-report"),
    ("finding-sar3419-xenograft-delays-progression", "D", "level-rule-preclinical-study"),
    ("finding-smith-m1928z-less-gvhd-than-m19bbz", "D", "level-rule-preclinical-study"),
    ("finding-conclusion-relapse-major-problem", "E", "level-rule-review-inference"),
    ("finding-blinatumomab-resistance-pd-l1", "E", "level-rule-review-inference"),
    ("finding-humanized-scfv-retreatment", "E", "level-rule-proposed-or-unproven"),
    ("finding-cd20-expression-pre-b-all", "E", "level-rule-no-recorded-evidence"),
    # rests on a finding with no recorded evidence of its own
    ("finding-rituximab-older-unfit-patients", "E", "level-rule-no-recorded-evidence"),
])
def test_level_of_curated_findings(curated, finding, level, step):
    assert level_and_step(curated, finding) == (level, step)


def test_case_and_preclinical_levels_are_exactly_the_case_reports_and_preclinical_studies(curated):
    def members(letter):
        return {str(f)[len(BKD):] for f in curated.subjects(BK.hasEvidenceLevel, BKD[f"evidence-level-{letter}"])}
    assert members("c") == {"om-cai-mrd-negative-cr", "om-cai-full-donor-engraftment", "ae-cai-mild-toxicity",
                            "ae-dai-donor-car-t-gvhd", "finding-lacey-car-transduced-leukemic-cell"}
    assert members("d") == {"finding-sar3419-xenograft-delays-progression", "finding-obinutuzumab-preclinical-only-in-all",
                            "finding-smith-m1928z-less-gvhd-than-m19bbz", "finding-smith-m1928z-less-gvhd-than-m19delta"}


def test_every_curated_finding_has_one_level_step_direction_and_code(kg, curated):
    findings = {f for f, c in kg.subject_objects(RDF.type)
                if isinstance(f, rdflib.URIRef) and (c == BK.Finding or (c, rdflib.RDFS.subClassOf, BK.Finding) in kg)}
    assert len(findings) > 300
    for p in (BK.evidenceLevelAssignedBy, BK.hasEvidenceLevel, BK.hasEvidenceDirection, BK.hasEvidenceCode):
        assert {f for f in findings if len(list(curated.objects(f, p))) != 1} == set(), p


def test_no_curated_file_writes_derived_evidence():
    for path in sources.graph_files():
        g = rdflib.Graph().parse(path, format="turtle")
        assert [t for t in g if t[1] in DERIVED_PROPERTIES] == [], path.name


# ============================================================================ reasoning (release built with HermiT)
def test_hermit_fills_the_evidence_classes(release_store):
    def members(cls):
        q = f"SELECT ?f WHERE {{ ?f a <{BK[cls]}> }}"
        return {r["f"].value[len(BKD):] for r in release_store.query(q)}
    assert members("ValidatedEvidenceFinding") == GRAALL_A | INO_PHASE3_A | COMPARISONS_A
    assert members("RandomizedEvidenceFinding") == GRAALL_A | INO_PHASE3_A | COMPARISONS_A | {
        "om-ino-phase3-mrd-negativity-ino", "om-ino-phase3-mrd-negativity-standard", "cmp-ino-phase3-mrd-negativity-ino"}
    assert members("CaseStudyEvidenceFinding") == {
        "om-cai-mrd-negative-cr", "om-cai-full-donor-engraftment", "ae-cai-mild-toxicity", "ae-dai-donor-car-t-gvhd",
        "finding-lacey-car-transduced-leukemic-cell"}


# ============================================================================ stored queries, exact answers
EVIDENCE_QUERIES = {"strongest-evidence-for-each-agent-in-each-setting", "claims-about-an-agent-by-evidence-level",
                    "claims-with-only-inferential-or-preclinical-support"}
COVERED: set[str] = set()


def covers(name):
    """Mark a test as checking the exact answer of this stored query."""
    COVERED.add(name)
    return lambda f: f


def run(release, name, **params):
    return run_stored(name, params, release_dir=release, rebuild=False)


def local(value):
    text = str(value or "")
    for ns in (str(BKD), "http://purl.obolibrary.org/obo/"):
        if text.startswith(ns):
            return text[len(ns):]
    return text


def parts(value):
    return frozenset(local(p) for p in (value or "").split("; ") if p)


@covers("strongest-evidence-for-each-agent-in-each-setting")
def test_strongest_evidence_for_each_agent_in_each_setting(release):
    rows = run(release, "strongest-evidence-for-each-agent-in-each-setting").rows
    table = {(local(r["agent"]), local(r["setting"])): (local(r["level"]), parts(r["findings"])) for r in rows}
    assert len(table) == len(rows)
    # level A only where a randomized phase III trial with a control arm tested the agent
    assert {k: v for k, v in table.items() if v[0] == "evidence-level-a"} == {
        ("rituximab", "newly-diagnosed"): ("evidence-level-a", frozenset(
            f for f in GRAALL_A | COMPARISONS_A if f.startswith(("om-graall", "cmp-graall")) and f.endswith("rituximab"))),
        ("inotuzumab-ozogamicin", "relapsed-or-refractory"): (
            "evidence-level-a", frozenset(f for f in INO_PHASE3_A | COMPARISONS_A if "ino-phase3" in f and f.endswith("-ino")))}
    assert {k: v[0] for k, v in table.items() if k[0] == "blinatumomab"} == {
        ("blinatumomab", ""): "evidence-level-b", ("blinatumomab", "mrd-positive-remission"): "evidence-level-b",
        ("blinatumomab", "relapsed-or-refractory"): "evidence-level-b"}
    # obinutuzumab: preclinical data only in ALL (Table 1 lists no ALL trial)
    assert {k: v for k, v in table.items() if k[0] == "obinutuzumab"} == {
        ("obinutuzumab", ""): ("evidence-level-d", frozenset({"finding-obinutuzumab-preclinical-only-in-all"}))}
    # the donor-derived CAR T cells of Cai et al. (one patient): case evidence only
    assert table[("cai-haploidentical-car-t", "")] == ("evidence-level-c", frozenset(
        {"om-cai-full-donor-engraftment", "om-cai-mrd-negative-cr", "ae-cai-mild-toxicity"}))


@covers("claims-about-an-agent-by-evidence-level")
def test_claims_about_rituximab_by_evidence_level(release):
    rows = run(release, "claims-about-an-agent-by-evidence-level").rows
    levels = [local(r["level"])[-1] for r in rows]
    assert levels == sorted(levels), "ordered from A to E"
    got = {local(r["finding"]): (local(r["level"])[-1].upper(), local(r["direction"]), local(r["evidenceCode"]))
           for r in rows}
    rct, cited, uncited = "ECO_0006017", "ECO_0000304", "ECO_0000303"
    assert {f: v for f, v in got.items() if v[0] in "AB"} == {
        # GRAALL rituximab arm; 2-year OS 71 vs 60%, P = .095: not significant
        "om-graall-cr-rituximab": ("A", "supports", rct), "om-graall-cir-2y-rituximab": ("A", "supports", rct),
        "om-graall-efs-2y-rituximab": ("A", "supports", rct), "om-graall-efs-2y-censored-rituximab": ("A", "supports", rct),
        "om-graall-os-2y-rituximab": ("A", "does-not-support", rct),
        "om-graall-os-2y-censored-rituximab": ("A", "supports", rct),
        # the comparisons of the rituximab arm with the control arm carry the p-values (p = .095: not significant)
        **{f"cmp-graall-{o}-rituximab": ("A", "supports", rct) for o in ("cr", "cir-2y", "efs-2y", "efs-2y-censored",
                                                                         "os-2y-censored")},
        "cmp-graall-os-2y-rituximab": ("A", "does-not-support", rct),
        # MD Anderson (phase III, not randomized): benefit under 60, none at 60 or older, infection deaths
        "om-mdacc-rituximab-crd-under60-rituximab": ("B", "supports", rct),
        "om-mdacc-rituximab-os-under60-rituximab": ("B", "supports", rct),
        "cmp-mdacc-rituximab-crd-under60-rituximab": ("B", "supports", rct),
        "cmp-mdacc-rituximab-os-under60-rituximab": ("B", "supports", rct),
        "finding-mdacc-rituximab-no-benefit-elderly": ("B", "does-not-support", rct),
        "ae-rituximab-fatal-infection-elderly-mdacc": ("B", "supports", rct),
        "finding-rituximab-cns-relapse": ("B", "supports", uncited)}
    assert {f for f, v in got.items() if v[0] == "E"} == {
        "ae-rituximab-hbv-reactivation", "ae-rituximab-infusion-reaction", "ae-rituximab-mucocutaneous-reaction",
        "ae-rituximab-pml", "finding-mdacc-rituximab-role-under-60", "finding-ofatumumab-overcomes-rituximab-resistance",
        "finding-rituximab-benefit-cd20-ph-negative-rituximab-vs-graall-protocol",
        "finding-rituximab-benefit-cd20-ph-negative-rituximab-vs-modified-hyper-cvad", "finding-rituximab-efficacy-in-all",
        "finding-rituximab-efficacy-nhl-burkitt", "finding-rituximab-limited-monotherapy-efficacy",
        "finding-rituximab-low-toxicity", "finding-rituximab-no-bbb-crossing", "finding-rituximab-older-unfit-patients",
        # what rituximab is, in the review's wording and in its product information (no study behind either)
        "finding-rituximab-origin-review-reading", "finding-rituximab-origin-reference-reading"}
    assert got["finding-rituximab-efficacy-nhl-burkitt"][2] == cited


@covers("claims-with-only-inferential-or-preclinical-support")
def test_claims_about_obinutuzumab_with_only_inferential_or_preclinical_support(release):
    rows = run(release, "claims-with-only-inferential-or-preclinical-support").rows
    got = {local(r["finding"]): (local(r["level"])[-1].upper(), local(r["rule"]), parts(r["supportingFindings"]))
           for r in rows}
    none = frozenset()
    assert got == {
        "finding-obinutuzumab-preclinical-only-in-all": ("D", "level-rule-preclinical-study", none),
        "finding-obinutuzumab-adcc": ("E", "level-rule-no-recorded-evidence",
                                      frozenset({"finding-obinutuzumab-fcgr3-binding"})),
        "finding-obinutuzumab-cdc": ("E", "level-rule-no-recorded-evidence", none),
        "finding-obinutuzumab-direct-cell-death": ("E", "level-rule-no-recorded-evidence", none),
        "finding-obinutuzumab-efficacy-cll": ("E", "level-rule-no-recorded-evidence", none),
        "finding-obinutuzumab-fcgr3-binding": ("E", "level-rule-no-recorded-evidence", none),
        "finding-obinutuzumab-fda-approval-cll": ("E", "level-rule-no-recorded-evidence", none),
        # one comparative finding per comparator (rituximab, ofatumumab)
        **{f"finding-obinutuzumab-potency-vs-anti-cd20-obinutuzumab-vs-{other}": (
            "E", "level-rule-proposed-or-unproven", frozenset({"finding-obinutuzumab-direct-cell-death"}))
           for other in ("rituximab", "ofatumumab")}}


def test_claims_resting_on_clinical_findings_are_left_out(release):
    # the review's judgement on SGN-CD19A rests on its phase I results (level B), so it is not listed
    rows = run(release, "claims-with-only-inferential-or-preclinical-support", agent="sgn-cd19a").rows
    assert {local(r["finding"]) for r in rows} == {"finding-sgn-cd19a-payload-release"}


def test_every_evidence_query_has_an_exact_answer_test():
    from ballkg.queries import catalogue

    assert COVERED == EVIDENCE_QUERIES and EVIDENCE_QUERIES <= set(catalogue(sources.queries_dir()))
