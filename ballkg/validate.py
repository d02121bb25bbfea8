"""SHACL validation with a report a curator can read.

The data graph handed to the SHACL engine is always the ontology plus the data, so that `sh:class`
constraints see the class hierarchy. Only results of severity sh:Violation make data non-conforming;
warnings are reported but do not block a build or an add.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import rdflib
from rdflib.namespace import RDF, RDFS, SH

from . import shape_queries, sources
from .sources import load_ontology

# Literals longer than this are refused: no value in this domain needs it, and a runaway literal is
# almost always a broken export that would bloat every release artifact.
MAX_LITERAL_CHARS = 100_000
SIZE_LIMIT_SHAPE = "https://w3id.org/ballkg/shapes#LiteralSizeLimit"
UNDECLARED_TERM_SHAPE = "https://w3id.org/ballkg/shapes#DeclaredTermsOnly"
BK_NS = sources.BK_IRI


@dataclass(frozen=True)
class ValidationResult:
    severity: str  # "Violation", "Warning" or "Info"
    focus_node: str
    focus_label: str | None
    path: str | None
    value: str | None
    message: str
    source_shape: str | None
    constraint: str | None

    def format(self) -> str:
        who = f"{self.focus_label} <{self.focus_node}>" if self.focus_label else f"<{self.focus_node}>"
        lines = [f"[{self.severity}] {who}"]
        if self.path:
            lines.append(f"    property: {self.path}")
        if self.value is not None:
            shown = self.value if len(self.value) <= 120 else self.value[:117] + "..."
            lines.append(f"    value:    {shown}")
        lines.append(f"    problem:  {self.message}")
        if self.source_shape:
            lines.append(f"    shape:    {self.source_shape}")
        return "\n".join(lines)


@dataclass
class ValidationReport:
    results: list[ValidationResult] = field(default_factory=list)

    @property
    def violations(self) -> list[ValidationResult]:
        return [r for r in self.results if r.severity == "Violation"]

    @property
    def warnings(self) -> list[ValidationResult]:
        return [r for r in self.results if r.severity == "Warning"]

    @property
    def conforms(self) -> bool:
        return not self.violations

    def summary(self) -> str:
        verdict = "conforms" if self.conforms else "does NOT conform"
        return (f"{verdict}: {len(self.violations)} violation(s), {len(self.warnings)} warning(s), "
                f"{len(self.results) - len(self.violations) - len(self.warnings)} info")

    def format_text(self, limit: int | None = None) -> str:
        shown = self.results if limit is None else self.results[:limit]
        parts = [r.format() for r in shown]
        if limit is not None and len(self.results) > limit:
            parts.append(f"... and {len(self.results) - limit} more result(s)")
        parts.append(self.summary())
        return "\n".join(parts)

    def to_json(self) -> str:
        return json.dumps({"conforms": self.conforms,
                           "violations": len(self.violations),
                           "warnings": len(self.warnings),
                           "results": [asdict(r) for r in self.results]}, indent=2)


def load_shapes(shapes_dir: Path | None = None) -> rdflib.Graph:
    return sources.parse_files(sorted((shapes_dir or sources.shapes_dir()).glob("*.ttl")))


def _severity_name(term) -> str:
    return str(term).rsplit("#", 1)[-1] if term is not None else "Violation"


def _label(graph: rdflib.Graph, node) -> str | None:
    label = graph.value(node, RDFS.label)
    return str(label) if label is not None else None


def _store_labeller(store) -> Callable[[object], str | None]:
    """rdfs:label of a report node, looked up in a pyoxigraph store."""
    import pyoxigraph as ox

    label = ox.NamedNode(str(RDFS.label))

    def lookup(node) -> str | None:
        term: ox.NamedNode | ox.BlankNode
        if isinstance(node, rdflib.URIRef):
            term = ox.NamedNode(str(node))
        elif isinstance(node, rdflib.BNode):
            term = ox.BlankNode(str(node))
        else:
            return None
        for quad in store.quads_for_pattern(term, label, None):
            return quad.object.value
        return None
    return lookup


def _results_from_report(report: rdflib.Graph, label: Callable[[object], str | None]) -> list[ValidationResult]:
    results = []
    nested = set(report.objects(None, SH.detail))  # details of another result are not results of their own
    for res in report.subjects(RDF.type, SH.ValidationResult):
        if res in nested:
            continue
        focus = report.value(res, SH.focusNode)
        path = report.value(res, SH.resultPath)
        value = report.value(res, SH.value)
        messages = sorted(str(m) for m in report.objects(res, SH.resultMessage))
        results.append(ValidationResult(
            severity=_severity_name(report.value(res, SH.resultSeverity)),
            focus_node=str(focus),
            focus_label=label(focus),
            path=str(path) if path is not None else None,
            value=str(value) if value is not None else None,
            message="; ".join(messages) or "constraint not met",
            source_shape=str(report.value(res, SH.sourceShape)) if report.value(res, SH.sourceShape) else None,
            constraint=str(report.value(res, SH.sourceConstraintComponent)),
        ))
    return results


def _too_long(focus, focus_label, p, o, limit: int) -> ValidationResult:
    return ValidationResult(
        severity="Violation", focus_node=str(focus), focus_label=focus_label, path=str(p),
        value=str(o)[:60] + "...",
        message=f"literal of {len(o)} characters exceeds the limit of {limit}; "
                "shorten it or link to a document instead",
        source_shape=SIZE_LIMIT_SHAPE, constraint=None)


def _undeclared(focus, focus_label, bad, path: str, what: str) -> ValidationResult:
    return ValidationResult(
        severity="Violation", focus_node=str(focus), focus_label=focus_label, path=path, value=str(bad),
        message=f"{bad} is not a {what} of the ballkg ontology; check the spelling or declare it in ontology/",
        source_shape=UNDECLARED_TERM_SHAPE, constraint=None)


def oversized_literals(data: rdflib.Graph, limit: int = MAX_LITERAL_CHARS) -> list[ValidationResult]:
    return [_too_long(s, _label(data, s), p, o, limit)
            for s, p, o in data if isinstance(o, rdflib.Literal) and len(o) > limit]


def _declared(ontology: rdflib.Graph) -> set:
    return {s for s in ontology.subjects(RDF.type, None) if str(s).startswith(BK_NS)}


def undeclared_terms(data: rdflib.Graph, ontology: rdflib.Graph) -> list[ValidationResult]:
    """Properties and classes of the ballkg namespace that the ontology does not declare (usually typos)."""
    declared = _declared(ontology)
    out = []
    for s, p, o in data:
        if p == RDF.type and str(o).startswith(BK_NS) and o not in declared:
            out.append(_undeclared(s, _label(data, s), o, str(RDF.type), "class"))
        elif str(p).startswith(BK_NS) and p not in declared:
            out.append(_undeclared(s, _label(data, s), p, str(p), "property"))
    return out


def _store_checks(store, ontology: rdflib.Graph, limit: int = MAX_LITERAL_CHARS) -> list[ValidationResult]:
    """oversized_literals and undeclared_terms, evaluated inside a pyoxigraph store (no Python scan of
    every triple: the store filters, Python sees only the offending triples)."""
    from .store import from_ox_term

    label = _store_labeller(store)
    out = []
    for sol in store.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(isLiteral(?o) && STRLEN(STR(?o)) > %d) }" % limit):
        s, p, o = (from_ox_term(sol[v]) for v in ("s", "p", "o"))
        out.append(_too_long(s, label(s), p, o, limit))
    declared = {str(t) for t in _declared(ontology)}
    used_props = {sol["p"].value for sol in store.query(
        f'SELECT DISTINCT ?p WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?p), "{BK_NS}")) }}')}
    used_classes = {sol["c"].value for sol in store.query(
        f'SELECT DISTINCT ?c WHERE {{ ?s a ?c FILTER(STRSTARTS(STR(?c), "{BK_NS}")) }}')}
    import pyoxigraph as ox

    for prop in sorted(used_props - declared):
        for q in store.quads_for_pattern(None, ox.NamedNode(prop), None):
            s = from_ox_term(q.subject)
            out.append(_undeclared(s, label(s), prop, prop, "property"))
    for cls in sorted(used_classes - declared):
        for q in store.quads_for_pattern(None, ox.NamedNode(str(RDF.type)), ox.NamedNode(cls)):
            s = from_ox_term(q.subject)
            out.append(_undeclared(s, label(s), cls, str(RDF.type), "class"))
    return out


def _prefix_block(shapes: rdflib.Graph, node) -> str:
    """PREFIX declarations of a SPARQL-based target or constraint (sh:prefixes -> sh:declare)."""
    lines = []
    for ontology in shapes.objects(node, SH.prefixes):
        for decl in shapes.objects(ontology, SH.declare):
            lines.append(f"PREFIX {shapes.value(decl, SH.prefix)}: <{shapes.value(decl, SH.namespace)}>")
    return "\n".join(lines)


def copy_graph(graph: rdflib.Graph) -> rdflib.Graph:
    """A copy of a (shapes) graph that the caller may change."""
    out = rdflib.Graph()
    out.addN((s, p, o, out) for s, p, o in graph)
    return out


def resolve_sparql_targets(shapes: rdflib.Graph, store, in_place: bool = False) -> tuple[rdflib.Graph, dict[str, int]]:
    """The shapes with every SPARQL target (SHACL-AF sh:SPARQLTarget) replaced by the sh:targetNode list
    it selects in `store`.

    The SPARQL engine of the store evaluates each target query once, set-at-a-time with its indexes,
    where a SHACL engine without them joins row by row; the SHACL engine then sees plain node targets,
    which gives the same focus nodes and so the same results. A target that selects a blank node is
    kept as it is (a blank node of the data cannot be named in the shapes graph, and the store
    normalises the lexical form of a literal).
    """
    from .store import from_ox_term

    # everything read from `shapes` first: with in_place the loop below changes it
    selected = []
    for shape, target in list(shapes.subject_objects(SH.target)):
        if (target, RDF.type, SH.SPARQLTarget) not in shapes or shapes.value(target, SH.select) is None:
            continue
        query = _prefix_block(shapes, target) + "\n" + str(shapes.value(target, SH.select))
        selected.append((shape, target, query))
    users = {target: len(set(shapes.subjects(SH.target, target))) for _shape, target, _query in selected}
    out = shapes if in_place else copy_graph(shapes)
    counts: dict[str, int] = {}
    for shape, target, query in selected:
        nodes = [from_ox_term(sol["this"]) for sol in store.query(query) if sol["this"] is not None]
        if any(not isinstance(n, rdflib.URIRef) for n in nodes):
            continue
        out.remove((shape, SH.target, target))
        users[target] -= 1
        if users[target] == 0:  # the last shape that used it: its description goes too
            out.remove((target, None, None))
        for node in nodes:
            out.add((shape, SH.targetNode, node))
        counts[str(shape)] = counts.get(str(shape), 0) + len(nodes)
    return out, counts


def _sort_key(r: ValidationResult):
    # the value and shape last: two results that differ only there (one per value) keep one order in every run
    return ({"Violation": 0, "Warning": 1}.get(r.severity, 2), r.focus_node, r.path or "", r.message, r.value or "",
            r.source_shape or "", r.constraint or "")


def _focus_terms(shapes: rdflib.Graph, shape, store) -> set:
    """The focus nodes of `shape`'s own targets in `store`, as rdflib terms (blank nodes included)."""
    from .store import from_ox_term

    try:
        prefixes, nodes = shape_queries.ShapeCompiler(shapes, store).focus_select(shape)
    except shape_queries.Unsupported:  # a target of a kind not read here: its explicit nodes only
        return set(shapes.objects(shape, SH.targetNode))
    return {from_ox_term(sol["this"]) for sol in store.query(f"{prefixes}\nSELECT ?this WHERE {{ {nodes} }}")
            if sol["this"] is not None}


