"""`ballkg build`: sources -> SHACL validation -> OWL reasoning -> release artifacts.

The release directory is written completely in a sibling temporary directory and then swapped in
with renames, so a failed or interrupted build leaves the previous release untouched.
"""
from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import rdflib
from rdflib.namespace import OWL, RDF

from . import sources, store
from .evidence import derive_into_store
from .mappings import external_prefix_map, mapping_graph, sssom_files, term_sssom_file
from .parse import Triples, read_files
from .reason import reason_store
from .validate import ValidationReport, load_shapes, validate, validate_triples


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
    notes: list[str] = field(default_factory=list)

    def format(self) -> str:
        total = sum(self.stage_seconds.values())
        stages = ", ".join(f"{k} {v:.1f}s" for k, v in self.stage_seconds.items())
        return (f"built {self.release_dir}: {self.triples} triples (+{self.inferred_triples} inferred), "
                f"{self.classes} classes, {self.individuals} individuals, {self.shapes} shapes, "
                f"{self.queries} stored queries, {self.warnings} shape warning(s); reasoner: {self.reasoner}; "
                f"{total:.1f}s ({stages})" + "".join(f"\nnote: {n}" for n in self.notes))


def release_prefixes() -> dict[str, str]:
    """Prefixes of the release files; external ones taken from Bioregistry so the Turtle joins other graphs."""
    prefixes = {"bk": sources.BK_IRI, "bkd": sources.BKD_IRI, "owl": str(OWL), "rdf": str(RDF),
                "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "xsd": "http://www.w3.org/2001/XMLSchema#",
                "skos": "http://www.w3.org/2004/02/skos/core#", "dcterms": "http://purl.org/dc/terms/"}
    prefixes.update(external_prefix_map())
    return prefixes


def bind_prefixes(g: rdflib.Graph) -> rdflib.Graph:
    """The release prefixes bound on an rdflib graph."""
    for prefix, uri in release_prefixes().items():
        g.bind(prefix, rdflib.Namespace(uri))
    return g


SCHEMA_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, OWL.Ontology,
                OWL.Restriction, OWL.AllDisjointClasses, OWL.FunctionalProperty, OWL.InverseFunctionalProperty)


def _count(store) -> tuple[int, int]:
    """Named classes, and named individuals (IRIs typed with something other than a schema type)."""
    schema = ", ".join(f"<{t}>" for t in SCHEMA_TYPES)
    classes = next(iter(store.query(
        f"SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ ?c a <{OWL.Class}> FILTER isIRI(?c) }}")))["n"].value
    individuals = next(iter(store.query(
        f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a ?t FILTER (isIRI(?s) && ?t NOT IN ({schema})) }}"
    )))["n"].value
    return int(classes), int(individuals)


class Progress:
    """Per-stage lines with counts and rates, for long builds (sent to `report`, e.g. stderr)."""

    def __init__(self, report: Callable[[str], None] | None):
        self.report = report

    def __call__(self, stage: str, seconds: float, triples: int | None = None, note: str = "") -> None:
        if self.report is None:
            return
        rate = f" ({triples / seconds:,.0f} triples/s)" if triples and seconds > 0 else ""
        count = f" {triples:,} triples" if triples is not None else ""
        self.report(f"ballkg build: {stage}{count} in {seconds:.1f}s{rate}{'; ' + note if note else ''}")


