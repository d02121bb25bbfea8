"""Write graph/statement-provenance.ttl: one OWL axiom annotation per fact about an entity.

Facts about entities (an agent's target, mechanism, payload, origin, developer; a CAR's domains; a regimen's
components and role; an antigen's internalization; an adverse event's consequences) carried provenance only on
the whole node, or none. This script gives each such statement (subject, property, object) its own location(s),
cited references and assertion kind, as an owl:Axiom annotated with :statementStatedIn, :statementCitesReference,
:statementAssertionKind and :statementSource.

Where a node names a single location, its facts are stated there (mechanical). Where a node names several, or
none, the locations of each fact are curated in CURATED below, each checked against the review's text (the
line comments say what the review states there). A fact the script cannot place is an error: curate it here.

    python scripts/statement_provenance.py          # rewrite graph/statement-provenance.ttl
    python scripts/statement_provenance.py --check  # exit 1 if the file is not what the script would write
"""
from __future__ import annotations

import sys
from pathlib import Path

import rdflib
from rdflib.namespace import RDF, RDFS

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ballkg import sources  # noqa: E402

BK, BKD = rdflib.Namespace(sources.BK_IRI), rdflib.Namespace(sources.BKD_IRI)
OUT = "statement-provenance.ttl"
PROVENANCE = {BK.statedIn, BK.hasSource, BK.citesReference, BK.hasDiscrepancy}
# nodes of these classes are statements or document parts with their own provenance, not entities
NOT_ENTITIES = [BK.Finding, BK.Study, BK.StudyArm, BK.Population, BK.DoseSpecification, BK.Subgroup, BK.Discrepancy,
                BK.SourceDocument, BK.CitedReference, BK.DocumentLocation, BK.ControlledTerm]
ANY = "*"