def _target_nodes(shapes: rdflib.Graph, which: set, store) -> set[str]:
    """The IRIs of the focus nodes of the shapes `which`, selected in `store`."""
    return {str(n) for shape in which for n in _focus_terms(shapes, shape, store) if isinstance(n, rdflib.URIRef)}


_TRUE = rdflib.Literal(True)


def _pushable_sparql_constraints(shapes: rdflib.Graph) -> list[tuple]:
    """(shape, constraint) pairs whose SELECT the store can evaluate once for all focus nodes.

    SHACL pre-binds $this per focus node. Evaluated once with the focus nodes joined in first (a sub-select
    at the head of the WHERE clause), a query gives the same solutions as long as no part of it is evaluated
    apart from that join: a single SELECT without MINUS or sub-selects, and without $PATH, $currentShape or
    $shapesGraph. Only shapes with targets of their own qualify (a nested shape's focus nodes come from its
    parent); the others stay with the engine.
    """
    out = []
    for shape, constraint in shapes.subject_objects(SH.sparql):
        query = shapes.value(constraint, SH.select)
        if query is None or _TRUE in (shapes.value(shape, SH.deactivated), shapes.value(constraint, SH.deactivated)):
            continue
        text = str(query)
        if (len(re.findall(r"\bSELECT\b", text, re.I)) != 1 or re.search(r"\bMINUS\b", text, re.I)
                or not re.search(r"\bWHERE\s*\{", text, re.I)
                or re.search(r"\$(PATH|currentShape|shapesGraph)\b", text)):
            continue
        if not any((shape, p, None) in shapes for p in (SH.targetNode, SH.targetClass, SH.targetSubjectsOf,
                                                        SH.targetObjectsOf, SH.target)):
            continue
        out.append((shape, constraint))
    return out