def build(release_dir: Path | None = None, *, reasoner: str = "auto", engine: str = "turbo",
          docs: bool = True, progress: Callable[[str], None] | None = None,
          incremental: bool = True, derive: bool = True) -> BuildSummary:
    """Parse, validate, reason and write the release.

    With `incremental` (and the turbo engine), a build after an edit of graph/ revalidates only the
    nodes the edit can affect and keeps the previous release's other results (ballkg.incremental).

    The asserted graph is kept as N-Triples text (parse.Triples) and an in-memory pyoxigraph store of
    it, never as an rdflib graph, so every stage runs in Rust and grows linearly with the triples.
    """
    # absolute, not resolved: the release path is a symbolic link that each build flips (see _swap_in)
    release_dir = Path(release_dir or sources.release_dir()).absolute()
    summary = BuildSummary(release_dir)
    tell = Progress(progress)
    t = time.perf_counter()

    ontology_triples = read_files(sources.ontology_files())
    instances = read_files(sources.graph_files())
    mappings = Triples()
    mappings.add_rdflib(mapping_graph())
    shapes = load_shapes()
    ontology = ontology_triples.to_rdflib()
    summary.stage_seconds["parse"] = time.perf_counter() - t
    tell("parse", summary.stage_seconds["parse"], len(ontology_triples) + len(instances) + len(mappings))

    t = time.perf_counter()
    asserted = ontology_triples.union(instances, mappings)
    working = asserted.store()
    # Evidence on findings is derived by the rule (ontology/evidence-rules.rq), never curated; it is added
    # after parsing and before validation, so it is validated, reasoned over and released like curated triples.
    # (derive=False keeps evidence triples already in the sources: the benchmark's synthetic graphs carry it.)
    if derive:
        evidence = Triples()
        evidence.add_ntriples(derive_into_store(working))
        asserted = asserted.union(evidence)
        summary.stage_seconds["derive"] = time.perf_counter() - t
        tell("derive", summary.stage_seconds["derive"], len(evidence), "evidence triples derived by the rule")
        t = time.perf_counter()
    from . import incremental as changes

    since_last = (changes.validate_changes(release_dir, asserted, working, shapes, ontology)
                  if incremental and engine == "turbo" else None)
    if since_last is not None:
        report, how = since_last
    elif engine == "turbo":
        report, how = validate_triples(asserted, shapes=shapes, ontology=ontology, store=working), "all nodes"
    else:
        report = validate(instances.union(mappings).to_rdflib(), shapes=shapes, ontology=ontology, engine=engine)
        how = "all nodes"
    summary.stage_seconds["validate"] = time.perf_counter() - t
    summary.warnings = len(report.warnings)
    tell("validate", summary.stage_seconds["validate"], len(asserted),
         f"{len(report.violations)} violation(s), {len(report.warnings)} warning(s); {how}")
    if not report.conforms:
        raise BuildError("the curated graph does not conform to the shapes; nothing was written", report)
    summary.classes, summary.individuals = _count(working)
    del instances, mappings  # held in `asserted` too; the write stage needs the memory

    t = time.perf_counter()
    if reasoner == "none":
        inferred = Triples()
    else:
        result = reason_store(asserted, working, method=reasoner)
        inferred = result.inferred_triples
        summary.reasoner = result.method
        summary.notes += result.notes
    summary.stage_seconds["reason"] = time.perf_counter() - t
    tell("reason", summary.stage_seconds["reason"], len(inferred), f"{summary.reasoner}; inferred triples counted")
    for note in summary.notes:
        if progress is not None:
            progress(f"ballkg build: note: {note}")
    del working

    t = time.perf_counter()
    full = asserted.union(inferred)
    summary.triples, summary.inferred_triples = len(asserted), len(full) - len(asserted)
    summary.shapes = len(set(shapes.subjects(RDF.type, rdflib.URIRef("http://www.w3.org/ns/shacl#NodeShape"))))
    from .queries import catalogue

    summary.queries = len(catalogue())
    release_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".release-", dir=release_dir.parent))
    try:
        # the term mappings are annotations of the ontology's own terms: the ontology-only OWL carries them too
        terms = Triples()
        terms.add_rdflib(mapping_graph(term_sssom_file()))
        write_artifacts(tmp, ontology_triples.union(terms), asserted, full, docs=docs)
        changes.save(tmp, report)
        store.write_manifest(tmp, {"triples": summary.triples, "inferred_triples": summary.inferred_triples,
                                   "reasoner": summary.reasoner})
        _swap_in(tmp, release_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    summary.stage_seconds["write"] = time.perf_counter() - t
    tell("write", summary.stage_seconds["write"], len(full), "release files and store")
    return summary


def write_artifacts(out: Path, ontology: Triples, asserted: Triples, full: Triples, docs: bool = True) -> None:
    """Every release file, written by pyoxigraph's serializers from the N-Triples lines."""
    from concurrent.futures import ThreadPoolExecutor

    import pyoxigraph as ox

    prefixes = release_prefixes()
    inferred_nt = out / "ballkg-inferred.nt"
    inferred_nt.write_bytes(full.ntriples())
    # the store's bulk load runs beside the serializers (it leaves the interpreter lock to the writers):
    # at 1.4*10^6 triples the write stage takes 4 s less
    with ThreadPoolExecutor(max_workers=1) as loader:
        loaded = loader.submit(store.load_store_from_file, inferred_nt, out / store.STORE_DIR)
        ox.serialize(asserted.triples(), str(out / "ballkg.ttl"), ox.RdfFormat.TURTLE, prefixes=prefixes)
        ox.serialize(full.triples(), str(out / "ballkg-inferred.ttl"), ox.RdfFormat.TURTLE, prefixes=prefixes)
        ox.serialize(ontology.triples(), str(out / "ballkg-ontology.owl"), ox.RdfFormat.RDF_XML, prefixes=prefixes)
        ox.serialize(asserted.triples(), str(out / "ballkg.owl"), ox.RdfFormat.RDF_XML, prefixes=prefixes)
        (out / "ballkg.nt").write_bytes(asserted.ntriples())
        ox.serialize(asserted.triples(), str(out / "ballkg.jsonld"), ox.RdfFormat.JSON_LD)
        loaded.result()  # the loader's error, if any, is raised here
    inferred_nt.unlink()
    for sssom in sssom_files():  # the entity and the term mapping tables, where tools look for them
        shutil.copy2(sssom, out / sssom.name)
    if docs:
        from .docs import write_ontology_docs

        write_ontology_docs(out / "ballkg-ontology.owl", out / "docs" / "index.html")


def _swap_in(tmp: Path, release_dir: Path) -> None:
    """Make the finished release in `tmp` the release, in one atomic step.

    `release_dir` is a symbolic link to a versioned sibling folder (.NAME.vTIME); the new version is
    put in place by renaming a new link over it (os.replace), so a reader resolves either the previous
    release or the new one, never no release or a mixture. The previous version is kept for readers
    that opened it a moment ago; older ones are removed.
    """
    import os

    parent, name = release_dir.parent, release_dir.name
    version = parent / f".{name}.v{time.time_ns()}"
    tmp.rename(version)
    if release_dir.exists() and not release_dir.is_symlink():  # a release folder of the older layout
        release_dir.rename(parent / f".{name}.v{time.time_ns() - 1}-folder")
    link = parent / f".{name}.link-{os.getpid()}"
    link.unlink(missing_ok=True)
    link.symlink_to(version.name, target_is_directory=True)
    os.replace(link, release_dir)

    def stamp(p: Path) -> int:
        digits = p.name[len(name) + 3:].split("-")[0]
        return int(digits) if digits.isdigit() else 0

    versions = sorted((p for p in parent.glob(f".{name}.v*") if p.is_dir() and not p.is_symlink()), key=stamp)
    for old in versions[:-2]:
        shutil.rmtree(old, ignore_errors=True)