# (subject, property, object or ANY) -> (locations, cited reference numbers); the most specific key wins.
C = dict[tuple[str, str, str], tuple[list[str], list[int]]]
CAR_T_SECTION = ["sec-car-t"]  # CAR structure (scFv, CD3 zeta) and how CAR T cells recognise and kill
CURATED: C = {
    # ---- antibodies: target in the text and in the Targets column of Tables 1 and 2; make-up in the text
    ("alemtuzumab", "hasTarget", ANY): (["sec-cd52-alemtuzumab", "table-1-row-12", "table-1-row-13", "table-2-row-8"],
                                        []),
    ("alemtuzumab", ANY, ANY): (["sec-cd52-alemtuzumab"], []),  # antibody against CD52 (origin: REFERENCE_RECORD)
    ("blinatumomab", "hasTarget", "cd19"): (["sec-blinatumomab", "table-1-row-4", "table-1-row-5", "table-2-row-5"],
                                            []),
    ("blinatumomab", "hasTarget", "cd3"): (["sec-blinatumomab"], []),  # binds CD3 on CTLs and CD19 on B cells
    ("blinatumomab", "hasMechanism", "cytokine-release"): (["sec-blinatumomab"], [21, 22]),
    ("blinatumomab", "hasMechanism", "cytotoxic-granule-release"): (["sec-blinatumomab"], [21, 22]),  # perforin
    ("blinatumomab", ANY, ANY): (["sec-blinatumomab"], []),
    ("epratuzumab", "hasTarget", ANY): (["sec-epratuzumab", "table-1-row-6", "table-1-row-7", "table-2-row-6"], []),
    ("epratuzumab", "hasMechanism", ANY): (["sec-epratuzumab"], [35]),  # phosphorylation of BCR inhibitory receptors
    ("epratuzumab", ANY, ANY): (["sec-epratuzumab"], []),  # naked humanized IgG1
    ("inotuzumab-ozogamicin", "hasTarget", ANY): (["sec-inotuzumab-ozogamicin", "table-1-row-8", "table-1-row-9",
                                                   "table-1-row-10", "table-1-row-11", "table-2-row-7"], []),
    ("inotuzumab-ozogamicin", ANY, ANY): (["sec-inotuzumab-ozogamicin"], []),  # humanized IgG4, calicheamicin
    ("ofatumumab", "hasTarget", ANY): (["sec-ofatumumab", "table-1-row-3", "table-2-row-2"], []),
    ("ofatumumab", "hasMechanism", ANY): (["sec-ofatumumab"], [12]),  # ADCC and CDC
    ("ofatumumab", ANY, ANY): (["sec-ofatumumab"], []),  # second-generation, HuMax-CD20
    ("rituximab", "hasTarget", ANY): (["sec-rituximab", "table-1-row-1", "table-1-row-2", "table-2-row-1"], []),
    ("rituximab", "hasMechanism", ANY): (["sec-ofatumumab"], [12]),  # ADCC and CDC, compared with ofatumumab's
    ("rituximab", ANY, ANY): (["sec-rituximab"], []),  # humanized murine mAb
    ("sar3419", "hasTarget", ANY): (["sec-sar3419", "table-2-row-3"], []),
    ("sar3419", "hasPayload", ANY): (["sec-sar3419"], [16]),  # maytansin, released inside the cell
    ("sar3419", "hasMechanism", ANY): (["sec-sar3419"], [16]),
    ("sar3419", ANY, ANY): (["sec-sar3419"], []),
    ("sgn-cd19a", "hasTarget", ANY): (["sec-sgn-cd19a", "table-2-row-4"], []),
    ("sgn-cd19a", ANY, ANY): (["sec-sgn-cd19a"], []),  # humanized anti-CD19 linked to MMAF
    # ---- classes of agents: Background and Figure 1
    ("antibody-drug-conjugates", ANY, ANY): (["sec-background", "fig-1"], []),
    ("bispecific-t-cell-engagers", ANY, ANY): (["sec-background", "fig-1"], []),
    ("naked-monoclonal-antibodies", ANY, ANY): (["sec-background", "fig-1"], []),
    ("cd19-car-t-cells", "hasMechanism", "car-mediated-recognition"): (["sec-background", "sec-car-t", "fig-1"], []),
    # granules, death receptors, cytokines
    ("cd19-car-t-cells", "hasMechanism", ANY): (["sec-background", "fig-1"], []),
    ("cd19-car-t-cells", ANY, ANY): (["sec-car-t"], []),
    # ---- antigens: internalization on binding
    ("cd19", "internalizesUponBinding", ANY): (["sec-background", "sec-sgn-cd19a"], []),
    ("cd19", "inTaxon", ANY): (["sec-background"], []),  # the patients' leukemic B cells, i.e. human CD19
    ("cd22", "internalizesUponBinding", ANY): (["sec-background", "sec-cd22-agents", "sec-epratuzumab"], []),
    # ---- CAR constructs: costimulatory domain and gene transfer in Table 3; CD3 zeta in the CAR section
    ("car-19-28z", "hasActivationDomain", ANY): (CAR_T_SECTION, []),
    ("car-19-28z", "hasCostimulatoryDomain", ANY): (["table-3-row-1", "sec-car-t-outcomes"], []),  # "19-28z"
    ("car-19-28z", ANY, ANY): (["table-3-row-1"], []),  # gamma-retrovirus
    ("car-ctl019", "hasActivationDomain", ANY): (CAR_T_SECTION, []),
    ("car-ctl019", ANY, ANY): (["table-3-row-5", "table-3-row-6", "table-3-row-7"], []),  # 4-1BB, lentivirus
    ("car-ctl119", "hasActivationDomain", ANY): (CAR_T_SECTION, []),
    ("car-ctl119", "hasScFvOrigin", ANY): (["table-3-row-8", "sec-car-t-relapse"], [73]),  # humanized scFv
    ("car-ctl119", ANY, ANY): (["table-3-row-8"], []),
    ("car-fhcrc-cd19-bb", "hasActivationDomain", ANY): (CAR_T_SECTION, []),
    ("car-fhcrc-cd19-bb", "hasScFvOrigin", ANY): (["sec-car-t-relapse"], [72]),  # rejection of the murine scFv
    ("car-fhcrc-cd19-bb", ANY, ANY): (["table-3-row-4"], []),
    # ---- CAR T products: target and construct in their Table 3 rows; cell source and developer in the text
    ("ctl019", "developedBy", "novartis"): (["sec-car-t-outcomes"], []),
    ("ctl019", "developedBy", "upenn"): (["sec-car-t-outcomes", "table-3-row-5"], []),
    ("ctl019", "hasCellSource", ANY): (["sec-car-t-outcomes"], []),  # "in addition to autologous CD19-CAR T cells"
    ("ctl019", "hasMechanism", ANY): (CAR_T_SECTION, []),
    ("ctl019", "hasTherapeuticRole", ANY): (["sec-car-t-outcomes"], []),
    ("ctl019", ANY, ANY): (["table-3-row-5", "table-3-row-6", "table-3-row-7"], []),
    ("ctl119", "developedBy", ANY): (["table-3-row-8"], []),
    ("ctl119", "hasMechanism", ANY): (CAR_T_SECTION, []),
    ("ctl119", "hasTherapeuticRole", ANY): (["sec-car-t-relapse"], []),
    ("ctl119", "hasCellSource", ANY): (["sec-car-t-outcomes"], []),
    ("ctl119", ANY, ANY): (["table-3-row-8"], []),
    ("fhcrc-cd19-car-t", "hasMechanism", ANY): (CAR_T_SECTION, []),
    ("fhcrc-cd19-car-t", "hasCellSource", ANY): (["sec-car-t-outcomes"], []),
    ("fhcrc-cd19-car-t", ANY, ANY): (["table-3-row-4"], []),  # defined 1:1 CD4+:CD8+ composition
    ("jcar015", "developedBy", ANY): (["sec-car-t-outcomes", "sec-car-t-toxicities"], []),
    ("jcar015", "expressesCAR", ANY): (["sec-car-t-outcomes", "table-3-row-1"], []),  # "19-28z CAR T cell (JCAR015"
    ("jcar015", "hasMechanism", ANY): (CAR_T_SECTION, []),
    ("jcar015", "hasTarget", ANY): (["table-3-row-1"], []),
    ("jcar015", ANY, ANY): (["sec-car-t-outcomes"], []),
    ("nci-cd19-car-t", "hasMechanism", ANY): (CAR_T_SECTION, []),
    ("nci-cd19-car-t", "hasCellSource", ANY): (["sec-car-t-outcomes"], []),
    ("nci-cd19-car-t", "hasTherapeuticRole", ANY): (["sec-car-t-outcomes"], []),
    ("nci-cd19-car-t", ANY, ANY): (["table-3-row-2"], []),
    ("zuma-cd19-car-t", "hasMechanism", ANY): (CAR_T_SECTION, []),
    ("zuma-cd19-car-t", "hasCellSource", ANY): (["sec-car-t-outcomes"], []),
    ("zuma-cd19-car-t", "hasTherapeuticRole", ANY): (["sec-car-t-outcomes"], []),
    ("zuma-cd19-car-t", ANY, ANY): (["table-3-row-3"], []),
    # ---- facts that had no provenance: regimens, supportive and toxicity management, adverse-event chains
    ("hyper-cvad", ANY, ANY): (["sec-rituximab"], [8]),  # cyclophosphamide, vincristine, doxorubicin, dexamethasone
    ("modified-hyper-cvad", ANY, ANY): (["sec-rituximab", "table-1-row-1"], [8]),
    ("graall-protocol", ANY, ANY): (["sec-rituximab", "table-1-row-2"], [9]),
    ("mtx-ara-c", ANY, ANY): (["sec-ofatumumab", "table-1-row-3"], [13]),  # hyper-CVAD/MTX-Ara-C with ofatumumab
    ("cog-reinduction", ANY, ANY): (["sec-epratuzumab"], []),
    ("clofarabine-cytarabine", ANY, ANY): (["sec-epratuzumab", "table-1-row-7"], []),
    ("consolidation-chemotherapy", ANY, ANY): (["sec-epratuzumab"], []),
    ("standard-intensive-chemotherapy", ANY, ANY): (["sec-inotuzumab-ozogamicin", "table-1-row-9"], [41]),
    ("flag", ANY, ANY): (["table-1-row-9", "table-3"], []),  # FLAG spelt out in the Table 3 footnote
    ("cytarabine-mitoxantrone", ANY, ANY): (["table-1-row-9"], [41]),
    ("high-dose-cytarabine", ANY, ANY): (["table-1-row-9"], [41]),
    ("mini-hyper-cvd", ANY, ANY): (["sec-inotuzumab-ozogamicin", "table-1-row-10", "table-1-row-11"], []),
    ("intrathecal-chemotherapy", ANY, ANY): (["sec-inotuzumab-ozogamicin", "table-1-row-10", "table-1-row-11"], []),
    # alemtuzumab after CR with induction; Cai's patient after induction; antibodies' place in induction
    ("induction-chemotherapy", ANY, ANY): (["sec-cd52-alemtuzumab", "sec-car-t-outcomes", "sec-conclusions"], []),
    ("g-csf", ANY, ANY): (["sec-cd52-alemtuzumab", "table-1-row-13"], [45]),
    ("unspecified-chemotherapy", ANY, ANY): (["sec-epratuzumab"], []),  # planned trial: chemotherapy with or without
    ("cyclophosphamide-conditioning", ANY, ANY): (["table-3-row-1", "table-3-row-2"], []),  # "Cy"
    ("flu-cy", ANY, ANY): (["table-3-row-1", "table-3-row-3", "table-3-row-4", "table-3-row-6", "table-3-row-7",
                            "table-3-row-8"], []),
    ("low-dose-flu-cy", ANY, ANY): (["table-3-row-2"], [54]),
    ("high-dose-flu-cy", ANY, ANY): (["table-3-row-2"], [54]),
    ("ifosfamide-etoposide", ANY, ANY): (["table-3-row-2"], [54]),
    ("flag-conditioning", ANY, ANY): (["table-3-row-2"], [54]),
    ("cyclophosphamide-etoposide", ANY, ANY): (["table-3-row-4"], [72]),  # "Cy ± etoposide or cy/flu"
    ("investigator-choice-lymphodepletion", ANY, ANY): (["table-3-row-5"], [56]),
    ("no-lymphodepletion", ANY, ANY): (["table-3-row-7"], [58]),  # "Flu/cy, or none due to leukopenia"
    ("antibiotics", ANY, ANY): (["sec-car-t-toxicities"], []),  # prevent infections after B-cell aplasia
    ("immunoglobulin-infusion", ANY, ANY): (["sec-car-t-toxicities"], []),
    ("hemodynamic-support", ANY, ANY): (["sec-car-t-toxicities"], []),  # management of severe CRS
    ("mechanical-ventilation", ANY, ANY): (["sec-car-t-toxicities"], []),
    # tocilizumab, named as an IL-6 inhibitor, in the management of severe CRS
    ("tocilizumab", ANY, ANY): (["sec-car-t-toxicities"], []),
    ("corticosteroids", ANY, ANY): (["sec-car-t-toxicities"], []),
    ("steroid-eye-drops", ANY, ANY): (["sec-sgn-cd19a"], []),  # for microcystic keratopathy
    ("btk-inhibitor", ANY, ANY): (["sec-car-t-relapse"], [77]),
    ("pd-1-inhibitor", ANY, ANY): (["sec-car-t-relapse"], [76]),
    ("on-target-off-tumor-toxicity", ANY, ANY): (["sec-car-t-toxicities"], []),
    ("b-cell-aplasia", ANY, ANY): (["sec-car-t-toxicities"], []),
    ("agammaglobulinemia", ANY, ANY): (["sec-car-t-toxicities"], []),
}

