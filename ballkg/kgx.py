"""The release as a Biolink Model graph in KGX form: nodes.tsv, edges.tsv and the same as KGX JSON Lines.

KGX is how Monarch, KG-Hub and the Translator graphs exchange graphs. The export reads the release store:
- Nodes are the individuals of the classes in CATEGORIES (first matching class wins), with name, description,
  and identifiers from the SSSOM table read at run time: the node id is the exactMatch CURIE whose prefix the
  Biolink Model prefers for the node's category; other exactMatch CURIEs and our own IRI go in
  equivalent_identifiers, closeMatch CURIEs in xref. Unmapped nodes keep their `bkd:` CURIE.
- Edges come from triples whose property has an honest Biolink predicate (PREDICATES), and from two kinds of
  reified statements: adverse event reports (agent has_adverse_event event, with counts and percentages) and
  clinical trials (agent in_clinical_trials_for the condition of the trial's population). A triple between two
  exported nodes whose property has no such predicate is left out and counted.
- Every edge carries primary_knowledge_source, knowledge_level, agent_type and publications (the cited
  references of the statement, then the review itself).
The Biolink Model files come from the `biolink-model` package (pip install "ballkg[kgx]"), never the network.
"""
from __future__ import annotations

import csv
import io
import json
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from . import mappings
from .sources import BK_IRI as BK
from .sources import BKD_IRI

SKOS = "http://www.w3.org/2004/02/skos/core#"
KNOWLEDGE_SOURCE = "infores:ballkg"  # this graph; not (yet) registered in the Translator infores catalogue

# our class -> Biolink category; the first class an individual belongs to decides (most specific first)
CATEGORIES: list[tuple[str, str]] = [
    ("Payload", "biolink:SmallMolecule"),
    ("TherapeuticAgent", "biolink:Drug"),  # antibodies, conjugates, engagers, small molecules, CAR T products
    ("TreatmentRegimen", "biolink:Treatment"),
    ("Procedure", "biolink:Procedure"),
    ("MolecularTarget", "biolink:Protein"),  # our targets are proteins (HGNC genes only as closeMatch)
    ("Antigen", "biolink:Protein"),
    ("Disease", "biolink:Disease"),
    ("AdverseEvent", "biolink:DiseaseOrPhenotypicFeature"),
    ("ClinicalTrial", "biolink:ClinicalTrial"),
    ("Study", "biolink:Study"),
    ("Population", "biolink:StudyPopulation"),
    ("CitedReference", "biolink:Publication"),
    ("ReferenceRecord", "biolink:Publication"),  # drug label or product information used to check a fact; before
    # SourceDocument, its superclass, so that the review stays the one node of class SourceDocument
    ("SourceDocument", "biolink:Publication"),  # not biolink:Article: that needs the journal, which is not recorded
    ("Organization", "biolink:Agent"),
]

# publication_type, which Biolink requires of a publication: a cited reference is some text (article, abstract,
# meeting report: the graph does not say which); the source is a review article
PUBLICATION_TYPES = {"CitedReference": ["dctypes:Text"], "SourceDocument": ["fabio:ReviewArticle"],
                     "ReferenceRecord": ["dctypes:Text"]}

# our property -> Biolink predicate, only where the predicate says what the property says
PREDICATES: dict[str, str] = {
    "hasTarget": "biolink:directly_physically_interacts_with",  # the agent's binding domain binds the target
    "hasPayload": "biolink:has_part",  # the conjugate contains its payload
    "hasComponent": "biolink:has_part",  # a regimen consists of its component interventions
    "hasPopulation": "biolink:has_participant",  # a study's patients take part in it
}
AE_PREDICATE, AE_CATEGORY = "biolink:has_adverse_event", "biolink:ChemicalOrDrugOrTreatmentAdverseEventAssociation"
TRIAL_PREDICATE = "biolink:in_clinical_trials_for"
TRIAL_CATEGORY = "biolink:ChemicalOrDrugOrTreatmentToDiseaseOrPhenotypicFeatureAssociation"

NODE_COLUMNS = ["id", "category", "name", "description", "xref", "equivalent_identifiers", "publication_type",
                "provided_by"]
EDGE_COLUMNS = ["id", "subject", "predicate", "object", "category", "original_predicate", "primary_knowledge_source",
                "knowledge_level", "agent_type", "publications", "has_supporting_studies", "has_count",
                "has_total", "has_percentage"]
LIST_COLUMNS = {"category", "xref", "equivalent_identifiers", "publication_type", "provided_by", "publications",
                "has_supporting_studies"}
