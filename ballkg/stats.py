"""`ballkg stats`: what the graph holds, counted with SPARQL on the release store."""
from __future__ import annotations

from .sources import BK_IRI as BK

HEADLINE = [
    ("agents", "TherapeuticAgent"), ("regimens", "TreatmentRegimen"), ("studies", "Study"),
    ("arms", "StudyArm"), ("populations", "Population"), ("outcome measurements", "OutcomeMeasurement"),
    ("adverse event reports", "AdverseEventReport"), ("other findings", None),
    ("cited references", "CitedReference"), ("sources", "SourceDocument"), ("discrepancies", "Discrepancy"),
]


# Classes whose nodes should carry external identifiers (issue: identifier coverage). Class-level stand-ins
# (":representsAgentClass true", or typed :AgentGroup) are not specific entities and are left out of the counts.
COVERAGE = [
    ("specific agents", "TherapeuticAgent"), ("CAR T-cell products", "CARTCellProduct"), ("ADC payloads", "Payload"),
    ("antigens and other targets", "MolecularTarget"), ("CAR signalling domains", "SignalingDomain"),
    ("diseases", "Disease"), ("adverse events", "AdverseEvent"), ("mechanisms of action", "MechanismOfAction"),
    ("cellular effects", "CellularEffect"), ("resistance mechanisms", "ResistanceMechanism"),
    ("organizations", "Organization"), ("procedures", "Procedure"), ("studies with a registry number", "Study"),
]
MATCH = ("skos:exactMatch|skos:closeMatch|skos:broadMatch|skos:narrowMatch|skos:relatedMatch")


def coverage(store) -> list[tuple[str, int, int, int]]:
    """Per class: (what, nodes, nodes with at least one external mapping, of those with an exact or close one)."""
    out = []
    for name, cls in COVERAGE:
        extra = f"?x <{BK}registryId> ?rid ." if cls == "Study" else ""
        q = f"""PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
            SELECT (COUNT(DISTINCT ?x) AS ?n) (COUNT(DISTINCT ?m) AS ?mapped) (COUNT(DISTINCT ?e) AS ?exact) WHERE {{
              ?x a <{BK}{cls}> . {extra}
              FILTER NOT EXISTS {{ ?x <{BK}representsAgentClass> true }}
              FILTER NOT EXISTS {{ ?x a <{BK}AgentGroup> }}
              OPTIONAL {{ ?x {MATCH} ?o . FILTER(!STRSTARTS(STR(?o), "https://w3id.org/ballkg/")) BIND(?x AS ?m) }}
              OPTIONAL {{ ?x skos:exactMatch|skos:closeMatch ?o2 .
                         FILTER(!STRSTARTS(STR(?o2), "https://w3id.org/ballkg/")) BIND(?x AS ?e) }}
            }}"""
        sol = next(iter(store.query(q)))
        out.append((name, int(sol["n"].value), int(sol["mapped"].value), int(sol["exact"].value)))
    return out


def format_coverage(rows: list[tuple[str, int, int, int]]) -> str:
    lines = [f"{'external identifiers':<32} {'nodes':>6} {'mapped':>7} {'share':>6} {'exact/close':>12}"]
    for name, n, mapped, exact in rows:
        share = f"{100 * mapped / n:.0f} %" if n else "-"
        lines.append(f"  {name:<30} {n:>6} {mapped:>7} {share:>6} {exact:>12}")
    return "\n".join(lines)


def _count(store, cls: str) -> int:
    q = f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a <{BK}{cls}> }}"
    return int(next(iter(store.query(q)))["n"].value)


def stats(store) -> dict:
    out: dict = {}
    for name, cls in HEADLINE:
        if cls is None:
            q = (f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a <{BK}Finding> "
                 f"FILTER NOT EXISTS {{ ?x a <{BK}OutcomeMeasurement> }} "
                 f"FILTER NOT EXISTS {{ ?x a <{BK}AdverseEventReport> }} }}")
            out[name] = int(next(iter(store.query(q)))["n"].value)
        else:
            out[name] = _count(store, cls)
    per_class = {}
    q = (f"SELECT ?c (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x a ?c . ?c a <http://www.w3.org/2002/07/owl#Class> "
         f"FILTER(STRSTARTS(STR(?c), \"{BK}\")) FILTER(isIRI(?x)) }} GROUP BY ?c ORDER BY DESC(?n) ?c")
    for sol in store.query(q):
        per_class[sol["c"].value[len(BK):]] = int(sol["n"].value)
    out["per class"] = per_class
    out["coverage"] = coverage(store)
    out["triples"] = int(next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))["n"].value)
    return out


def format_stats(data: dict) -> str:
    lines = [f"{name:<24} {data[name]:>6}" for name, _ in HEADLINE]
    lines.append(f"{'triples (with inferred)':<24} {data['triples']:>6}")
    lines.append("")
    lines.append("individuals per class (asserted and inferred):")
    lines += [f"  {cls:<40} {n:>6}" for cls, n in data["per class"].items()]
    lines.append("")
    lines.append(format_coverage(data["coverage"]))
    return "\n".join(lines)
