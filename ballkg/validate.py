"""SHACL validation with a report a curator can read.

The data graph handed to the SHACL engine is always the ontology plus the data, so that `sh:class`
constraints see the class hierarchy. Only results of severity sh:Violation make data non-conforming;
warnings are reported but do not block a build or an add.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterable

import rdflib
from rdflib.namespace import RDF, RDFS, SH

from . import sources
from .sources import load_ontology

# Literals longer than this are refused: no value in this domain needs it, and a runaway literal is
# almost always a broken export that would bloat every release artifact.
MAX_LITERAL_CHARS = 100_000
SIZE_LIMIT_SHAPE = "https://w3id.org/ballkg/shapes#LiteralSizeLimit"
UNDECLARED_TERM_SHAPE = "https://w3id.org/ballkg/shapes#DeclaredTermsOnly"
BK_NS = "https://w3id.org/ballkg/ontology#"


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
    g = rdflib.Graph()
    for path in sorted((shapes_dir or sources.shapes_dir()).glob("*.ttl")):
        g.parse(path, format="turtle")
    return g


def _severity_name(term) -> str:
    return str(term).rsplit("#", 1)[-1] if term is not None else "Violation"


def _label(graph: rdflib.Graph, node) -> str | None:
    label = graph.value(node, RDFS.label)
    return str(label) if label is not None else None


def _results_from_report(report: rdflib.Graph, data: rdflib.Graph) -> list[ValidationResult]:
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
            focus_label=_label(data, focus),
            path=str(path) if path is not None else None,
            value=str(value) if value is not None else None,
            message="; ".join(messages) or "constraint not met",
            source_shape=str(report.value(res, SH.sourceShape)) if report.value(res, SH.sourceShape) else None,
            constraint=str(report.value(res, SH.sourceConstraintComponent)),
        ))
    return results


def oversized_literals(data: rdflib.Graph, limit: int = MAX_LITERAL_CHARS) -> list[ValidationResult]:
    out = []
    for s, p, o in data:
        if isinstance(o, rdflib.Literal) and len(o) > limit:
            out.append(ValidationResult(
                severity="Violation", focus_node=str(s), focus_label=_label(data, s), path=str(p),
                value=str(o)[:60] + "...",
                message=f"literal of {len(o)} characters exceeds the limit of {limit}; shorten it or link to a document instead",
                source_shape=SIZE_LIMIT_SHAPE, constraint=None))
    return out


def undeclared_terms(data: rdflib.Graph, ontology: rdflib.Graph) -> list[ValidationResult]:
    """Properties and classes of the ballkg namespace that the ontology does not declare (usually typos)."""
    from rdflib.namespace import OWL

    declared = {s for s in ontology.subjects(RDF.type, None) if str(s).startswith(BK_NS)}
    out = []
    for s, p, o in data:
        if p == RDF.type and str(o).startswith(BK_NS) and o not in declared:
            bad, path, what = o, str(RDF.type), "class"
        elif str(p).startswith(BK_NS) and p not in declared:
            bad, path, what = p, str(p), "property"
        else:
            continue
        out.append(ValidationResult(
            severity="Violation", focus_node=str(s), focus_label=_label(data, s), path=path, value=str(bad),
            message=f"{bad} is not a {what} of the ballkg ontology; check the spelling or declare it in ontology/",
            source_shape=UNDECLARED_TERM_SHAPE, constraint=None))
    return out


def _sort_key(r: ValidationResult):
    return ({"Violation": 0, "Warning": 1}.get(r.severity, 2), r.focus_node, r.path or "", r.message)


def validate(data: rdflib.Graph, *, shapes: rdflib.Graph | None = None,
             ontology: rdflib.Graph | None = None, engine: str = "turbo",
             focus_nodes: Iterable | None = None) -> ValidationReport:
    """Validate instance data (ontology is merged in for the class hierarchy) against the shapes.

    engine "turbo" is pyshacl-turbo (same API and results as pySHACL, much faster on SPARQL
    constraints); "pyshacl" is the reference implementation. focus_nodes restricts validation to
    those nodes (incremental validation of an add).
    """
    shapes = shapes if shapes is not None else load_shapes()
    ontology = ontology if ontology is not None else load_ontology()
    merged = rdflib.Graph()
    for t in ontology:
        merged.add(t)
    for t in data:
        merged.add(t)
    from .evidence import derive_evidence

    merged += derive_evidence(merged)  # shapes require the derived evidence of every finding
    if engine == "turbo":
        import pyshacl_turbo as shacl_engine
    elif engine == "pyshacl":
        import pyshacl as shacl_engine
    else:
        raise ValueError(f"unknown SHACL engine {engine!r}; use 'turbo' or 'pyshacl'")
    kwargs = {}
    if focus_nodes is not None:
        kwargs["focus_nodes"] = list(focus_nodes)
        if not kwargs["focus_nodes"]:
            return ValidationReport(sorted(oversized_literals(data) + undeclared_terms(data, ontology), key=_sort_key))
    _conforms, report_graph, _text = shacl_engine.validate(
        merged, shacl_graph=shapes, advanced=True, allow_warnings=True, allow_infos=True, **kwargs)
    results = (_results_from_report(report_graph, merged) + oversized_literals(data)
               + undeclared_terms(data, ontology))
    return ValidationReport(sorted(set(results), key=_sort_key))