EDGE_NAMESPACE = uuid.UUID("8a6c1d0e-4f2b-5c3d-9e7f-0a1b2c3d4e5f")


class KgxError(RuntimeError):
    """The Biolink Model package is missing, or the export cannot be written."""


@dataclass
class KgxExport:
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    left_out: Counter = field(default_factory=Counter)  # property local name -> triples without a predicate
    figures_left_out: int = 0  # adverse event reports whose figures share an edge with another report's
    files: list[Path] = field(default_factory=list)

    def summary(self) -> str:
        by_predicate = Counter(e["predicate"] for e in self.edges)
        lines = [f"{len(self.nodes)} nodes, {len(self.edges)} edges ("
                 + ", ".join(f"{p} {n}" for p, n in sorted(by_predicate.items())) + ")"]
        total = sum(self.left_out.values())
        lines.append(f"{total} triples between exported nodes left out for want of an honest Biolink predicate"
                     + (": " + ", ".join(f"bk:{p} {n}" for p, n in self.left_out.most_common()) if total else ""))
        lines.append(f"figures of {self.figures_left_out} adverse event reports left out (several reports with "
                     "figures for one agent and event share one KGX edge)")
        return "\n".join(lines)


# ------------------------------------------------------------------------------ Biolink Model files
def biolink_file(*parts: str) -> Path:
    try:
        base = resources.files("biolink_model")
    except ModuleNotFoundError:
        raise KgxError("the KGX export needs the Biolink Model package: pip install 'ballkg[kgx]'") from None
    for part in parts:
        base = base / part
    return Path(str(base))


def biolink_prefix_map() -> dict[str, str]:
    return json.loads(biolink_file("prefixmaps", "biolink-model-prefix-map.json").read_text(encoding="utf-8"))


def preferred_prefixes() -> dict[str, list[str]]:
    """Biolink category -> the id prefixes the model prefers for it, best first."""
    data = json.loads(biolink_file("prefixmaps", "preferred_prefixes_per_class.json").read_text(encoding="utf-8"))
    return {c["class_name"]: [p["prefix"] for p in sorted(c["prefix_map"], key=lambda p: p["order"])]
            for c in data["biolink_class_prefixes"]}


def biolink_curie(curie: str, norm_to_biolink: dict[str, str]) -> str:
    """Our CURIE with the Biolink spelling of its prefix (UNIPROT:P1 -> UniProtKB:P1), matched via Bioregistry."""
    import bioregistry

    prefix, local = curie.split(":", 1)
    norm = bioregistry.normalize_prefix(prefix) or prefix.lower()
    return f"{norm_to_biolink.get(norm, prefix)}:{local}"


def _norm_to_biolink(prefix_map: dict[str, str]) -> dict[str, str]:
    try:
        import bioregistry
    except ModuleNotFoundError:
        raise KgxError("the KGX export needs the bioregistry package: pip install 'ballkg[kgx]'") from None

    out: dict[str, str] = {}
    for p in prefix_map:
        norm = bioregistry.normalize_prefix(p)
        if norm and norm not in out:
            out[norm] = p
    return out


# ------------------------------------------------------------------------------------- export
def _local(iri: str) -> str:
    return iri.removeprefix(BKD_IRI)


def _bkd(iri: str) -> str:
    return "bkd:" + _local(iri) if iri.startswith(BKD_IRI) else iri


def _rows(st: ox.Store, query: str) -> list[dict[str, Any]]:
    prefixes = f"PREFIX bk: <{BK}>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\nPREFIX skos: <{SKOS}>\n"
    res = st.query(prefixes + query)
    assert isinstance(res, ox.QuerySolutions)  # every query here is a SELECT
    names = [v.value for v in res.variables]
    out = []
    for sol in res:
        row = {}
        for n in names:
            t = sol[n]
            row[n] = None if t is None else (t.value if not isinstance(t, ox.Literal) else _literal(t))
        out.append(row)
    return out


def _literal(t: ox.Literal) -> Any:
    dt = t.datatype.value.rsplit("#", 1)[-1] if t.datatype else ""
    if dt in ("integer", "int", "nonNegativeInteger"):
        return int(t.value)
    if dt in ("decimal", "double", "float"):
        return Decimal(t.value)
    return t.value


