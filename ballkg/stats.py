"""`ballkg stats`: what the graph holds, counted with SPARQL on the release store."""
from __future__ import annotations

from .sources import BK_IRI as BK

HEADLINE = [
    ("agents", "TherapeuticAgent"), ("regimens", "TreatmentRegimen"), ("studies", "Study"),
    ("arms", "StudyArm"), ("populations", "Population"), ("outcome measurements", "OutcomeMeasurement"),
    ("adverse event reports", "AdverseEventReport"), ("other findings", None),
    ("cited references", "CitedReference"), ("sources", "SourceDocument"), ("discrepancies", "Discrepancy"),
]


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
    out["triples"] = int(next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))["n"].value)
    return out


def format_stats(data: dict) -> str:
    lines = [f"{name:<24} {data[name]:>6}" for name, _ in HEADLINE]
    lines.append(f"{'triples (with inferred)':<24} {data['triples']:>6}")
    lines.append("")
    lines.append("individuals per class (asserted and inferred):")
    lines += [f"  {cls:<40} {n:>6}" for cls, n in data["per class"].items()]
    return "\n".join(lines)
