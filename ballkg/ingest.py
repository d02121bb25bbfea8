"""Reading user-supplied RDF with precise errors, and `ballkg add`: merge new data only when the result conforms.

A user's files are first read by pyoxigraph, whose syntax errors carry a line and column, then by rdflib.
`add` validates only what the new data touches (its subjects, the nodes it points to and the nodes
that point to them) and writes graph/additions.ttl through a temporary file and an atomic rename, so
a failed or interrupted add leaves every graph file byte-for-byte as it was.
"""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import rdflib
from rdflib.namespace import OWL, RDF

from . import sources
from .validate import ValidationReport, validate

ADDITIONS_FILE = "additions.ttl"


class InputError(ValueError):
    """A user file that cannot be used at all (missing, empty, not RDF, malformed)."""


FORMATS = {".ttl": ("turtle", "TURTLE"), ".nt": ("nt", "N_TRIPLES"), ".jsonld": ("json-ld", "JSON_LD"),
           ".owl": ("xml", "RDF_XML"), ".rdf": ("xml", "RDF_XML")}


def read_user_files(paths: list[str | Path]) -> rdflib.Graph:
    import pyoxigraph as ox

    graph = rdflib.Graph()
    for raw in paths:
        path = Path(raw)
        if not path.is_file():
            raise InputError(f"{path}: no such file")
        data = path.read_bytes()
        if not data.strip():
            raise InputError(f"{path}: the file is empty; there is nothing to validate or add")
        if b"\x00" in data[:4096]:
            raise InputError(f"{path}: this is a binary file, not RDF; give a Turtle (.ttl) file")
        rdflib_fmt, ox_fmt = FORMATS.get(path.suffix.lower(), FORMATS[".ttl"])
        try:
            for _ in ox.parse(input=data, format=getattr(ox.RdfFormat, ox_fmt), base_iri=path.resolve().as_uri()):
                pass
        except SyntaxError as exc:
            where = f"line {exc.lineno}, column {exc.offset}" if getattr(exc, "lineno", None) else "position unknown"
            what = ox_fmt.replace('_', '-').title()
            raise InputError(f"{path}: {where}: not valid {what}: {exc.msg if hasattr(exc, 'msg') else exc}. "
                             "Fix the syntax there and try again; nothing was changed.") from None
        except ValueError as exc:
            raise InputError(f"{path}: cannot be read as RDF: {exc}") from None
        part = rdflib.Graph()
        try:
            part.parse(data=data, format=rdflib_fmt, publicID=path.resolve().as_uri())
        except Exception as exc:  # rdflib raises many parser-specific types
            raise InputError(f"{path}: cannot be read as RDF: {exc}") from None
        if len(part) == 0:
            raise InputError(f"{path}: the file holds no triples; there is nothing to validate or add")
        graph += part
    return graph


def neighbourhood(new: rdflib.Graph, merged: rdflib.Graph) -> set:
    """Focus nodes an addition can affect: its subjects, the nodes it points at, and the nodes pointing at its subjects.

    Nodes that merely point at the same objects (every outcome points at bkd:percent) are not affected: a
    shape of a node only reads that node's own edges and, through them, its neighbours.
    """
    subjects = {s for s in new.subjects() if not isinstance(s, rdflib.Literal)}
    touched = subjects | {o for o in new.objects() if isinstance(o, (rdflib.URIRef, rdflib.BNode))}
    for node in subjects:
        # blank nodes pointing at a subject are axiom annotations (graph/statement-provenance.ttl), which no
        # shape targets; as focus nodes they would have no IRI to name them
        touched |= {x for x in merged.subjects(None, node) if not isinstance(x, rdflib.BNode)}
    return touched


# How far from a focus node the shapes look (a comparator outcome -> its arm -> the arm's study is three hops).
CONTEXT_HOPS = 3
_INCOMING_FOR = ("Study", "ClinicalTrial", "CaseReport", "PreclinicalStudy", "CohortAnalysis", "StudyArm",
                 "Population", "Discrepancy", "OutcomeMeasurement")


def store_context(store, focus: set, new: rdflib.Graph) -> rdflib.Graph:
    """The part of the release store the shapes can see from the focus nodes: outgoing edges up to
    CONTEXT_HOPS away, and incoming edges of the new nodes and of the studies, arms, populations,
    outcomes and discrepancies among the focus nodes, and the axiom annotations on statements about the
    nodes seen."""
    import pyoxigraph as ox

    from .store import from_ox_term as to_rdflib

    context = rdflib.Graph()
    seen: set = set()
    frontier = {ox.NamedNode(str(n)) for n in focus if isinstance(n, rdflib.URIRef)}
    for _ in range(CONTEXT_HOPS + 1):
        nxt = set()
        for node in frontier - seen:
            seen.add(node)
            for q in store.quads_for_pattern(node, None, None):
                context.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
                if not isinstance(q.object, ox.Literal):
                    nxt.add(q.object)
        frontier = nxt
    type_node = ox.NamedNode(str(RDF.type))
    wants_incoming = {ox.NamedNode(sources.BK_IRI + c) for c in _INCOMING_FOR}
    new_subjects = {ox.NamedNode(str(s)) for s in new.subjects() if isinstance(s, rdflib.URIRef)}
    for node in {ox.NamedNode(str(n)) for n in focus if isinstance(n, rdflib.URIRef)}:
        types = {q.object for q in store.quads_for_pattern(node, type_node, None)}
        if node in new_subjects or types & wants_incoming:
            for q in store.quads_for_pattern(None, None, node):
                context.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
                for t in store.quads_for_pattern(q.subject, type_node, None):
                    context.add((to_rdflib(t.subject), RDF.type, to_rdflib(t.object)))
    # the axiom annotations on statements about the nodes seen (provenance per statement, which a shape requires)
    annotated_source = ox.NamedNode(str(OWL.annotatedSource))
    for node in {n for n in seen if isinstance(n, ox.NamedNode)}:
        for q in store.quads_for_pattern(None, annotated_source, node):
            for a in store.quads_for_pattern(q.subject, None, None):
                context.add((to_rdflib(a.subject), to_rdflib(a.predicate), to_rdflib(a.object)))
    return context