def _node_ids(nodes: dict[str, dict], mapping_rows, norm_map: dict[str, str]) -> dict[str, str]:
    """Our IRI -> node id: the best exactMatch CURIE for the node's category, unless two nodes would share it."""
    exact: dict[str, list[str]] = defaultdict(list)
    close: dict[str, list[str]] = defaultdict(list)
    for m in mapping_rows:
        subject = BKD_IRI + m.subject_id.split(":", 1)[1] if m.subject_id.startswith("bkd:") else None
        if subject not in nodes:
            continue
        target = biolink_curie(m.object_id, norm_map)
        if m.predicate_id == "skos:exactMatch":
            exact[subject].append(target)
        elif m.predicate_id == "skos:closeMatch":
            close[subject].append(target)
    preferred = preferred_prefixes()
    chosen: dict[str, str] = {}
    for iri, node in nodes.items():
        order = preferred.get(node["category"][0], [])
        ranked = sorted(exact[iri], key=lambda c: order.index(c.split(":")[0]) if c.split(":")[0] in order
                        else len(order))
        node["_exact"], node["xref"] = ranked, sorted(set(close[iri]))
        chosen[iri] = ranked[0] if ranked else _bkd(iri)
    taken = Counter(chosen.values())
    return {iri: (cid if taken[cid] == 1 else _bkd(iri)) for iri, cid in chosen.items()}