IN_STORE_SHAPE = "urn:ballkg:shape-in-store:"


def sparql_constraints_in_store(shapes: rdflib.Graph, store, focus: set | None = None,
                                in_place: bool = False) -> tuple[rdflib.Graph, dict]:
    """Shapes for the SHACL engine in which the store has done the costly part of each SPARQL constraint.

    A SHACL engine runs a constraint's SELECT once per focus node; the store's engine runs it once for all focus
    nodes with its indexes (at 1.4*10^5 triples 0.2 s instead of 4.5 s) and so finds the focus nodes that fail.
    Each constraint then moves to a shape of its own (same path, severity and messages) that targets just those
    nodes, so the engine still writes every result itself, with pySHACL's values and messages (the store would
    give numbers in canonical form, 53 for 53.0). Returns those shapes and, for each stand-in shape, the shape it
    stands for. `focus` restricts the focus nodes (incremental runs).
    """
    import pyoxigraph as ox

    out = shapes if in_place else copy_graph(shapes)
    stands_for: dict[str, str] = {}
    queries = {}
    for index, (shape, constraint) in enumerate(_pushable_sparql_constraints(shapes)):
        if any(shapes.value(t, SH.select) is None for t in shapes.objects(shape, SH.target)):
            continue  # a target of another kind is not read here
        # the focus nodes as a sub-select at the head of the WHERE clause: $this is then bound wherever the
        # query uses it, also where it appears only inside a FILTER
        prefixes, nodes = shape_queries.ShapeCompiler(shapes, store).focus_select(
            shape, shape_queries.focus_block(focus))
        select = re.sub(r"\$this\b", "?this", str(shapes.value(constraint, SH.select)))
        head = re.search(r"\bWHERE\s*\{", select, re.I)
        assert head is not None  # _pushable_sparql_constraints requires it
        prefixes = "\n".join(dict.fromkeys(f"{prefixes}\n{_prefix_block(shapes, constraint)}".splitlines()))
        queries[(index, shape, constraint)] = (prefixes + "\n" + select[:head.end()] + f" {nodes} "
                                               + select[head.end():])
    from .store import select_in_parallel

    for (index, shape, constraint), found in zip(queries, select_in_parallel(store, list(queries.values()), "this")):
        if any(not isinstance(node, ox.NamedNode) for node in found):
            continue  # a blank node cannot be named in the shapes graph: the engine checks this one itself
        out.remove((shape, SH.sparql, constraint))
        failing = {node.value for node in found}
        if focus is not None:
            failing &= focus
        if not failing:
            continue
        stand_in = rdflib.URIRef(f"{IN_STORE_SHAPE}{index}")
        stands_for[str(stand_in)] = str(shape)
        for p in (RDF.type, SH.path, SH.severity, SH.message):
            for o in shapes.objects(shape, p):
                out.add((stand_in, p, o))
        out.add((stand_in, SH.sparql, constraint))
        for node in failing:
            out.add((stand_in, SH.targetNode, rdflib.URIRef(node)))
    return out, stands_for


