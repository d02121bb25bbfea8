"""SHACL core shapes as SPARQL: the store finds the focus nodes that may fail, the SHACL engine checks only those.

A SHACL engine walks every focus node of every shape; at 10^6 triples that is most of a build. The store's
SPARQL engine can test the same constraints set-at-a-time with its indexes. Each shape with targets of its own
is compiled to one boolean SPARQL expression over the focus node, built so that it is *sound*: when it is true
the node conforms to the shape. The nodes for which it is false (or cannot be decided) are the shape's
candidates, and only they go on to the engine, which writes every result itself. A node the expression lets
through cannot fail, so the report is the same as when the engine sees all focus nodes.

What is compiled: sh:class, sh:datatype, sh:nodeKind, sh:in, sh:hasValue, sh:pattern, sh:minLength,
sh:maxLength, the four range components, sh:minCount, sh:maxCount, sh:lessThan(OrEquals), sh:equals,
sh:disjoint, sh:node, sh:and, sh:or, sh:not, sh:xone, sh:closed, sh:property, on any SHACL path, with the
four core targets and SPARQL-based targets. A shape using anything else (sh:sparql, qualified value shapes,
languages, ...) is left to the engine with all its focus nodes. sh:not and sh:xone need an *exact* inner
expression (true exactly when the node conforms); the checks whose store semantics can differ from the
engine's on some literal (datatype well-formedness, patterns, lengths, ranges) are sound but not exact, so a
negation over them is left to the engine too.

One condition holds the whole scheme together: the store must hold every data triple as a term of its own.
Oxigraph keeps numbers in canonical form, so "53.0" and "53" (both xsd:decimal) on one subject would be one
value to the store and two to the engine; `usable` refuses the scheme when the store holds fewer triples than
the text it was loaded from.
"""
from __future__ import annotations

import re

import rdflib
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD


class Unsupported(Exception):
    """A shape uses a feature this compiler does not translate: the engine checks it on every focus node."""


TYPE_PATH = f"<{RDF.type}>/<{RDFS.subClassOf}>*"

# predicates of a shape that do not constrain (documentation, targets, results), beside non-SHACL ones
_NOT_CONSTRAINTS = {SH.message, SH.severity, SH.name, SH.description, SH.order, SH.group, SH.defaultValue,
                    SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target,
                    SH.path, SH.deactivated, SH.ignoredProperties, SH.flags, SH.prefixes}
# datatypes whose well-formedness the store can test: a cast of a well-formed literal gives the literal back
_CASTABLE = {XSD.decimal, XSD.integer, XSD.boolean, XSD.double, XSD.float, XSD.dateTime}
# regular expressions written only with these read the same to the store (Rust) and to the engine (Python)
_PORTABLE_PATTERN = re.compile(r"(?:[^\\(]|\\[Ssdw.\\\-/^$*+?()\[\]{}|]|\((?!\?))*")


def _term(node) -> str:
    if isinstance(node, rdflib.URIRef):
        return f"<{node}>"
    if isinstance(node, rdflib.Literal):
        return node.n3()
    raise Unsupported(f"a blank node {node} as a constant")


