"""`ballkg build`: sources -> SHACL validation -> OWL reasoning -> release artifacts.

The release directory is written completely in a sibling temporary directory and then swapped in
with renames, so a failed or interrupted build leaves the previous release untouched.
"""
from __future__ import annotations

import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import rdflib
from rdflib.namespace import OWL, RDF

from . import sources, store
from .evidence import derive_evidence
from .mappings import external_prefix_map, mapping_graph
from .reason import reason
from .validate import ValidationReport, load_shapes, validate



class BuildError(RuntimeError):
    def __init__(self, message: str, report: ValidationReport | None = None):
        super().__init__(message)
        self.report = report


@dataclass
class BuildSummary:
    release_dir: Path
    triples: int = 0
    inferred_triples: int = 0
    classes: int = 0
    individuals: int = 0
    shapes: int = 0
    queries: int = 0
    warnings: int = 0
    reasoner: str = "skipped"
    stage_seconds: dict[str, float] = field(default_factory=dict)

    def format(self) -> str:
        total = sum(self.stage_seconds.values())
        stages = ", ".join(f"{k} {v:.1f}s" for k, v in self.stage_seconds.items())
        return (f"built {self.release_dir}: {self.triples} triples (+{self.inferred_triples} inferred), "
                f"{self.classes} classes, {self.individuals} individuals, {self.shapes} shapes, "
                f"{self.queries} stored queries, {self.warnings} shape warning(s); reasoner: {self.reasoner}; "
                f"{total:.1f}s ({stages})")


def bind_prefixes(g: rdflib.Graph) -> rdflib.Graph:
    """Standard prefixes, external ones taken from Bioregistry so the Turtle joins other graphs."""
    g.bind("bk", sources.BK)
    g.bind("bkd", sources.BKD)
    g.bind("skos", rdflib.Namespace("http://www.w3.org/2004/02/skos/core#"))
    g.bind("dcterms", rdflib.Namespace("http://purl.org/dc/terms/"))
    for prefix, uri in external_prefix_map().items():
        g.bind(prefix, rdflib.Namespace(uri))
    return g


def _count(g: rdflib.Graph):
    classes = {c for c in g.subjects(RDF.type, OWL.Class) if isinstance(c, rdflib.URIRef)}
    schema = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, OWL.Ontology,
              OWL.Restriction, OWL.AllDisjointClasses, OWL.FunctionalProperty, OWL.InverseFunctionalProperty}
    individuals = {s for s, o in g.subject_objects(RDF.type) if o not in schema and isinstance(s, rdflib.URIRef)}
    return len(classes), len(individuals)


def build(release_dir: Path | None = None, *, reasoner: str = "auto", engine: str = "turbo",
          docs: bool = True) -> BuildSummary:
    release_dir = Path(release_dir or sources.release_dir()).resolve()
    summary = BuildSummary(release_dir)
    t = time.perf_counter()

    ontology = sources.load_ontology()
    instances = sources.load_instances()
    mappings = mapping_graph()
    shapes = load_shapes()
    # evidence on findings is derived by the rule, never curated (ballkg/evidence.py, ontology/evidence-rules.rq)
    instances += derive_evidence(ontology + instances)
    summary.stage_seconds["parse"] = time.perf_counter() - t

    t = time.perf_counter()
    report = validate(instances + mappings, shapes=shapes, ontology=ontology, engine=engine)
    summary.stage_seconds["validate"] = time.perf_counter() - t
    summary.warnings = len(report.warnings)
    if not report.conforms:
        raise BuildError("the curated graph does not conform to the shapes; nothing was written", report)

    asserted = bind_prefixes(rdflib.Graph())
    for part in (ontology, instances, mappings):
        asserted += part
    t = time.perf_counter()
    if reasoner == "none":
        inferred = rdflib.Graph()
    else:
        result = reason(asserted, method=reasoner)
        inferred = result.inferred
        summary.reasoner = result.method
    summary.stage_seconds["reason"] = time.perf_counter() - t

    t = time.perf_counter()
    full = bind_prefixes(rdflib.Graph())
    full += asserted
    full += inferred
    summary.triples, summary.inferred_triples = len(asserted), len(full) - len(asserted)
    summary.classes, summary.individuals = _count(asserted)
    summary.shapes = len(set(shapes.subjects(RDF.type, rdflib.URIRef("http://www.w3.org/ns/shacl#NodeShape"))))
    from .queries import catalogue

    summary.queries = len(catalogue())
    release_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".release-", dir=release_dir.parent))
    try:
        write_artifacts(tmp, ontology, asserted, full, docs=docs)
        store.write_manifest(tmp, {"triples": summary.triples, "inferred_triples": summary.inferred_triples,
                                   "reasoner": summary.reasoner})
        _swap_in(tmp, release_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    summary.stage_seconds["write"] = time.perf_counter() - t
    return summary


def write_artifacts(out: Path, ontology: rdflib.Graph, asserted: rdflib.Graph, full: rdflib.Graph,
                    docs: bool = True) -> None:
    onto = bind_prefixes(rdflib.Graph())
    onto += ontology
    asserted.serialize(out / "ballkg.ttl", format="turtle", encoding="utf-8")
    full.serialize(out / "ballkg-inferred.ttl", format="turtle", encoding="utf-8")
    onto.serialize(out / "ballkg-ontology.owl", format="xml", encoding="utf-8")
    asserted.serialize(out / "ballkg.owl", format="xml", encoding="utf-8")
    asserted.serialize(out / "ballkg.nt", format="nt", encoding="utf-8")
    asserted.serialize(out / "ballkg.jsonld", format="json-ld", encoding="utf-8", auto_compact=True)
    full.serialize(out / "ballkg-inferred.nt", format="nt", encoding="utf-8")
    store.load_store_from_file(out / "ballkg-inferred.nt", out / store.STORE_DIR)
    (out / "ballkg-inferred.nt").unlink()
    sssom = sources.mappings_dir() / "ballkg.sssom.tsv"
    if sssom.is_file():
        shutil.copy2(sssom, out / "ballkg.sssom.tsv")
    if docs:
        from .docs import write_ontology_docs

        write_ontology_docs(out / "ballkg-ontology.owl", out / "docs" / "index.html")


def _swap_in(tmp: Path, release_dir: Path) -> None:
    old = None
    if release_dir.exists():
        old = release_dir.with_name(f".{release_dir.name}-old-{int(time.time() * 1000)}")
        release_dir.rename(old)
    tmp.rename(release_dir)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)

