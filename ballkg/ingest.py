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
            raise InputError(f"{path}: {where}: not valid {ox_fmt.replace('_', '-').title()}: {exc.msg if hasattr(exc, 'msg') else exc}. "
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
    """Focus nodes an addition can affect: its subjects and IRI objects, and the subjects pointing at them."""
    touched = {s for s in new.subjects() if not isinstance(s, rdflib.Literal)}
    touched |= {o for o in new.objects() if isinstance(o, (rdflib.URIRef, rdflib.BNode))}
    around = set(touched)
    for node in touched:
        around |= set(merged.subjects(None, node))
    return around


@dataclass
class AddOutcome:
    added: int
    target: Path
    report: ValidationReport


class DuplicateError(ValueError):
    pass


def find_duplicates(new: rdflib.Graph, existing: rdflib.Graph) -> list[str]:
    problems = []
    registry = sources.BK.registryId
    known = {str(o): s for s, o in existing.subject_objects(registry)}
    for s, o in new.subject_objects(registry):
        if str(o) in known and known[str(o)] != s:
            problems.append(f"registry id {o} is already the study <{known[str(o)]}>; <{s}> would duplicate it "
                            "(add outcomes to the existing study instead)")
    typed_before = set(existing.subjects(RDF.type, None))
    for s in sorted(set(new.subjects(RDF.type, None)) & typed_before):
        problems.append(f"<{s}> is already in the graph; an add must not redefine it (edit the graph file instead)")
    return problems


def add(paths: list[str | Path], *, engine: str = "turbo") -> AddOutcome:
    new = read_user_files(paths)
    existing = sources.load_instances()
    duplicates = find_duplicates(new, existing)
    if duplicates:
        raise DuplicateError("; ".join(duplicates))
    merged = existing + new
    # pySHACL's focus-node mode mis-evaluates nested sh:or/sh:not, so only turbo validates incrementally
    focus = neighbourhood(new, merged) if engine == "turbo" else None
    report = validate(merged, engine=engine, focus_nodes=focus)
    target = sources.graph_dir() / ADDITIONS_FILE
    if not report.conforms:
        return AddOutcome(0, target, report)
    additions = rdflib.Graph()
    if target.is_file():
        additions.parse(target, format="turtle")
    before = len(additions)
    additions += new
    additions.bind("bk", sources.BK)
    additions.bind("bkd", sources.BKD)
    atomic_write(target, additions.serialize(format="turtle").encode("utf-8"))
    return AddOutcome(len(additions) - before, target, report)


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