class ShapeCompiler:
    def __init__(self, shapes: rdflib.Graph, store=None):
        self.shapes = shapes
        self.store = store
        self.counter = 0
        self.prefixes: dict[str, str] = {}
        self._below: dict = {}

    def instance_of(self, x: str, cls) -> str:
        """`x` is an instance of `cls` (rdf:type/rdfs:subClassOf*). With a store, the subclasses are read
        from it once and the test is a lookup of x's types (a path per node costs 20 times as much)."""
        below = self.subclasses(cls) if self.store is not None and isinstance(cls, rdflib.URIRef) else None
        if below is None:
            return f"EXISTS {{ {x} {TYPE_PATH} {_term(cls)} }}"
        t = self.fresh()
        return f"EXISTS {{ {x} <{RDF.type}> {t} FILTER ({t} IN ({', '.join(below)})) }}"

    def subclasses(self, cls) -> list[str] | None:
        """The IRIs of `cls` and every class below it in the store, or None when a blank node is among them
        (it cannot be listed; the path is walked instead)."""
        import pyoxigraph as ox

        if cls not in self._below:
            query = f"SELECT DISTINCT ?c WHERE {{ ?c <{RDFS.subClassOf}>* <{cls}> }}"
            rows = [row["c"] for row in self.store.query(query)]
            named = all(isinstance(c, ox.NamedNode) for c in rows)
            self._below[cls] = sorted({str(c) for c in rows} | {f"<{cls}>"}) if named else None
        return self._below[cls]

    def fresh(self) -> str:
        self.counter += 1
        return f"?_v{self.counter}"

    def _list(self, head) -> list:
        return list(Collection(self.shapes, head))

    # ------------------------------------------------------------------ paths
    def path(self, node) -> str:
        g = self.shapes
        if isinstance(node, rdflib.URIRef):
            return f"<{node}>"
        if (node, RDF.first, None) in g:
            return "(" + "/".join(self.path(m) for m in self._list(node)) + ")"
        for p, fmt in ((SH.inversePath, "^({})"), (SH.zeroOrMorePath, "({})*"), (SH.oneOrMorePath, "({})+"),
                       (SH.zeroOrOnePath, "({})?")):
            inner = g.value(node, p)
            if inner is not None:
                return fmt.format(self.path(inner))
        alternatives = g.value(node, SH.alternativePath)
        if alternatives is not None:
            return "(" + "|".join(self.path(m) for m in self._list(alternatives)) + ")"
        raise Unsupported(f"the path {node}")

    # ------------------------------------------------------------------ one value node
    def value_checks(self, shape, x: str) -> tuple[list[str], bool]:
        """Expressions that all hold when `x` satisfies the value-level components of `shape`, and
        whether together they are exact."""
        g, out, exact = self.shapes, [], True
        for c in g.objects(shape, SH["class"]):
            out.append(self.instance_of(x, c))
        for d in g.objects(shape, SH.datatype):
            exact = False
            if d == RDF.langString:
                out.append(f"(isLiteral({x}) && LANG({x}) != \"\")")
            elif d == XSD.string:
                out.append(f"(isLiteral({x}) && sameTerm(DATATYPE({x}), <{XSD.string}>))")
            elif d in _CASTABLE:
                out.append(f"(isLiteral({x}) && sameTerm(DATATYPE({x}), <{d}>) && COALESCE(<{d}>({x}) = {x}, false))")
            else:
                raise Unsupported(f"sh:datatype {d}")
        for k in g.objects(shape, SH.nodeKind):
            kinds: dict = {SH.IRI: "isIRI({0})", SH.Literal: "isLiteral({0})", SH.BlankNode: "isBlank({0})",
                     SH.BlankNodeOrIRI: "!isLiteral({0})", SH.BlankNodeOrLiteral: "!isIRI({0})",
                     SH.IRIOrLiteral: "!isBlank({0})"}
            if k not in kinds:
                raise Unsupported(f"sh:nodeKind {k}")
            out.append(kinds[k].format(x))
        for head in g.objects(shape, SH["in"]):
            members = []
            for m in self._list(head):
                if isinstance(m, rdflib.URIRef):
                    members.append(f"sameTerm({x}, {_term(m)})")
                elif isinstance(m, rdflib.Literal) and m.datatype in (None, XSD.string) and not m.language:
                    # a plain string keeps its lexical form in the store; numbers would be canonicalised
                    members.append(f"sameTerm({x}, {_term(m)})")
                else:
                    raise Unsupported(f"sh:in member {m}")
            out.append("(" + (" || ".join(members) or "false") + ")")
        for pattern in g.objects(shape, SH.pattern):
            exact = False
            text, flags = str(pattern), str(g.value(shape, SH.flags) or "")
            if not _PORTABLE_PATTERN.fullmatch(text) or re.search(r"\[:|&&|--|~~", text) or set(flags) - set("imsx"):
                raise Unsupported(f"sh:pattern {text!r}")
            regex = rdflib.Literal(text).n3() + (f", {rdflib.Literal(flags).n3()}" if flags else "")
            out.append(f"({self._unaltered(x)} && COALESCE(REGEX(STR({x}), {regex}), false))")
        for p, op in ((SH.minLength, ">="), (SH.maxLength, "<=")):
            for n in g.objects(shape, p):
                exact = False
                out.append(f"({self._unaltered(x)} && STRLEN(STR({x})) {op} {int(str(n))})")
        for p, op in ((SH.minInclusive, ">="), (SH.minExclusive, ">"), (SH.maxInclusive, "<="),
                      (SH.maxExclusive, "<")):
            for bound in g.objects(shape, p):
                exact = False
                out.append(f"COALESCE({x} {op} {_term(bound)}, false)")
        for other in g.objects(shape, SH.node):
            expr, inner_exact = self.node_expr(other, x)
            out.append(expr)
            exact = exact and inner_exact
        for head in g.objects(shape, SH["and"]):
            for member in self._list(head):
                expr, inner_exact = self.node_expr(member, x)
                out.append(expr)
                exact = exact and inner_exact
        for head in g.objects(shape, SH["or"]):
            parts = [self.node_expr(member, x) for member in self._list(head)]
            out.append("(" + (" || ".join(e for e, _ in parts) or "false") + ")")
            exact = exact and all(ex for _, ex in parts)
        for negated in g.objects(shape, SH["not"]):
            expr, inner_exact = self.node_expr(negated, x)
            if not inner_exact:
                raise Unsupported("sh:not over a check that is not exact in the store")
            out.append(f"!({expr})")
        if (shape, SH.path, None) not in g:  # on a property shape $this is its focus node: property_checks
            for constraint in g.objects(shape, SH.sparql):
                out.append(self.sparql_check(constraint, x))
        for head in g.objects(shape, SH.xone):
            parts = [self.node_expr(member, x) for member in self._list(head)]
            if not all(ex for _, ex in parts):
                raise Unsupported("sh:xone over a check that is not exact in the store")
            out.append("((" + " + ".join(f"IF({e}, 1, 0)" for e, _ in parts) + ") = 1)")
        return out, exact

    def sparql_check(self, constraint, x: str) -> str:
        """A SPARQL-based constraint (SHACL pre-binds $this) as NOT EXISTS over its WHERE group, which the
        store evaluates with `x` bound in the same way; only plain SELECTs qualify."""
        from .validate import _prefix_block

        g = self.shapes
        if g.value(constraint, SH.deactivated) == rdflib.Literal(True):
            return "true"
        text = str(g.value(constraint, SH.select) or "")
        head = re.search(r"\bWHERE\s*\{", text, re.I)
        if (head is None or len(re.findall(r"\bSELECT\b", text, re.I)) != 1
                or re.search(r"\b(MINUS|GROUP|HAVING|ORDER|LIMIT|OFFSET|SERVICE|VALUES)\b", text, re.I)
                or re.search(r"\$(PATH|currentShape|shapesGraph|value)\b", text) or re.search(r"\?_", text)):
            raise Unsupported(f"the SPARQL constraint {constraint}")
        depth, end = 1, None
        for i in range(head.end(), len(text)):
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            if depth == 0:
                end = i
                break
        if end is None or text[end + 1:].strip():
            raise Unsupported(f"the SPARQL constraint {constraint}")
        for line in _prefix_block(g, constraint).splitlines():
            name, _, iri = line.removeprefix("PREFIX ").partition(": ")
            if self.prefixes.setdefault(name, iri) != iri:
                raise Unsupported(f"the prefix {name}: declared twice")
        body = re.sub(r"[$?]this\b", x, text[head.end():end])
        return f"NOT EXISTS {{ {body} }}"

    def _no_altered_value(self, x: str, path: str) -> str:
        """No value of `path` is a literal the store may hold in another form than the text."""
        v = self.fresh()
        return f"NOT EXISTS {{ {x} {path} {v} FILTER (isLiteral({v}) && !{self._unaltered(v)}) }}"

    @staticmethod
    def _unaltered(x: str) -> str:
        """`x` is a term whose string the store gives as written: an IRI or a string literal."""
        return (f"(isIRI({x}) || (isLiteral({x}) && (LANG({x}) != \"\" || "
                f"sameTerm(DATATYPE({x}), <{XSD.string}>))))")

    # ------------------------------------------------------------------ a property shape on its focus node
    def property_checks(self, shape, x: str) -> tuple[list[str], bool]:
        g = self.shapes
        path = self.path(g.value(shape, SH.path))
        out, exact = [], True
        for n in g.objects(shape, SH.minCount):
            out.append(self._at_least(x, path, int(str(n))))
        for n in g.objects(shape, SH.maxCount):
            out.append(f"!{self._at_least(x, path, int(str(n)) + 1)}")
            if not path.startswith("<"):
                # values reached over several subjects: two numbers the store holds as one term ("1.0" and
                # "1" on two nodes) would count once; such a value makes the node a candidate
                out.append(self._no_altered_value(x, path))
        for wanted in g.objects(shape, SH.hasValue):
            if not isinstance(wanted, rdflib.URIRef):
                raise Unsupported(f"sh:hasValue {wanted}")
            out.append(f"EXISTS {{ {x} {path} {_term(wanted)} }}")
        for p, op in ((SH.lessThan, "<"), (SH.lessThanOrEquals, "<=")):
            for other in g.objects(shape, p):
                exact = False
                v, w = self.fresh(), self.fresh()
                out.append(f"NOT EXISTS {{ {x} {path} {v} . {x} {_term(other)} {w} "
                           f"FILTER (!COALESCE({v} {op} {w}, false)) }}")
        for other in g.objects(shape, SH.equals):
            v = self.fresh()
            out.append(f"NOT EXISTS {{ {x} {path} {v} FILTER NOT EXISTS {{ {x} {_term(other)} {v} }} }}")
            out.append(f"NOT EXISTS {{ {x} {_term(other)} {v} FILTER NOT EXISTS {{ {x} {path} {v} }} }}")
            # "1.0" and "1" are one term to the store and two to the engine: equal only as written
            out.append(self._no_altered_value(x, path))
            out.append(self._no_altered_value(x, _term(other)))
        for constraint in g.objects(shape, SH.sparql):
            out.append(self.sparql_check(constraint, x))
        for other in g.objects(shape, SH.disjoint):
            v = self.fresh()
            out.append(f"NOT EXISTS {{ {x} {path} {v} . {x} {_term(other)} {v} }}")
        v = self.fresh()
        checks, value_exact = self.value_checks(shape, v)
        for prop in g.objects(shape, SH.property):
            expr, inner_exact = self.node_expr(prop, v)
            checks.append(expr)
            value_exact = value_exact and inner_exact
        if checks:
            out.append(f"NOT EXISTS {{ {x} {path} {v} FILTER (!({' && '.join(checks)})) }}")
        return out, exact and value_exact

    def _at_least(self, x: str, path: str, n: int) -> str:
        if n <= 0:
            return "true"
        vs = [self.fresh() for _ in range(n)]
        distinct = [f"!sameTerm({a}, {b})" for i, a in enumerate(vs) for b in vs[i + 1:]]
        patterns = " . ".join(f"{x} {path} {v}" for v in vs)
        return f"EXISTS {{ {patterns} {('FILTER (' + ' && '.join(distinct) + ')') if distinct else ''} }}"

    # ------------------------------------------------------------------ any shape on a node
    def node_expr(self, shape, x: str) -> tuple[str, bool]:
        """(expression true only when `x` conforms to `shape`, whether it is true exactly then)."""
        g = self.shapes
        if g.value(shape, SH.deactivated) == rdflib.Literal(True):
            return "true", True
        for p in set(g.predicates(shape, None)):
            if str(p).startswith(str(SH)) and p not in _NOT_CONSTRAINTS and p not in _COMPILED:
                raise Unsupported(f"{p} on {shape}")
        if (shape, SH.path, None) in g:
            checks, exact = self.property_checks(shape, x)
        else:
            checks, exact = self.value_checks(shape, x)
            for prop in g.objects(shape, SH.property):
                expr, inner_exact = self.node_expr(prop, x)
                checks.append(expr)
                exact = exact and inner_exact
        if g.value(shape, SH.closed) == rdflib.Literal(True):
            allowed = {g.value(p, SH.path) for p in g.objects(shape, SH.property)}
            for head in g.objects(shape, SH.ignoredProperties):
                allowed.update(self._list(head))
            if not all(isinstance(a, rdflib.URIRef) for a in allowed):
                raise Unsupported("sh:closed with a property shape whose path is not a property")
            pv, ov = self.fresh(), self.fresh()
            listed = ", ".join(_term(a) for a in sorted(allowed, key=str))
            checks.append(f"NOT EXISTS {{ {x} {pv} {ov} FILTER ({pv} NOT IN ({listed or '<urn:none>'})) }}")
        return ("(" + " && ".join(checks) + ")" if checks else "true"), exact

    # ------------------------------------------------------------------ targets
    def focus_select(self, shape, within: str = "") -> tuple[str, str]:
        """(prefix declarations, a sub-select of the focus nodes ?this of `shape`'s targets, each once);
        `within` goes at the head of its WHERE clause (a VALUES block restricting ?this)."""
        targets = self.target_patterns(shape)
        prefixes = "\n".join(dict.fromkeys([p for p, _ in targets if p]
                                            + [f"PREFIX {n}: {iri}" for n, iri in self.prefixes.items()]))
        union = " UNION ".join(f"{{ {pattern} }}" for _, pattern in targets) or "FILTER (false)"
        return prefixes, f"{{ SELECT DISTINCT ?this WHERE {{ {within}{union} }} }}"

    def target_patterns(self, shape) -> list[tuple[str, str]]:
        """(prefix block, group pattern binding ?this) for each target of `shape`."""
        g, out = self.shapes, []
        for c in g.objects(shape, SH.targetClass):
            below = self.subclasses(c) if self.store is not None and isinstance(c, rdflib.URIRef) else None
            if below is None:
                out.append(("", f"?this {TYPE_PATH} {_term(c)} ."))
            else:
                classes = " ".join(below)
                out.append(("", f"VALUES ?_target_class {{ {classes} }} ?this <{RDF.type}> ?_target_class ."))
        nodes = sorted(g.objects(shape, SH.targetNode), key=str)
        if nodes:
            out.append(("", "VALUES ?this { " + " ".join(_term(n) for n in nodes) + " }"))
        for p in g.objects(shape, SH.targetSubjectsOf):
            out.append(("", f"?this {_term(p)} ?_target_o ."))
        for p in g.objects(shape, SH.targetObjectsOf):
            out.append(("", f"?_target_s {_term(p)} ?this ."))
        for target in g.objects(shape, SH.target):
            select = g.value(target, SH.select)
            if select is None or (target, RDF.type, SH.SPARQLTarget) not in g:
                raise Unsupported(f"the target {target}")
            from .validate import _prefix_block

            out.append((_prefix_block(g, target), f"{{ {select} }}"))
        return out