def build_kgx(st: ox.Store) -> KgxExport:
    """Nodes and edges of the Biolink view of the release store (nothing written)."""
    _, mapping_rows = mappings.read_sssom()
    norm_map = _norm_to_biolink(biolink_prefix_map())

    # ---- nodes: individuals of the mapped classes, first matching class wins
    nodes: dict[str, dict[str, Any]] = {}
    for cls, category in CATEGORIES:
        for row in _rows(st, f"""SELECT ?n (SAMPLE(?l) AS ?name) (SAMPLE(?d) AS ?definition) (SAMPLE(?c) AS ?comment)
            WHERE {{ ?n a bk:{cls} . FILTER(STRSTARTS(STR(?n), "{BKD_IRI}"))
                    OPTIONAL {{ ?n rdfs:label ?l }} OPTIONAL {{ ?n skos:definition ?d }}
                    OPTIONAL {{ ?n rdfs:comment ?c }} }} GROUP BY ?n ORDER BY ?n"""):
            if row["n"] not in nodes:
                nodes[row["n"]] = {"category": [category], "name": row["name"] or "",
                                   "description": row["definition"] or row["comment"] or "", "_class": cls}
    ids = _node_ids(nodes, mapping_rows, norm_map)
    review = next((i for i, n in nodes.items() if n["_class"] == "SourceDocument"), None)
    review_id = [ids[review]] if review else []
    node_rows = []
    for iri, node in sorted(nodes.items(), key=lambda kv: ids[kv[0]]):
        equivalents = [c for c in node.pop("_exact") if c != ids[iri]] + ([_bkd(iri)] if ids[iri] != _bkd(iri) else [])
        cls = node.pop("_class")
        node_rows.append({"id": ids[iri], **node, "equivalent_identifiers": equivalents,
                          "publication_type": PUBLICATION_TYPES.get(cls), "provided_by": [KNOWLEDGE_SOURCE]})

    def edge(subject: str, predicate: str, obj: str, category: str, original: str, key: str, **extra) -> dict:
        return {"id": "urn:uuid:" + str(uuid.uuid5(EDGE_NAMESPACE, key)), "subject": ids[subject],
                "predicate": predicate, "object": ids[obj], "category": [category], "original_predicate": original,
                "primary_knowledge_source": KNOWLEDGE_SOURCE, **extra}

    edges: list[dict[str, Any]] = []
    left_out: Counter = Counter()
    # ---- edges from triples between two exported nodes
    for row in _rows(st, f"""SELECT ?s ?p ?o WHERE {{ ?s ?p ?o . FILTER(isIRI(?o))
            FILTER(STRSTARTS(STR(?s), "{BKD_IRI}") && STRSTARTS(STR(?o), "{BKD_IRI}") && STRSTARTS(STR(?p), "{BK}")) }}
            ORDER BY ?s ?p ?o"""):
        if row["s"] not in nodes or row["o"] not in nodes:
            continue
        prop = row["p"][len(BK):]
        if prop not in PREDICATES:
            left_out[prop] += 1
            continue
        edges.append(edge(row["s"], PREDICATES[prop], row["o"], "biolink:Association", "bk:" + prop,
                          f"{row['s']} {row['p']} {row['o']}", knowledge_level="knowledge_assertion",
                          agent_type="manual_agent", publications=review_id))

    refs = defaultdict(list)
    for row in _rows(st, "SELECT ?x ?r WHERE { ?x bk:citesReference ?r } ORDER BY ?x ?r"):
        if row["r"] in nodes:
            refs[row["x"]].append(ids[row["r"]])
    # ---- adverse event reports: the agent has the adverse event. KGX keys edges by subject, predicate and
    # object, so the reports of one pair make one edge; a report's figures go on it when it is the only report
    # of the pair with figures (has_count etc. take one value), otherwise they are left out and counted.
    reports: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for row in _rows(st, """SELECT ?report ?agent ?event ?study ?numerator ?denominator ?value ?unit WHERE {
            ?report a bk:AdverseEventReport ; bk:aboutIntervention ?agent ; bk:reportsEvent ?event .
            OPTIONAL { ?report bk:inStudy ?study } OPTIONAL { ?report bk:numerator ?numerator }
            OPTIONAL { ?report bk:denominator ?denominator }
            OPTIONAL { ?report bk:value ?value ; bk:hasUnit ?unit } } ORDER BY ?report"""):
        if row["agent"] in nodes and row["event"] in nodes:
            reports[(row["agent"], row["event"])].append(row)
    figures_left_out = 0
    for (agent, event), group in sorted(reports.items()):
        with_figures = []
        for row in group:
            figures: dict[str, Any] = {}
            if row["numerator"] is not None:
                figures["has_count"] = int(row["numerator"])
            if row["denominator"] is not None:
                figures["has_total"] = int(row["denominator"])
            if row["value"] is not None and row["unit"] == BKD_IRI + "percent":
                figures["has_percentage"] = float(row["value"])
            if figures:
                with_figures.append(figures)
        if len(with_figures) > 1:
            figures_left_out += len(with_figures)
        edges.append(edge(agent, AE_PREDICATE, event, AE_CATEGORY, "bk:reportsEvent", f"{agent} ae {event}",
                          knowledge_level="knowledge_assertion", agent_type="manual_agent",
                          publications=sorted({r for row in group for r in refs[row["report"]]}) + review_id,
                          has_supporting_studies=sorted({ids[row["study"]] for row in group if row["study"] in nodes}),
                          **(with_figures[0] if len(with_figures) == 1 else {})))

    # ---- clinical trials: the agent a trial evaluates is in clinical trials for its population's condition
    trials: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in _rows(st, """SELECT DISTINCT ?agent ?disease ?trial WHERE {
            ?trial a bk:ClinicalTrial ; bk:evaluatesIntervention ?agent ;
                   bk:hasPopulation/(bk:hasCondition|bk:hasAlternativeCondition) ?disease .
            } ORDER BY ?agent ?disease ?trial"""):
        if {row["agent"], row["disease"], row["trial"]} <= nodes.keys() and \
                nodes[row["disease"]]["category"] == ["biolink:Disease"]:
            trials[(row["agent"], row["disease"])].add(row["trial"])
    for (agent, disease), studies in sorted(trials.items()):
        publications = sorted({r for t in studies for r in refs[t]}) + review_id
        # original_predicate names the first step of the path evaluatesIntervention/hasPopulation/hasCondition
        # (or hasAlternativeCondition: a trial of ALL or lymphoma is a trial for each; allowed conditions are not)
        edges.append(edge(agent, TRIAL_PREDICATE, disease, TRIAL_CATEGORY, "bk:evaluatesIntervention",
                          f"{agent} trials {disease}",
                          knowledge_level="logical_entailment", agent_type="automated_agent",
                          publications=publications, has_supporting_studies=sorted(ids[t] for t in studies)))
    return KgxExport(node_rows, edges, left_out, figures_left_out)