def validate(data: rdflib.Graph, *, shapes: rdflib.Graph | None = None,
             ontology: rdflib.Graph | None = None, engine: str = "turbo",
             focus_nodes: Iterable | None = None, expand_unbounded: bool = True) -> ValidationReport:
    """Validate instance data (ontology is merged in for the class hierarchy) against the shapes.

    engine "turbo" is the scalable path of validate_triples; "pyshacl" is the reference
    implementation on an rdflib graph. focus_nodes restricts validation to those nodes (incremental
    validation of an add).
    """
    shapes = shapes if shapes is not None else load_shapes()
    ontology = ontology if ontology is not None else load_ontology()
    if engine not in ("turbo", "pyshacl"):
        raise ValueError(f"unknown SHACL engine {engine!r}; use 'turbo' or 'pyshacl'")
    from .evidence import derive_evidence

    merged = rdflib.Graph()
    for t in ontology:
        merged.add(t)
    for t in data:
        merged.add(t)
    merged += derive_evidence(merged)  # shapes require the derived evidence of every finding
    if engine == "turbo":
        return validate_triples(merged, shapes=shapes, ontology=ontology, focus_nodes=focus_nodes,
                                expand_unbounded=expand_unbounded)
    import pyshacl

    focus = None if focus_nodes is None else list(focus_nodes)
    if focus is not None and not focus:
        return ValidationReport(sorted(oversized_literals(data) + undeclared_terms(data, ontology), key=_sort_key))
    _conforms, report_graph, _text = pyshacl.validate(
        merged, shacl_graph=shapes, advanced=True, allow_warnings=True, allow_infos=True, focus_nodes=focus)
    results = (_results_from_report(report_graph, lambda n: _label(merged, n)) + oversized_literals(data)
               + undeclared_terms(data, ontology))
    return ValidationReport(sorted(set(results), key=_sort_key))