_COMPILED = {SH["class"], SH.datatype, SH.nodeKind, SH["in"], SH.pattern, SH.minLength, SH.maxLength,
             SH.minInclusive, SH.minExclusive, SH.maxInclusive, SH.maxExclusive, SH.node, SH["and"], SH["or"],
             SH["not"], SH.xone, SH.property, SH.minCount, SH.maxCount, SH.hasValue, SH.lessThan,
             SH.lessThanOrEquals, SH.equals, SH.disjoint, SH.closed, SH.sparql}
_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)


# Up to this many focus nodes of an incremental run are named in the queries (a VALUES block that the store joins
# first); more are filtered from the answers.
FOCUS_IN_QUERY_LIMIT = 5_000


def focus_block(focus: set | None) -> str:
    """A VALUES block restricting ?this to a small `focus` (IRIs), or nothing."""
    if focus is None or len(focus) > FOCUS_IN_QUERY_LIMIT:
        return ""
    return "VALUES ?this { " + " ".join(f"<{n}>" for n in sorted(focus)) + " } "


def candidate_queries(shapes: rdflib.Graph, shape, store=None, focus: set | str | None = None) -> list[str]:
    """The queries whose ?this are the focus nodes of `shape` that may fail it (raises Unsupported); `focus`
    restricts the focus nodes (a string is put where the restriction goes)."""
    if (shape, RDF.type, RDFS.Class) in shapes or (shape, RDF.type, OWL.Class) in shapes:
        raise Unsupported("an implicit class target")
    if (shape, SH.sparql, None) in shapes:
        # evaluated set-at-a-time by validate.sparql_constraints_in_store where it can be; inside an EXISTS
        # per focus node a constraint's OPTIONAL would be joined with the whole graph each time
        raise Unsupported("a SPARQL constraint of the targeted shape itself")
    compiler = ShapeCompiler(shapes, store)
    expr, _exact = compiler.node_expr(shape, "?this")
    if expr == "true":
        return []  # nothing left to check (e.g. its SPARQL constraint went to a stand-in): no node can fail
    # each focus node once, however many targets select it and by however many values
    prefixes, nodes = compiler.focus_select(shape, focus if isinstance(focus, str) else focus_block(focus))
    return [f"{prefixes}\nSELECT ?this WHERE {{ {nodes} FILTER (!({expr})) }}"]


