"""Rebuild only what changed: revalidate the nodes an edit of graph/ can affect, keep the other results.

A release records its validation results (validation.json) next to its asserted triples (ballkg.nt).
When the next build has the same ontology, shapes and mappings, the triples that changed are the
difference of the two sets of N-Triples lines; validate.affected_focus_nodes walks the shapes' reads
back from them to every node whose results they can change. Those nodes, and every focus node of the
SPARQL-based shapes (whose reads are not bounded), are validated again; the recorded results of all
other nodes still hold. Any other change (ontology, shapes, mappings, engine, an edited blank node)
makes the build validate everything.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import asdict
from pathlib import Path

import rdflib

from . import store as release_store
from .validate import (
    SIZE_LIMIT_SHAPE,
    UNDECLARED_TERM_SHAPE,
    ValidationReport,
    ValidationResult,
    _sort_key,
    affected_focus_nodes,
    shape_reads,
    store_walkers,
    validate_triples,
)

VALIDATION_FILE = "validation.json"
# above this share of the graph's nodes, validating everything is as fast
FULL_SHARE = 0.25
_BLANK = re.compile(rb"_:[A-Za-z0-9]+")
_WHOLE_GRAPH_INPUTS = ("ontology/", "shapes/", "mappings/")


def save(out: Path, report: ValidationReport) -> None:
    (out / VALIDATION_FILE).write_text(json.dumps([asdict(r) for r in report.results]), encoding="utf-8")


def _previous(release_dir: Path) -> tuple[set[bytes], list[ValidationResult]] | None:
    try:
        recorded = release_store.recorded_hashes(release_dir)
    except release_store.StaleReleaseError:
        return None
    results_file, nt = release_dir / VALIDATION_FILE, release_dir / "ballkg.nt"
    if recorded is None or not results_file.is_file() or not nt.is_file():
        return None
    current = release_store.source_hashes()
    if any(recorded.get(k) != current.get(k) for k in set(recorded) | set(current)
           if k.startswith(_WHOLE_GRAPH_INPUTS)):
        return None
    results = [ValidationResult(**r) for r in json.loads(results_file.read_text(encoding="utf-8"))]
    return set(nt.read_bytes().splitlines()), results


def _blank_free_difference(old: set[bytes], new: set[bytes]) -> tuple[set[bytes], set[bytes]] | None:
    """(added, removed) lines; None when a triple with a blank node changed (blank nodes get new
    names in every parse, so such a change cannot be told from a renaming)."""
    added, removed = new - old, old - new
    blank_added = Counter(_BLANK.sub(b"_:", line) for line in added if b"_:" in line)
    blank_removed = Counter(_BLANK.sub(b"_:", line) for line in removed if b"_:" in line)
    if blank_added != blank_removed:
        return None
    return ({line for line in added if b"_:" not in line}, {line for line in removed if b"_:" not in line})


def validate_changes(release_dir: Path, asserted, working, shapes: rdflib.Graph,
                     ontology: rdflib.Graph) -> tuple[ValidationReport, str] | None:
    """The report of a whole validation, computed from the previous release's and the changed nodes';
    with a line saying what was revalidated. None when everything must be validated."""
    previous = _previous(release_dir)
    if previous is None:
        return None
    old_lines, old_results = previous
    difference = _blank_free_difference(old_lines, set(asserted.lines))
    if difference is None:
        return None
    added, removed = difference
    changed = rdflib.Graph()
    for line in added | removed:
        changed.parse(data=line.decode("utf-8"), format="nt")
    gone = rdflib.Graph()
    for line in removed:
        gone.parse(data=line.decode("utf-8"), format="nt")
    store_subjects, store_objects = store_walkers(working)

    def subjects_of(p, o):  # read paths through the removed triples as well as through the current ones
        return set(store_subjects(p, o)) | set(gone.subjects(p, o))

    def objects_of(s, p):
        return set(store_objects(s, p)) | set(gone.objects(s, p))

    focus = {n for n in affected_focus_nodes(changed, subjects_of, objects_of, shapes) if isinstance(n, rdflib.URIRef)}
    nodes = int(next(iter(working.query("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }")))["n"].value)
    if len(focus) > FULL_SHARE * nodes:
        return None
    _sequences, unbounded = shape_reads(shapes)
    fresh = validate_triples(asserted, shapes=shapes, ontology=ontology, store=working, focus_nodes=focus)
    redone = {str(n) for n in focus}
    recomputed_shapes = {str(s) for s in unbounded} | {SIZE_LIMIT_SHAPE, UNDECLARED_TERM_SHAPE}
    kept = [r for r in old_results if r.focus_node not in redone and r.source_shape not in recomputed_shapes]
    report = ValidationReport(sorted(set(kept) | set(fresh.results), key=_sort_key))
    note = (f"incremental: {len(added) + len(removed):,} triple(s) changed since the last build; revalidated "
            f"{len(focus):,} affected node(s) of {nodes:,} and the SPARQL-based shapes, kept the other results")
    return report, note
