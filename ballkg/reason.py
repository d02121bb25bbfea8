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
        unsat = sorted(c.iri for c in world.inconsistent_classes())
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
def _restriction_pattern(graph: rdflib.Graph, node, var: str, counter: list[int]) -> str | None:
    """SPARQL pattern saying `?var` is an instance of the class expression `node`, or None if unsupported."""
    if isinstance(node, rdflib.URIRef):
        return f"?{var} a/<{RDFS.subClassOf}>* <{node}> ."
    members = graph.value(node, OWL.intersectionOf)
    if members is not None:
        parts = [_restriction_pattern(graph, m, var, counter) for m in rdflib.collection.Collection(graph, members)]
        return None if None in parts else " ".join(str(p) for p in parts)
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
        inner_pattern = _restriction_pattern(graph, filler, inner, counter)
        return None if inner_pattern is None else f"?{var} <{prop}> ?{inner} . {inner_pattern}"
    return None


def definition_rules(ontology: rdflib.Graph) -> dict[rdflib.URIRef, str]:
    """One SPARQL SELECT per defined class, returning the individuals that satisfy its definition."""
    rules = {}
    for cls, definition in ontology.subject_objects(OWL.equivalentClass):
        if not isinstance(cls, rdflib.URIRef):
            continue
        pattern = _restriction_pattern(ontology, definition, "x", [0])
        if pattern is not None:
            rules[cls] = f"SELECT DISTINCT ?x WHERE {{ {pattern} FILTER(isIRI(?x)) }}"
    return rules


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
    apply_definition_rules(store, definition_rules(graph))
    inferred = rdflib.Graph()
    for quad in store.quads_for_pattern(None, type_node, None, ox.DefaultGraph()):
        s, o = from_ox_term(quad.subject), from_ox_term(quad.object)
        if isinstance(quad.subject, ox.NamedNode) and o in named and (s, RDF.type, o) not in graph \
                and (s, RDF.type, OWL.Class) not in graph:
            inferred.add((s, RDF.type, o))
    if tbox_inferred is not None:
        inferred += tbox_inferred
    return ReasoningResult(inferred, [], time.perf_counter() - start, "hermit-tbox+sparql")


def apply_definition_rules(store, rules: dict) -> None:
    """Add to a pyoxigraph store the types that the definition rules derive, to a fixpoint, and then
    every superclass of every type (the store must hold the class hierarchy)."""
    import pyoxigraph as ox

    type_node = ox.NamedNode(str(RDF.type))
    changed = True
    while changed:
        changed = False
        for cls, query in rules.items():
            c = ox.NamedNode(str(cls))
            new = [sol["x"] for sol in store.query(query)
                   if not any(True for _ in store.quads_for_pattern(sol["x"], type_node, c, ox.DefaultGraph()))]
            if new:
                store.extend([ox.Quad(x, type_node, c) for x in new])
                changed = True
    closure = ("SELECT DISTINCT ?x ?c WHERE { ?x a ?t . ?t <%s>+ ?c . FILTER(isIRI(?x) && isIRI(?c)) }"
               % RDFS.subClassOf)
    store.extend([ox.Quad(s["x"], type_node, s["c"]) for s in store.query(closure)])


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