def usable(store, data_triples: int) -> bool:
    """Whether the store holds each of the `data_triples` triples it was loaded from as a triple of its own."""
    return int(next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))["n"].value) == data_triples


_FOCUS_SLOT = "\x00focus\x00"
_CACHE: dict = {}


def _compiled_shapes(shapes: rdflib.Graph, store) -> dict:
    """The candidate queries of every compilable targeted shape, with a slot for the focus block.

    Compiling all shapes takes about 0.3 s; tests and `ballkg add` validate many small graphs with the same
    shapes, so the queries are kept for the last few (shapes, class hierarchy) pairs, the only inputs they
    depend on."""
    hierarchy = frozenset((str(r["a"]), str(r["b"])) for r in store.query(
        f"SELECT ?a ?b WHERE {{ ?a <{RDFS.subClassOf}> ?b }}"))
    key = (frozenset(shapes), hierarchy)
    if key not in _CACHE:
        compiled = {}
        for shape in sorted({s for p in _TARGETS for s in shapes.subjects(p, None)}, key=str):
            if shapes.value(shape, SH.deactivated) == rdflib.Literal(True):
                continue
            try:
                compiled[shape] = candidate_queries(shapes, shape, store, _FOCUS_SLOT)
            except Unsupported:
                continue
        if len(_CACHE) >= 4:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = compiled
    return _CACHE[key]