def validate_triples(data, *, shapes: rdflib.Graph, ontology: rdflib.Graph, store=None,
                     focus_nodes: Iterable | None = None, expand_unbounded: bool = True,
                     store_first: bool = True) -> ValidationReport:
    """Validate ontology + data given as parse.Triples (the build's path, no rdflib graph of the data)
    or as one rdflib graph (blank nodes keep their identifiers in the report).

    A pyoxigraph store of the same triples first finds the focus nodes that fail a SPARQL constraint
    (sparql_constraints_in_store) and, with `store_first`, those that may fail a core shape
    (shape_queries); pyshacl-turbo, a Rust SHACL engine with pySHACL's semantics, then checks and reports
    those nodes only, on the N-Triples text of their neighbourhood where that can be bounded. Without
    `store_first` the engine checks every focus node of the core shapes on the whole text (the same
    results, tested). `store` may be given when the caller already has one.
    """
    import pyshacl_turbo

    from .parse import Triples

    engine_input: object
    if isinstance(data, rdflib.Graph):
        text = Triples()
        text.add_ntriples(data.serialize(format="nt", encoding="utf-8"))
        engine_input, engine_format = data, None
    else:
        # handed to the Rust parser as it is (bytes or a path would be read by rdflib first)
        text, engine_format = data, None
        engine_input = None  # made below, from the whole text or from the candidates' neighbourhood
    store = store if store is not None else text.store()
    checks = _store_checks(store, ontology)
    focus = None
    if focus_nodes is not None:
        # shapes whose reads cannot be bounded (SPARQL) are validated on every one of their focus nodes
        # (not when `data` is only a neighbourhood: their other focus nodes would lack their context)
        unbounded = _target_nodes(shapes, shape_reads(shapes)[1], store) if expand_unbounded else set()
        focus = sorted({str(n) for n in focus_nodes} | unbounded)
        if not focus:
            return ValidationReport(sorted(set(checks), key=_sort_key))
    within = None if focus is None else set(focus)
    # the store does the costly part: the failing nodes of SPARQL constraints, then the nodes that may fail
    # the core shapes (shape_queries); the engine checks and reports only those
    # one copy of the shapes, changed in place by each step (a copy per step cost 0.3 s on every small run)
    engine_shapes, stands_for = sparql_constraints_in_store(copy_graph(shapes), store, within, in_place=True)
    pushed = store_first and shape_queries.usable(store, len(text))
    if pushed:
        engine_shapes, _candidates = shape_queries.core_shapes_in_store(engine_shapes, store, within, in_place=True)
    engine_shapes, _counts = resolve_sparql_targets(engine_shapes, store, in_place=True)
    if not shape_queries.has_targets(engine_shapes):
        return ValidationReport(sorted(set(checks), key=_sort_key))  # no node can fail: nothing for the engine
    if engine_input is None:
        from pyshacl_turbo.rdf import Input

        lines = shape_queries.neighbourhood_lines(engine_shapes, store, text.lines) if pushed else None
        engine_text = lines if lines is not None else text.ntriples()
        engine_input = Input(engine_text.decode("utf-8"), "nt", None, {}, {}, preserve_ids=True)
    program = pyshacl_turbo.compile_shapes(engine_shapes, advanced=True)
    _conforms, report_graph, _text = program.validate(engine_input, data_graph_format=engine_format,
                                                      allow_warnings=True, allow_infos=True, focus_nodes=focus)
    results = [replace(r, source_shape=stands_for.get(r.source_shape or "", r.source_shape))
               for r in _results_from_report(report_graph, _store_labeller(store))] + checks
    return ValidationReport(sorted(set(results), key=_sort_key))


