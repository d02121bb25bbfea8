"""OWL reasoning: HermiT (through owlready2) for consistency and classification, and a SPARQL
realisation of the defined classes that scales to large instance graphs.

HermiT is the reference: on the whole graph it checks consistency, finds unsatisfiable classes and
realises every individual. Its cost grows quickly with the number of individuals, so above
`HERMIT_INDIVIDUAL_LIMIT` the build classifies the TBox with HermiT and realises individuals with
`realise_with_sparql`, which translates each `owl:equivalentClass` definition into a SPARQL rule and
applies the rules to a fixpoint. Tests assert both give the same memberships on the curated graph.
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import rdflib
from rdflib.namespace import OWL, RDF, RDFS

HERMIT_INDIVIDUAL_LIMIT = 2_000
JAVA_HINT = ("OWL reasoning needs Java (HermiT runs on the JVM) and none was found on PATH. "
             "Install a JRE, e.g. 'apt-get install default-jre-headless', or skip reasoning with --reasoner none.")


class ReasonerUnavailable(RuntimeError):
    """Java is missing, so HermiT cannot run."""


class InconsistentOntology(RuntimeError):
    """The ontology plus data has no model, or some class can have no members."""


@dataclass
class ReasoningResult:
    inferred: rdflib.Graph  # rdf:type and rdfs:subClassOf triples not asserted in the input
    unsatisfiable: list[str] = field(default_factory=list)
    seconds: float = 0.0
    method: str = "hermit"
    notes: list[str] = field(default_factory=list)  # what the user must know (e.g. definitions not realised)
    inferred_triples: Any = None  # the same inferences as parse.Triples, on the store-native path


def java_available() -> bool:
    if shutil.which("java") is None:
        return False
    try:
        return subprocess.run(["java", "-version"], capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


SCHEMA_TYPES = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, OWL.Ontology,
                OWL.Restriction, OWL.AllDisjointClasses, RDFS.Datatype, OWL.FunctionalProperty,
                OWL.InverseFunctionalProperty, OWL.TransitiveProperty, OWL.SymmetricProperty}


def _individuals(graph: rdflib.Graph) -> set:
    return {s for s, o in graph.subject_objects(RDF.type)
            if o not in SCHEMA_TYPES and isinstance(s, rdflib.URIRef)}


def _named_classes(graph: rdflib.Graph) -> set:
    return {c for c in graph.subjects(RDF.type, OWL.Class) if isinstance(c, rdflib.URIRef)}


def run_hermit(graph: rdflib.Graph) -> ReasoningResult:
    """Classify and realise `graph` with HermiT; raise InconsistentOntology when it has no model."""
    if not java_available():
        raise ReasonerUnavailable(JAVA_HINT)
    from owlready2 import OwlReadyInconsistentOntologyError, World, sync_reasoner

    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "input.nt"
        graph.serialize(path, format="nt", encoding="utf-8")
        world = World()
        onto = world.get_ontology(path.as_uri()).load()
        try:
            with onto:
                sync_reasoner(world, infer_property_values=False, debug=0)
        except OwlReadyInconsistentOntologyError as exc:
            raise InconsistentOntology(
                "HermiT found the ontology and data inconsistent (no model exists). Typical causes: an "
                "individual typed with two disjoint classes, two values of a functional property, or a value "
                "outside a property's range. Validate with 'ballkg validate' to locate the node.") from exc
        unsat = sorted(c.iri for c in world.inconsistent_classes() if c.iri != str(OWL.Nothing))  # empty by definition
        named = _named_classes(graph)
        inferred = rdflib.Graph()
        for cls in world.classes():
            c_iri = rdflib.URIRef(cls.iri)
            if c_iri not in named:
                continue
            for sup in cls.ancestors(include_self=False):
                s_iri = rdflib.URIRef(sup.iri)
                if s_iri in named and (c_iri, RDFS.subClassOf, s_iri) not in graph:
                    inferred.add((c_iri, RDFS.subClassOf, s_iri))
        for i_iri in _individuals(graph):
            ind = world[str(i_iri)]
            if ind is None or not hasattr(ind, "INDIRECT_is_a"):
                continue
            for cls in ind.INDIRECT_is_a:
                iri = getattr(cls, "iri", None)
                if iri is None:
                    continue  # anonymous class expressions
                c_iri = rdflib.URIRef(iri)
                if c_iri in named and (i_iri, RDF.type, c_iri) not in graph:
                    inferred.add((i_iri, RDF.type, c_iri))
    return ReasoningResult(inferred, unsat, time.perf_counter() - start, "hermit")


# ------------------------------------------------------------------------------ SPARQL realisation
def _restriction_pattern(graph: rdflib.Graph, node, var: str, counter: list[int], subclasses=None) -> str | None:
    """SPARQL pattern saying `?var` is an instance of the class expression `node`, or None if unsupported.

    With `subclasses` (class IRI -> every class below it, itself included) a named class becomes a
    VALUES list instead of a property path that the store would walk again for every candidate."""
    if isinstance(node, rdflib.URIRef):
        if subclasses is None:
            return f"?{var} a/<{RDFS.subClassOf}>* <{node}> ."
        counter[0] += 1
        names = " ".join(f"<{c}>" for c in sorted(subclasses(node)))
        return f"VALUES ?t{counter[0]} {{ {names} }} ?{var} a ?t{counter[0]} ."
    for operator in (OWL.intersectionOf, OWL.unionOf):
        members = graph.value(node, operator)
        if members is None:
            continue
        parts = [_restriction_pattern(graph, m, var, counter, subclasses)
                 for m in rdflib.collection.Collection(graph, members)]
        if any(p is None for p in parts):
            return None
        # an intersection joins its patterns; a union offers each as an alternative
        return " ".join(str(p) for p in parts) if operator == OWL.intersectionOf \
            else " UNION ".join(f"{{ {p} }}" for p in parts)
    prop = graph.value(node, OWL.onProperty)
    if prop is None:
        return None
    has_value = graph.value(node, OWL.hasValue)
    if has_value is not None:
        return f"?{var} <{prop}> {has_value.n3()} ."
    filler = graph.value(node, OWL.someValuesFrom)
    if filler is not None:
        counter[0] += 1
        inner = f"v{counter[0]}"
        inner_pattern = _restriction_pattern(graph, filler, inner, counter, subclasses)
        return None if inner_pattern is None else f"?{var} <{prop}> ?{inner} . {inner_pattern}"
    return None


def definition_rules(ontology: rdflib.Graph, skipped: list[str] | None = None,
                     subclasses=None) -> dict[rdflib.URIRef, str]:
    """One SPARQL SELECT per defined class, returning the individuals that satisfy its definition.

    A definition the translation does not cover (a complement, a cardinality, ...) gets no
    rule; its class is appended to `skipped` so that the caller can say so."""
    rules = {}
    for cls, definition in sorted(ontology.subject_objects(OWL.equivalentClass)):
        if not isinstance(cls, rdflib.URIRef):
            continue
        pattern = _restriction_pattern(ontology, definition, "x", [0], subclasses)
        if pattern is not None:
            rules[cls] = f"SELECT DISTINCT ?x WHERE {{ {pattern} FILTER(isIRI(?x)) }}"
        elif skipped is not None and isinstance(definition, rdflib.BNode):
            skipped.append(str(cls))
    return rules


def untranslated_note(skipped: list[str]) -> str:
    return (f"the SPARQL realisation cannot translate the definition of {len(skipped)} class(es): "
            f"{', '.join(sorted(skipped))}; their members are not inferred on this path (HermiT infers "
            "them: run with --reasoner hermit, or express the definition with intersections, unions, "
            "someValuesFrom and hasValue)")


def realise_with_sparql(graph: rdflib.Graph, tbox_inferred: rdflib.Graph | None = None) -> ReasoningResult:
    """Realise individuals for the defined classes by SPARQL rules run to a fixpoint on pyoxigraph.

    Adds the superclass closure of every (asserted or derived) type, using the TBox classification
    from HermiT when given, so that the result matches HermiT's realisation.
    """
    import pyoxigraph as ox

    from .store import from_ox_term

    start = time.perf_counter()
    store = ox.Store()
    store.bulk_extend(_to_quads(graph))
    if tbox_inferred is not None:
        store.bulk_extend(_to_quads(tbox_inferred))
    named = _named_classes(graph)
    type_node = ox.NamedNode(str(RDF.type))
    skipped: list[str] = []
    apply_definition_rules(store, definition_rules(graph, skipped))
    inferred = rdflib.Graph()
    for quad in store.quads_for_pattern(None, type_node, None, ox.DefaultGraph()):
        s, o = from_ox_term(quad.subject), from_ox_term(quad.object)
        if isinstance(quad.subject, ox.NamedNode) and o in named and (s, RDF.type, o) not in graph \
                and (s, RDF.type, OWL.Class) not in graph:
            inferred.add((s, RDF.type, o))
    if tbox_inferred is not None:
        inferred += tbox_inferred
    notes = [untranslated_note(skipped)] if skipped else []
    return ReasoningResult(inferred, [], time.perf_counter() - start, "hermit-tbox+sparql", notes)


def apply_definition_rules(store, rules: dict, graph=None) -> None:
    """Add to a pyoxigraph store the types that the definition rules derive, to a fixpoint, and then
    every superclass of every type (the store must hold the class hierarchy).

    With `graph` (a named graph) the derived types go there and the rules read the union of all graphs,
    so the asserted default graph stays as it was."""
    import pyoxigraph as ox

    target = graph if graph is not None else ox.DefaultGraph()
    union = graph is not None
    type_node = ox.NamedNode(str(RDF.type))
    from .store import select_in_parallel

    changed = True
    while changed:  # the rules are monotone: each round runs all of them (in parallel) on the last round's types
        changed = False
        answers = select_in_parallel(store, list(rules.values()), "x", use_default_graph_as_union=union)
        for cls, found in zip(rules, answers):
            c = ox.NamedNode(str(cls))
            new = [x for x in found if not any(True for _ in store.quads_for_pattern(x, type_node, c))]
            if new:
                store.extend([ox.Quad(x, type_node, c, target) for x in new])
                changed = True
    # every superclass of every type: the class hierarchy is small, so its closure is computed here
    # once and joined with the typed individuals, instead of a property path walked per individual
    supers = _superclass_closure(store, union)
    typed = store.query("SELECT ?x ?t WHERE { ?x a ?t FILTER isIRI(?x) }", use_default_graph_as_union=union)
    store.extend([ox.Quad(row["x"], type_node, c, target) for row in typed for c in supers.get(row["t"], ())])


def _superclass_closure(store, union: bool) -> dict:
    """pyoxigraph class term -> its named superclasses other than itself (transitive rdfs:subClassOf)."""
    import pyoxigraph as ox

    direct: dict = {}
    for row in store.query(f"SELECT ?a ?b WHERE {{ ?a <{RDFS.subClassOf}> ?b }}", use_default_graph_as_union=union):
        direct.setdefault(row["a"], set()).add(row["b"])
    closure = {}
    for cls in direct:
        seen, todo = set(), list(direct[cls])
        while todo:
            sup = todo.pop()
            if sup not in seen:
                seen.add(sup)
                todo += direct.get(sup, ())
        closure[cls] = {s for s in seen if s != cls and isinstance(s, ox.NamedNode)}
    return closure


def _to_quads(graph: rdflib.Graph):
    import pyoxigraph as ox

    from .store import to_ox_term

    for s, p, o in graph:
        yield ox.Quad(to_ox_term(s), to_ox_term(p), to_ox_term(o))


def tbox_of(graph: rdflib.Graph) -> rdflib.Graph:
    """The schema part of a graph: everything whose subject is not a plain individual."""
    individuals = _individuals(graph)
    schema_classes = _named_classes(graph)
    out = rdflib.Graph()
    for t in graph:
        if t[0] in individuals and t[0] not in schema_classes:
            # keep individuals referenced by hasValue restrictions, typed, so the TBox stays well formed
            continue
        out.add(t)
    for value in graph.objects(None, OWL.hasValue):
        # the whole description of an individual named in a definition (e.g. that CD19 internalizes) can
        # imply subclass relations between defined classes, so it belongs with the TBox
        for t in graph.triples((value, None, None)):
            out.add(t)
    return out


def reason(graph: rdflib.Graph, *, method: str = "auto") -> ReasoningResult:
    """Run the reasoner chosen by `method` ("hermit", "sparql" or "auto" by graph size)."""
    if method == "auto":
        n_individuals = len(_individuals(graph))
        method = "hermit" if n_individuals <= HERMIT_INDIVIDUAL_LIMIT else "sparql"
    if method == "hermit":
        result = run_hermit(graph)
    elif method == "sparql":
        tbox = run_hermit(tbox_of(graph))
        tbox_only = rdflib.Graph()
        for t in tbox.inferred.triples((None, RDFS.subClassOf, None)):
            tbox_only.add(t)
        result = realise_with_sparql(graph, tbox_only)
        result.unsatisfiable = tbox.unsatisfiable
        result.seconds += tbox.seconds
    else:
        raise ValueError(f"unknown reasoning method {method!r}; use auto, hermit or sparql")
    if result.unsatisfiable:
        raise InconsistentOntology("unsatisfiable classes (no individual can be a member): "
                                   + ", ".join(result.unsatisfiable))
    return result


# ------------------------------------------------------------------------------ the build's store-native path
INFERRED_GRAPH = "urn:ballkg:inferred"


def _schema_filter() -> str:
    return ", ".join(f"<{t}>" for t in sorted(SCHEMA_TYPES))


def count_individuals(store) -> int:
    """The number of named individuals, as _individuals counts them, by a query on the store."""
    query = (f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a ?t FILTER (isIRI(?s) && ?t NOT IN "
             f"({_schema_filter()})) }}")
    return int(next(iter(store.query(query)))["n"].value)


def tbox_of_store(store) -> rdflib.Graph:
    """tbox_of, evaluated by the store: the triples whose subject is not a plain individual, plus the
    description of every individual named in a definition (owl:hasValue). The individuals are one sub-select,
    joined once (a FILTER NOT EXISTS per triple took twice as long at 10^6 triples)."""
    from .store import from_ox_term

    query = f"""
        CONSTRUCT {{ ?s ?p ?o }} WHERE {{
            {{ ?s ?p ?o .
               OPTIONAL {{ SELECT DISTINCT ?s (true AS ?individual) WHERE {{
                   ?s a ?t . FILTER (isIRI(?s) && ?t NOT IN ({_schema_filter()})) }} }}
               FILTER (!BOUND(?individual)) }}
            UNION {{ ?s a <{OWL.Class}> . ?s ?p ?o . }}
            UNION {{ ?r <{OWL.hasValue}> ?s . ?s ?p ?o . }}
        }}"""
    out = rdflib.Graph()
    for triple in store.query(query):
        out.add((from_ox_term(triple.subject), from_ox_term(triple.predicate), from_ox_term(triple.object)))
    return out


def realise_in_store(store, tbox: rdflib.Graph, tbox_subclasses: rdflib.Graph) -> ReasoningResult:
    """realise_with_sparql inside the build's store: the derived types go to a named graph, so the
    asserted default graph is untouched and the inferences are exactly what that graph holds extra."""
    import pyoxigraph as ox

    from .parse import Triples
    from .store import to_ox_term

    start = time.perf_counter()
    graph = ox.NamedNode(INFERRED_GRAPH)
    store.extend([ox.Quad(to_ox_term(s), to_ox_term(p), to_ox_term(o), graph) for s, p, o in tbox_subclasses])
    supers = _superclass_closure(store, union=True)
    below: dict = {}
    for cls, ups in supers.items():
        for sup in ups:
            below.setdefault(sup.value, set()).add(cls.value)

    def subclasses(cls) -> set:
        return {str(cls)} | below.get(str(cls), set())

    skipped: list[str] = []
    apply_definition_rules(store, definition_rules(tbox, skipped, subclasses), graph)
    query = f"""
        SELECT DISTINCT ?s ?c WHERE {{
            GRAPH <{INFERRED_GRAPH}> {{ ?s a ?c }}
            FILTER (isIRI(?s) && isIRI(?c))
            ?c a <{OWL.Class}> .
            FILTER NOT EXISTS {{ ?s a ?c }}
            FILTER NOT EXISTS {{ ?s a <{OWL.Class}> }}
        }}"""
    inferred = Triples()
    type_iri = f"<{RDF.type}>"
    inferred.lines.update(dict.fromkeys(f"{row['s']} {type_iri} {row['c']} .".encode() for row in store.query(query)))
    inferred.add_rdflib(tbox_subclasses)
    notes = [untranslated_note(skipped)] if skipped else []
    result = ReasoningResult(rdflib.Graph(), [], time.perf_counter() - start, "hermit-tbox+sparql", notes)
    result.inferred_triples = inferred
    return result


def reason_store(asserted, store, *, method: str = "auto") -> ReasoningResult:
    """reason() for the build: `asserted` is parse.Triples and `store` an in-memory store of it.

    HermiT reads the graph from its N-Triples text; the scalable path takes the TBox from the store,
    classifies it with HermiT and realises the individuals with SPARQL rules in the store."""
    from .parse import Triples

    if method == "auto":
        method = "hermit" if count_individuals(store) <= HERMIT_INDIVIDUAL_LIMIT else "sparql"
    if method == "hermit":
        result = run_hermit(asserted.to_rdflib())
        result.inferred_triples = Triples()
        result.inferred_triples.add_rdflib(result.inferred)
    elif method == "sparql":
        tbox = tbox_of_store(store)
        classified = run_hermit(tbox)
        subclass_only = rdflib.Graph()
        for t in classified.inferred.triples((None, RDFS.subClassOf, None)):
            subclass_only.add(t)
        result = realise_in_store(store, tbox, subclass_only)
        result.unsatisfiable = classified.unsatisfiable
        result.seconds += classified.seconds
    else:
        raise ValueError(f"unknown reasoning method {method!r}; use auto, hermit or sparql")
    if result.unsatisfiable:
        raise InconsistentOntology("unsatisfiable classes (no individual can be a member): "
                                   + ", ".join(result.unsatisfiable))
    return result