def core_shapes_in_store(shapes: rdflib.Graph, store, focus: set | None = None,
                         in_place: bool = False) -> tuple[rdflib.Graph, dict]:
    """The shapes with the targets of every compilable shape replaced by its candidate focus nodes.

    Returns the new shapes graph and, per shape, the number of its candidates (shapes left to the engine
    with all their focus nodes are not listed). A shape whose candidates include a blank node keeps its
    targets: a blank node of the data cannot be named in the shapes graph. `focus` restricts the
    candidates (incremental runs).
    """
    import pyoxigraph as ox

    from .validate import copy_graph

    within = focus_block(focus)
    compiled = {shape: [query.replace(_FOCUS_SLOT, within) for query in queries]
                for shape, queries in _compiled_shapes(shapes, store).items()}
    out = shapes if in_place else copy_graph(shapes)
    counts: dict[str, int] = {}
    from .store import select_in_parallel

    answers = iter(select_in_parallel(store, [q for queries in compiled.values() for q in queries], "this"))
    for shape, queries in compiled.items():
        found: set = set()
        for _query in queries:
            found.update(next(answers))
        if any(not isinstance(n, ox.NamedNode) for n in found):
            continue
        names = {n.value for n in found}
        if focus is not None:
            names &= focus
        for p in _TARGETS:
            out.remove((shape, p, None))
        for name in names:
            out.add((shape, SH.targetNode, rdflib.URIRef(name)))
        counts[str(shape)] = len(names)
    return out, counts