# ------------------------------------------------------------------------------ incremental validation
# A changed triple can change the result of a focus node only if some shape, starting from that node,
# reads the triple. The reads of a shape are sequences of steps (predicate, forward?) from its focus
# node: its path steps, the rdf:type of values checked with sh:class, the reads of shapes nested in
# sh:node/sh:or/..., and those of the targets. Walking such a sequence back from a changed triple finds
# every focus node that can read it, however far away. Shapes whose reads cannot be bounded that way
# (SPARQL constraints and targets, unbounded paths) are validated on all their focus nodes.
Step = tuple  # (predicate IRI or None for any predicate, forward: bool)
_NESTED = (SH.node, SH["not"], SH.qualifiedValueShape)
_LISTS = (SH["and"], SH["or"], SH.xone)
_MAX_STEPS = 8


def _path_steps(shapes: rdflib.Graph, path) -> list[list] | None:
    """The step lists a SHACL path may take (one per alternative), or None when unbounded."""
    from rdflib.collection import Collection

    if isinstance(path, rdflib.URIRef):
        return [[(path, True)]]
    inverse = shapes.value(path, SH.inversePath)
    if inverse is not None:
        inner = _path_steps(shapes, inverse)
        return None if inner is None else [[(p, not fwd) for p, fwd in reversed(steps)] for steps in inner]
    alternatives = shapes.value(path, SH.alternativePath)
    if alternatives is not None:
        out = []
        for member in Collection(shapes, alternatives):
            inner = _path_steps(shapes, member)
            if inner is None:
                return None
            out += inner
        return out
    zero_or_one = shapes.value(path, SH.zeroOrOnePath)
    if zero_or_one is not None:
        inner = _path_steps(shapes, zero_or_one)
        return None if inner is None else [[]] + inner
    if shapes.value(path, SH.zeroOrMorePath) is not None or shapes.value(path, SH.oneOrMorePath) is not None:
        return None
    if (path, RDF.first, None) in shapes:  # a sequence path
        out = [[]]
        for member in Collection(shapes, path):
            inner = _path_steps(shapes, member)
            if inner is None:
                return None
            out = [a + b for a in out for b in inner]
        return out
    return None


def _members(shapes: rdflib.Graph, shape) -> list:
    from rdflib.collection import Collection

    out = [o for p in _NESTED for o in shapes.objects(shape, p)]
    for p in _LISTS:
        for head in shapes.objects(shape, p):
            out += list(Collection(shapes, head))
    return out