# -------------------------------------------------------------------------------------- files
def _tsv(rows: list[dict], columns: list[str]) -> bytes:
    def cell(row, c):
        v = row.get(c)
        if v is None:
            return ""
        if c in LIST_COLUMNS:
            return "|".join(v)
        return str(v)

    buf = io.StringIO()
    writer = csv.writer(buf, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(columns)
    writer.writerows([[cell(r, c) for c in columns] for r in rows])
    return buf.getvalue().encode("utf-8")


def _jsonl(rows: list[dict], columns: list[str]) -> bytes:
    lines = [json.dumps({c: r[c] for c in columns if r.get(c) not in (None, "", [])}, ensure_ascii=False)
             for r in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def write_kgx(export: KgxExport, out_dir: Path) -> KgxExport:
    """Write nodes.tsv, edges.tsv, nodes.jsonl and edges.jsonl into out_dir, each file atomically."""
    from .ingest import atomic_write

    if out_dir.exists() and not out_dir.is_dir():
        raise KgxError(f"{out_dir} exists and is not a folder; give -o a folder for the KGX files")
    out_dir.mkdir(parents=True, exist_ok=True)
    contents = {"nodes.tsv": _tsv(export.nodes, NODE_COLUMNS), "edges.tsv": _tsv(export.edges, EDGE_COLUMNS),
                "nodes.jsonl": _jsonl(export.nodes, NODE_COLUMNS), "edges.jsonl": _jsonl(export.edges, EDGE_COLUMNS)}
    for name, data in contents.items():
        atomic_write(out_dir / name, data)
        export.files.append(out_dir / name)
    return export


def export_kgx(st: ox.Store, out_dir: Path) -> KgxExport:
    return write_kgx(build_kgx(st), out_dir)


# ------------------------------------------------------------------------- offline Biolink tooling
def offline_toolkit():
    """A bmt Toolkit on the Biolink Model shipped in `biolink-model`, with no network access.

    bmt's Toolkit() downloads the schema and a predicate-mapping file from GitHub by default; the mapping file
    is not shipped in the package and only bmt's mapping look-ups (unused here) need it.
    """
    import bmt
    from linkml_runtime.utils.schemaview import SchemaView

    schema = str(biolink_file("schema", "biolink_model.yaml"))

    class OfflineToolkit(bmt.Toolkit):
        def __init__(self, schema: str = schema, predicate_map: str | None = None) -> None:
            self.view = SchemaView(schema)
            self.pmap: dict = {}

    return OfflineToolkit


def use_local_biolink_for_kgx() -> None:
    """Point bmt and kgx at the packaged Biolink Model files; call before the first `import kgx`.

    kgx builds a Toolkit when its utilities are imported and reads the Biolink JSON-LD context from GitHub;
    here both come from the `biolink-model` package (its prefix map is the context's prefix part).
    """
    import bmt
    import bmt.toolkit

    toolkit = offline_toolkit()
    bmt.Toolkit = toolkit
    bmt.toolkit.Toolkit = toolkit
    import kgx.config

    kgx.config.get_config()
    context = dict(biolink_prefix_map())
    context.setdefault("biolink", "https://w3id.org/biolink/vocab/")
    kgx.config.jsonld_context_map["biolink"] = context


def validate_kgx(export: KgxExport, toolkit=None) -> list[str]:
    """Problems of the export against the Biolink Model: unknown categories, predicates, slots, enum values,
    missing required edge slots. An empty list means it conforms."""
    tk = toolkit or offline_toolkit()()
    view = tk.view
    problems: list[str] = []

    def class_of(curie: str):
        name = tk.get_element(curie)
        return name if name is not None and name.name in view.all_classes() else None

    for n in export.nodes:
        for c in n["category"]:
            cls = class_of(c)
            if cls is None or cls.abstract or cls.mixin:
                problems.append(f"node {n['id']}: category {c} is not a concrete Biolink class")
                continue
            for slot in view.class_induced_slots(cls.name):
                if slot.required and n.get(slot.name.replace(" ", "_")) in (None, "", []):
                    problems.append(f"node {n['id']}: required slot {slot.name} of {c} is empty")
    slot_names = {s.replace(" ", "_") for s in view.all_slots()}
    for col in NODE_COLUMNS + EDGE_COLUMNS:
        if col not in slot_names:
            problems.append(f"column {col} is not a Biolink slot")
    enums = {"knowledge_level": "KnowledgeLevelEnum", "agent_type": "AgentTypeEnum"}
    for e in export.edges:
        if not tk.is_predicate(e["predicate"]):
            problems.append(f"edge {e['id']}: {e['predicate']} is not a Biolink predicate")
        for c in e["category"]:
            cls = class_of(c)
            if cls is None or "association" not in view.class_ancestors(cls.name):
                problems.append(f"edge {e['id']}: category {c} is not a Biolink association")
                continue
            for slot in view.class_induced_slots(cls.name):
                if slot.required and e.get(slot.name.replace(" ", "_")) in (None, "", []):
                    problems.append(f"edge {e['id']}: required slot {slot.name} of {c} is empty")
        for col, enum in enums.items():
            if e.get(col) not in view.get_enum(enum).permissible_values:
                problems.append(f"edge {e['id']}: {col} {e.get(col)!r} is not in {enum}")
    return problems