def _usable_release_store():
    """The release store when it reflects every source except, possibly, graph/additions.ttl."""
    from . import store

    release = sources.release_dir()
    stale = store.stale_files(release)
    if stale is None or (stale and set(stale) <= {f"graph/{ADDITIONS_FILE}"}):
        import pyoxigraph as ox

        return ox.Store.read_only(str(release / store.STORE_DIR))
    return None


@dataclass
class AddOutcome:
    added: int
    target: Path
    report: ValidationReport


class DuplicateError(ValueError):
    pass


def find_duplicates(new: rdflib.Graph, existing) -> list[str]:
    """Studies of `new` whose registry id another study of `existing` has, and typed nodes of `new` that
    `existing` already types. `existing` is an rdflib Graph or a pyoxigraph Store (the release store)."""
    from .store import triples_of

    problems = []
    registry = sources.BK.registryId
    for s, o in sorted(new.subject_objects(registry)):
        for owner, _, _ in triples_of(existing, None, registry, o):
            if owner != s:
                problems.append(f"registry id {o} is already the study <{owner}>; <{s}> would duplicate it "
                                "(add outcomes to the existing study instead)")
    for s in sorted({s for s in new.subjects(RDF.type, None) if isinstance(s, rdflib.URIRef)}):
        if any(True for _ in triples_of(existing, s, RDF.type, None)):
            problems.append(f"<{s}> is already in the graph; an add must not redefine it (edit the graph file instead)")
    return problems


def add(paths: list[str | Path], *, engine: str = "turbo", use_store: bool = True,
        dry_run: bool = False) -> AddOutcome:
    """Merge the files into graph/additions.ttl if the merged graph conforms (dry_run: only check).

    The check and the write happen under the sources lock, so concurrent adds run one after the
    other and each sees (and checks duplicates against) what the others wrote.
    """
    new = read_user_files(paths)
    if dry_run:
        return _merge(new, engine=engine, use_store=use_store, write=False)
    from .lock import sources_lock

    with sources_lock("ballkg add"):
        target = sources.graph_dir() / ADDITIONS_FILE
        for tmp in target.parent.glob(f".{target.name}.*"):  # left by a writer that was killed mid-write
            tmp.unlink(missing_ok=True)
        return _merge(new, engine=engine, use_store=use_store, write=True)


def _merge(new: rdflib.Graph, *, engine: str, use_store: bool, write: bool) -> AddOutcome:
    """Validate the merged graph and, when it conforms and `write` is set, write graph/additions.ttl.

    With a fresh release store (and the turbo engine) only the neighbourhood of the new data is read
    from the store and validated, so an add stays fast on large graphs; otherwise the whole graph is
    parsed. Both paths report the same violations (tested).
    """
    target = sources.graph_dir() / ADDITIONS_FILE
    st = _usable_release_store() if (use_store and engine == "turbo") else None
    focus: set | None
    if st is not None:
        existing = rdflib.Graph()
        if target.is_file():
            existing = sources.parse_files([target])  # additions made since the last build
        duplicates = find_duplicates(new, st) + find_duplicates(new, existing)
        if duplicates:
            raise DuplicateError("; ".join(duplicates))
        around = existing + new
        focus = neighbourhood(new, around) | _store_pointers(st, new)
        data = store_context(st, focus, new) + around
        report = validate(data, focus_nodes=focus)
    else:
        existing = sources.load_instances()
        duplicates = find_duplicates(new, existing)
        if duplicates:
            raise DuplicateError("; ".join(duplicates))
        merged = existing + new
        # pySHACL's focus-node mode mis-evaluates nested sh:or/sh:not, so only turbo validates incrementally
        focus = neighbourhood(new, merged) if engine == "turbo" else None
        report = validate(merged, engine=engine, focus_nodes=focus)
    if not report.conforms or not write:
        return AddOutcome(0, target, report)
    additions = rdflib.Graph()
    if target.is_file():
        additions = sources.parse_files([target])
    before = len(additions)
    additions += new
    additions.bind("bk", sources.BK)
    additions.bind("bkd", sources.BKD)
    atomic_write(target, additions.serialize(format="turtle").encode("utf-8"))
    return AddOutcome(len(additions) - before, target, report)


def _store_pointers(store, new: rdflib.Graph) -> set:
    """Existing nodes in the store that point at the subjects of the new data."""
    import pyoxigraph as ox

    out = set()
    for s in set(new.subjects()):
        if isinstance(s, rdflib.URIRef):
            out |= {rdflib.URIRef(q.subject.value) for q in store.quads_for_pattern(None, None, ox.NamedNode(str(s)))
                    if isinstance(q.subject, ox.NamedNode)}
    return out


def atomic_write(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