# Facts the agent carries from a reference record rather than from the review, where the review words them
# differently (graph/CURATION.md): (subject, property, object) -> the record's location that states the fact.
# The axiom names that location and the record as the statement's source; the review's wording is a reading.
REFERENCE_RECORD: dict[tuple[str, str, str], str] = {
    ("rituximab", "hasAntibodyOrigin", "chimeric-origin"): "record-mabthera-smpc-composition",
    ("alemtuzumab", "hasAntibodyOrigin", "humanized-origin"): "record-campath-label-description",
    ("tocilizumab", "hasTarget", "il-6-receptor"): "record-roactemra-smpc-composition",
}


def _local(term) -> str:
    return str(term)[len(sources.BKD_IRI):] if str(term).startswith(sources.BKD_IRI) else str(term).split("#")[-1]


def entity_facts(graph: rdflib.Graph, ontology: rdflib.Graph) -> list[tuple]:
    """(subject, property, object) of every ballkg-namespace fact about a curated entity, provenance excluded."""
    def ancestors(cls):
        seen, todo = {cls}, [cls]
        while todo:
            for sup in ontology.objects(todo.pop(), RDFS.subClassOf):
                if sup not in seen:
                    seen.add(sup)
                    todo.append(sup)
        return seen
    entities = set()
    for s in set(graph.subjects(RDF.type, None)):
        if isinstance(s, rdflib.URIRef) and str(s).startswith(sources.BKD_IRI):
            if not any(set(NOT_ENTITIES) & ancestors(c) for c in graph.objects(s, RDF.type)):
                entities.add(s)
    return sorted((s, p, o) for s in entities for p, o in graph.predicate_objects(s)
                  if str(p).startswith(sources.BK_IRI) and p not in PROVENANCE)


