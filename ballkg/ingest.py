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
from rdflib.namespace import RDF

from . import sources
from .validate import ValidationReport, affected_focus_nodes, load_shapes, rdflib_walkers, store_walkers, validate

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


def neighbourhood(new: rdflib.Graph, merged: rdflib.Graph, shapes: rdflib.Graph | None = None) -> set:
    """Focus nodes whose results the new triples can change: every node from which a shape reads one of
    them (validate.affected_focus_nodes), found by walking the shapes' reads back through `merged`.

    Nodes that merely point at the same objects (every outcome points at bkd:percent) are not affected
    unless a shape reads on from there; shapes that cannot be bounded (SPARQL) are validated on all their
    focus nodes by the validation itself."""
    shapes = shapes if shapes is not None else load_shapes()
    subjects_of, objects_of = rdflib_walkers(merged)
    return affected_focus_nodes(new, subjects_of, objects_of, shapes)


# How far from a focus node the context read from the store reaches (an outcome -> its arm -> the arm's
# study -> the study's type is three hops).
CONTEXT_HOPS = 3


def store_context(store, focus: set, new: rdflib.Graph) -> rdflib.Graph:
    """The part of the release store the shapes can see from the focus nodes: outgoing edges up to
    CONTEXT_HOPS away (and from the nodes the new data points at), and the incoming edges of every focus
    node with the descriptions of their sources."""
    import pyoxigraph as ox

    from .store import from_ox_term

    def add(q) -> None:
        context.add((from_ox_term(q.subject), from_ox_term(q.predicate), from_ox_term(q.object)))

    context = rdflib.Graph()
    seen: set = set()
    start = {ox.NamedNode(str(n)) for n in focus if isinstance(n, rdflib.URIRef)}
    # the nodes the new data points at are read through its statements (their types, their study, ...)
    frontier = start | {ox.NamedNode(str(o)) for o in new.objects() if isinstance(o, rdflib.URIRef)}
    for _ in range(CONTEXT_HOPS + 1):
        nxt = set()
        for node in frontier - seen:
            seen.add(node)
            for q in store.quads_for_pattern(node, None, None):
                add(q)
                if not isinstance(q.object, ox.Literal):
                    nxt.add(q.object)
        frontier = nxt
    # incoming edges of every focus node, with the whole description of their sources: the SPARQL-based
    # shapes read them (an owl:Axiom giving a statement's provenance points at the statement's subject)
    for node in start:
        for q in store.quads_for_pattern(None, None, node):
            add(q)
            for t in store.quads_for_pattern(q.subject, None, None):
                add(t)
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
    if st is not None and _states_about_curated_nodes(st, new):
        # statements about nodes already in the graph can change what SPARQL rules find anywhere in
        # it, beyond any neighbourhood read from the store: validate the whole merged graph instead
        st = None
    focus: set | None
    if st is not None:
        existing = rdflib.Graph()
        if target.is_file():
            existing = sources.parse_files([target])  # additions made since the last build
        duplicates = find_duplicates(new, st) + find_duplicates(new, existing)
        if duplicates:
            raise DuplicateError("; ".join(duplicates))
        around = existing + new
        shapes = load_shapes()
        focus = neighbourhood(new, around, shapes) | _affected_in_store(st, new, around, shapes)
        data = store_context(st, focus, new) + around
        report = validate(data, shapes=shapes, focus_nodes=focus, expand_unbounded=False)
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


def _states_about_curated_nodes(store, new: rdflib.Graph) -> bool:
    import pyoxigraph as ox

    return any(True for s in set(new.subjects()) if isinstance(s, rdflib.URIRef)
               for _ in store.quads_for_pattern(ox.NamedNode(str(s)), None, None))


def _affected_in_store(store, new: rdflib.Graph, around: rdflib.Graph, shapes: rdflib.Graph) -> set:
    """affected_focus_nodes, walking back through the release store and the new data together."""
    store_subjects, store_objects = store_walkers(store)
    graph_subjects, graph_objects = rdflib_walkers(around)

    def subjects_of(p, o):
        return set(store_subjects(p, o)) | set(graph_subjects(p, o))

    def objects_of(s, p):
        return set(store_objects(s, p)) | set(graph_objects(s, p))
    return affected_focus_nodes(new, subjects_of, objects_of, shapes)


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