def has_targets(shapes: rdflib.Graph) -> bool:
    return any((None, p, None) in shapes for p in _TARGETS)


# Above this many candidate focus nodes the engine reads the whole graph: walking their neighbourhoods
# one by one in Python would cost more than the engine's own parse.
NEIGHBOURHOOD_LIMIT = 20_000


def neighbourhood_lines(shapes: rdflib.Graph, store, lines: dict) -> bytes | None:
    """The data the engine needs to check the candidates of `shapes`, as N-Triples text, or None when it
    must read the whole graph.

    Once every shape left for the engine targets a list of named candidates and reads a bounded
    neighbourhood of them (validate.shape_reads: its paths, the types of its values, ...), the engine
    gives the same results on those triples plus the class hierarchy as on the whole graph. The lines
    are taken from the source text, never written from the store, so every literal keeps its lexical
    form; a triple the text does not hold as the store gives it means the engine reads everything.
    """
    import pyoxigraph as ox

    from .validate import shape_reads

    if any((None, p, None) in shapes for p in _TARGETS if p != SH.targetNode):
        return None
    sequences, unbounded = shape_reads(shapes)
    nodes = set(shapes.objects(None, SH.targetNode))
    if unbounded or len(nodes) > NEIGHBOURHOOD_LIMIT:
        return None
    out: dict[bytes, None] = {}
    # a literal the store holds in canonical form ("90" for "90.0") is found by its subject and predicate
    # in one pass over the text afterwards; every value of that pair is read by the same step anyway
    rewritten: set[bytes] = set()

    def keep(quad) -> None:
        line = f"{quad.subject} {quad.predicate} {quad.object} .".encode()
        if line in lines:
            out[line] = None
        elif isinstance(quad.object, ox.Literal):
            rewritten.add(f"{quad.subject} {quad.predicate} ".encode())
        else:
            raise LookupError(line)

    try:
        for quad in store.quads_for_pattern(None, ox.NamedNode(str(RDFS.subClassOf)), None):
            keep(quad)
        # walk every read sequence from every candidate, one step at a time; each (node, prefix) once
        todo = [(ox.NamedNode(str(n)), ()) for n in nodes if isinstance(n, rdflib.URIRef)]
        if len(todo) != len(nodes):
            return None
        steps = {seq[:i + 1] for seq in sequences for i in range(len(seq))}
        seen = set()
        while todo:
            node, prefix = todo.pop()
            if (node, prefix) in seen:
                continue
            seen.add((node, prefix))
            for seq in steps:
                if len(seq) != len(prefix) + 1 or seq[:-1] != prefix:
                    continue
                predicate, forward = seq[-1]
                p = None if predicate is None else ox.NamedNode(str(predicate))
                for quad in (store.quads_for_pattern(node, p, None) if forward
                             else store.quads_for_pattern(None, p, node)):
                    keep(quad)
                    nxt = quad.object if forward else quad.subject
                    if not isinstance(nxt, ox.Literal):
                        todo.append((nxt, seq))
    except LookupError:
        return None  # e.g. a blank node the store names differently: the engine reads the whole text
    if rewritten:
        found = 0
        for line in lines:
            cut = line.find(b" ", line.find(b" ") + 1) + 1
            if line[:cut] in rewritten:
                out[line] = None
                found += 1
        if not found:
            return None
    return b"\n".join(out) + b"\n"