def place(graph: rdflib.Graph, fact: tuple) -> tuple[list[rdflib.URIRef], list[rdflib.URIRef]]:
    s, p, o = fact
    for key in ((_local(s), _local(p), _local(o)), (_local(s), _local(p), ANY), (_local(s), ANY, ANY)):
        if key in CURATED:
            locations, refs = CURATED[key]
            return [BKD[x] for x in locations], [BKD[f"ref-{n}"] for n in refs]
    stated = sorted(graph.objects(s, BK.statedIn))
    if len(stated) == 1:  # the node's only location states all its facts
        return stated, sorted(graph.objects(s, BK.citesReference))
    raise LookupError(f"{_local(s)} {_local(p)} {_local(o)}: the node names {len(stated)} locations; "
                      "curate where this fact is stated in CURATED")


def render(graph: rdflib.Graph, ontology: rdflib.Graph) -> str:
    lines = ["# Provenance per statement: one owl:Axiom per fact about an entity, naming where in the review that one",
             "# fact is stated, the references the review cites for it there, and its assertion kind.",
             "# Generated by scripts/statement_provenance.py from the curated table in that script; do not edit",
             "# by hand.",
             "@prefix :    <https://w3id.org/ballkg/ontology#> .", "@prefix bkd: <https://w3id.org/ballkg/data/> .",
             "@prefix owl: <http://www.w3.org/2002/07/owl#> .",
             "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .", ""]
    names = rdflib.Graph()
    names.bind("", BK)
    names.bind("bkd", BKD)
    nsm = names.namespace_manager
    problems, known = [], set(graph.subjects(RDF.type, None))
    for fact in entity_facts(graph, ontology):
        record_location = REFERENCE_RECORD.get(tuple(_local(t) for t in fact))
        if record_location is not None:
            location = BKD[record_location]
            record = graph.value(location, BK.partOf)
            if location not in known or record is None:
                problems.append(f"{' '.join(_local(t) for t in fact)}: unknown reference record location {record_location}")
                continue
            s, p, o = fact
            lines.append(f"[] a owl:Axiom ; owl:annotatedSource {s.n3(nsm)} ; owl:annotatedProperty {p.n3(nsm)} ;\n"
                         f"    owl:annotatedTarget {o.n3(nsm)} ;\n    :statementStatedIn {location.n3(nsm)} ;\n"
                         f"    :statementAssertionKind bkd:background-knowledge ;\n    :statementSource {record.n3(nsm)} .")
            continue
        try:
            locations, refs = place(graph, fact)
        except LookupError as exc:
            problems.append(str(exc))
            continue
        missing = [x for x in locations + refs if x not in known]
        if missing:
            problems.append(f"{' '.join(_local(t) for t in fact)}: unknown location or reference {missing}")
        s, p, o = fact
        annotations = [f":statementStatedIn {', '.join(x.n3(nsm) for x in locations)}"]
        if refs:
            annotations.append(f":statementCitesReference {', '.join(x.n3(nsm) for x in refs)}")
        annotations += [":statementAssertionKind bkd:background-knowledge", ":statementSource bkd:review"]
        lines.append(f"[] a owl:Axiom ; owl:annotatedSource {s.n3(nsm)} ; owl:annotatedProperty {p.n3(nsm)} ;\n"
                     f"    owl:annotatedTarget {o.n3(nsm)} ;\n    " + " ;\n    ".join(annotations) + " .")
    if problems:
        raise SystemExit("cannot place every fact:\n  " + "\n  ".join(problems))
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    target = sources.graph_dir() / OUT
    others = [p for p in sources.graph_files() if p.name != OUT]
    graph = rdflib.Graph()
    for path in others:
        graph.parse(path, format="turtle")
    text = render(graph, sources.load_ontology())
    if "--check" in argv:
        return 0 if target.is_file() and target.read_text(encoding="utf-8") == text else 1
    target.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
