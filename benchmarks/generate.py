"""Synthetic growth of the curated graph: clone and perturb the review's studies to N studies.

Every curated study is a template together with everything that belongs to it: arms, populations,
dose specifications, findings reported in it, their subgroups and recorded discrepancies. A clone
gets new IRIs, a new registry id and perturbed numbers (counts scaled together so percentages still
follow from them; other values moved by up to 10% within their bounds), and keeps pointing at the
shared agents, vocabulary and provenance locations, so it is shaped like real curated data and
passes the same shapes.
"""
from __future__ import annotations

import argparse
import random
from decimal import Decimal
from pathlib import Path

import rdflib
from rdflib.namespace import RDF, RDFS, XSD

from ballkg import sources

BK = sources.BK
LINKS_INTO_STUDY = (BK.armOf, BK.inStudy)
COUNT_PROPS = {BK.numerator, BK.denominator, BK.enrolledCount, BK.evaluableCount}
PERCENT_BOUNDED = {BK.value, BK.valueMin, BK.valueMax, BK.ciLower, BK.ciUpper, BK.expressionPercent}
KEEP_EXACT = {BK.pValue, BK.ciLevelPercent, BK.timepointMonths, BK.administrationDay, BK.cycleNumber,
              BK.mrdThreshold, BK.rowNumber, BK.referenceNumber, BK.enrollmentStartYear, BK.enrollmentEndYear,
              BK.doseLevel, BK.doseMin, BK.doseMax, BK.observedAgeMinYears, BK.observedAgeMaxYears,
              BK.eligibleAgeMinYears, BK.eligibleAgeMaxYears, BK.medianAgeYears, BK.minimumMrdLevel,
              BK.minimumMarrowBlastPercent, BK.hazardRatio}


def study_bundles(g: rdflib.Graph) -> dict[rdflib.URIRef, set]:
    """Each study with the nodes that belong to it alone."""
    bundles = {}
    for study in g.subjects(RDF.type, None):
        if (study, RDF.type, BK.ClinicalTrial) not in g and (study, RDF.type, BK.CaseReport) not in g:
            continue
        members = {study}
        members |= set(g.objects(study, BK.hasArm)) | set(g.subjects(BK.armOf, study))
        frontier = set(g.objects(study, BK.hasPopulation))
        for arm in list(members):
            frontier |= set(g.objects(arm, BK.hasDose)) | set(g.objects(arm, BK.hasPopulation))
        while frontier:
            node = frontier.pop()
            if node in members:
                continue
            members.add(node)
            frontier |= set(g.objects(node, BK.hasSubpopulation))
        arms = set(g.subjects(BK.armOf, study))
        findings = set(g.subjects(BK.inStudy, study)) | {f for a in arms for f in g.subjects(BK.forArm, a)}
        members |= findings
        for f in findings:
            for disc in g.objects(f, BK.hasDiscrepancy):
                # a discrepancy is cloned with the study only if every reading it involves is cloned too
                if set(g.objects(disc, BK.involves)) <= members | findings:
                    members.add(disc)
        bundles[study] = members
    return bundles


def _perturb(p, o: rdflib.Literal, factor: int, scale: Decimal):
    if p in COUNT_PROPS and o.datatype == XSD.integer:
        return rdflib.Literal(int(o) * factor, datatype=XSD.integer)
    if o.datatype == XSD.decimal and p not in KEEP_EXACT and p not in COUNT_PROPS:
        original = Decimal(str(o))
        value = original * scale  # one scale per node keeps min <= max and CI bounds around the value
        if p in PERCENT_BOUNDED:
            value = min(value, Decimal(100))
        places = max(1, -original.as_tuple().exponent)  # keep the precision the curated value had
        return rdflib.Literal(value.quantize(Decimal(1).scaleb(-places)), datatype=XSD.decimal)
    return o


def clone(g: rdflib.Graph, bundles: dict, n_studies: int, seed: int = 7):
    """Yield the triples of n_studies synthetic studies (round-robin over the templates)."""
    rng = random.Random(seed)
    templates = sorted(bundles)
    for k in range(n_studies):
        study = templates[k % len(templates)]
        members = bundles[study]
        suffix = f"-synthetic-{k}"
        rename = {m: rdflib.URIRef(str(m) + suffix) for m in members}
        factor = 1 + rng.randrange(3)
        for m in members:
            scale = Decimal(str(round(rng.uniform(0.9, 1.1), 3)))
            # a reading marked preferred or not keeps the mark only with a discrepancy that holds its twin
            twinned = any(d in members for d in g.objects(m, BK.hasDiscrepancy))
            for p, o in g.predicate_objects(m):
                if p == BK.hasDiscrepancy and o not in members:
                    continue  # that discrepancy spans other studies and stays with the originals
                if p == BK.isPreferredReading and not twinned:
                    continue
                if p == BK.registryId:
                    o = rdflib.Literal(f"NCT9{k:07d}")
                elif p in (RDFS.label,):
                    o = rdflib.Literal(f"{o} [synthetic {k}]", lang=o.language)
                elif isinstance(o, rdflib.Literal):
                    if p in PERCENT_BOUNDED and (m, BK.numerator, None) in g:
                        pass  # a percentage that follows from counts keeps its value: the counts scale together
                    else:
                        o = _perturb(p, o, factor, scale)
                yield rename[m], p, rename.get(o, o)


def write_synthetic(n_studies: int, out: Path, seed: int = 7, with_evidence: bool = False) -> int:
    """Write n_studies synthetic studies as N-Triples (valid Turtle) to out; returns the triple count.

    with_evidence also writes the evidence the rule derives for the curated findings and clones it with
    them, so that a build that does not derive evidence (build(derive=False)) still conforms."""
    g = sources.load_instances()
    bundles = study_bundles(g)
    count = 0
    out.parent.mkdir(parents=True, exist_ok=True)
    evidence = rdflib.Graph()
    if with_evidence:
        from ballkg.evidence import derive_evidence

        evidence = derive_evidence(sources.load_sources())
        g += evidence
    with out.open("w", encoding="utf-8") as fh:
        for s, p, o in evidence:
            fh.write(f"{s.n3()} {p.n3()} {o.n3()} .\n")
            count += 1
        for s, p, o in clone(g, bundles, n_studies, seed):
            fh.write(f"{s.n3()} {p.n3()} {o.n3()} .\n")
            count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description="write N synthetic studies cloned from the curated ones")
    parser.add_argument("n", type=int)
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    print(write_synthetic(args.n, args.out), "triples written to", args.out)


if __name__ == "__main__":
    main()