def _reads(shapes: rdflib.Graph, shape, prefix: tuple, out: set) -> bool:
    """Add the step sequences `shape` reads (after `prefix`) to out; False when they are unbounded."""
    if len(prefix) > _MAX_STEPS or (shape, SH.sparql, None) in shapes:
        return False
    if (shape, SH["class"], None) in shapes and (shape, SH.path, None) not in shapes:
        out.add(prefix + ((RDF.type, True),))
    if (shape, SH.closed, None) in shapes:
        out.add(prefix + ((None, True),))
    for other in (SH.lessThan, SH.lessThanOrEquals, SH.equals, SH.disjoint):
        for q in shapes.objects(shape, other):
            out.add(prefix + ((q, True),))
    path = shapes.value(shape, SH.path)
    if path is not None:
        alternatives = _path_steps(shapes, path)
        if alternatives is None:
            return False
        for steps in alternatives:
            here = prefix + tuple(steps)
            for i in range(1, len(steps) + 1):
                out.add(prefix + tuple(steps[:i]))
            if (shape, SH["class"], None) in shapes:
                out.add(here + ((RDF.type, True),))
            for member in _members(shapes, shape):
                if not _reads(shapes, member, here, out):
                    return False
    else:
        for member in _members(shapes, shape):
            if not _reads(shapes, member, prefix, out):
                return False
    for prop in shapes.objects(shape, SH.property):
        if not _reads(shapes, prop, prefix, out):
            return False
    return True


def shape_reads(shapes: rdflib.Graph) -> tuple[set, set]:
    """(step sequences read from a focus node by the bounded shapes, IRIs of the unbounded shapes)."""
    sequences: set = set()
    unbounded: set = set()
    targets = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)
    top = {s for t in targets for s in shapes.subjects(t, None)}
    for shape in top:
        if any((t, RDF.type, SH.SPARQLTarget) in shapes for t in shapes.objects(shape, SH.target)):
            unbounded.add(shape)
            continue
        found: set = set()
        if not _reads(shapes, shape, (), found):
            unbounded.add(shape)
            continue
        sequences |= found
        for p in shapes.objects(shape, SH.targetSubjectsOf):
            sequences.add(((p, True),))
        for p in shapes.objects(shape, SH.targetObjectsOf):
            sequences.add(((p, False),))
        if any(shapes.objects(shape, SH.targetClass)):
            sequences.add(((RDF.type, True),))
    return sequences, unbounded


def affected_focus_nodes(changed: Iterable[tuple], subjects_of, objects_of, shapes: rdflib.Graph) -> set:
    """Every node whose validation result a change of the triples `changed` can alter (bounded shapes).

    subjects_of(p, o) and objects_of(s, p) read the graph after the change (p None = any predicate)."""
    sequences, _unbounded = shape_reads(shapes)
    affected: set = set()
    for s, p, o in changed:
        affected.add(s)  # SPARQL-based and closed shapes may read any statement of their focus node
        for seq in sequences:
            pred, forward = seq[-1]
            if pred is not None and pred != p:
                continue
            start = s if forward else o
            if isinstance(start, rdflib.Literal):
                continue
            frontier = {start}
            for pred_back, fwd_back in reversed(seq[:-1]):
                nxt: set = set()
                for node in frontier:
                    nxt |= set(subjects_of(pred_back, node) if fwd_back else
                               (x for x in objects_of(node, pred_back) if not isinstance(x, rdflib.Literal)))
                frontier = nxt
                if not frontier:
                    break
            affected |= frontier
    return affected


def rdflib_walkers(graph: rdflib.Graph):
    return (lambda p, o: graph.subjects(p, o)), (lambda s, p: graph.objects(s, p))


def store_walkers(store):
    """subjects_of/objects_of over a pyoxigraph store, in rdflib terms."""
    from .store import from_ox_term, to_ox_term

    def subjects_of(p, o):
        return (from_ox_term(q.subject) for q in store.quads_for_pattern(
            None, None if p is None else to_ox_term(p), to_ox_term(o)))

    def objects_of(s, p):
        return (from_ox_term(q.object) for q in store.quads_for_pattern(
            to_ox_term(s), None if p is None else to_ox_term(p), None))
    return subjects_of, objects_of
